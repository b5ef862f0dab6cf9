package io.omearrow.ipc;

import io.omearrow.core.FormatException;
import io.omearrow.core.OmeImage;
import io.omearrow.core.OmeSchema;
import io.omearrow.source.AtomicOutput;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.util.TransferPair;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.ArrowWriter;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Arrow IPC files ({@code .arrow}, {@code .feather} v2: the file format; {@code .arrows}: the
 * stream format) holding OME-Arrow tables. Reading loads every batch into buffers from the
 * caller's allocator; writing goes through a temporary file and a rename.
 */
public final class ArrowIpc {
  private ArrowIpc() {}

  /** True for names that use the stream format. */
  static boolean isStream(Path p) {
    return p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".arrows");
  }

  /**
   * Reads a whole IPC file or stream.
   *
   * @throws FormatException when the file is missing, truncated or not Arrow IPC
   */
  public static OmeTable read(Path path, BufferAllocator allocator) {
    if (!Files.isRegularFile(path)) {
      throw new FormatException("No such file: " + path);
    }
    List<VectorSchemaRoot> batches = new ArrayList<>();
    try (SeekableByteChannel ch = Files.newByteChannel(path, StandardOpenOption.READ);
        ArrowReader reader = isStream(path) ? new ArrowStreamReader(ch, allocator) : new ArrowFileReader(ch, allocator)) {
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      Schema schema = root.getSchema();
      while (reader.loadNextBatch()) {
        List<FieldVector> owned = new ArrayList<>();
        for (FieldVector v : root.getFieldVectors()) {
          TransferPair tp = v.getTransferPair(allocator);
          tp.transfer();
          owned.add((FieldVector) tp.getTo());
        }
        batches.add(new VectorSchemaRoot(schema.getFields(), owned, owned.isEmpty() ? 0 : owned.get(0).getValueCount()));
      }
      return new OmeTable(schema, batches, path.toString());
    } catch (NoSuchFileException e) {
      batches.forEach(VectorSchemaRoot::close);
      throw new FormatException("No such file: " + path, e);
    } catch (IOException | RuntimeException e) {
      batches.forEach(VectorSchemaRoot::close);
      if (e instanceof FormatException fe) {
        throw fe;
      }
      throw new FormatException("cannot read Arrow IPC file '" + path + "': " + e.getMessage()
          + " (is it a complete Arrow IPC " + (isStream(path) ? "stream" : "file") + "?)", e);
    }
  }

  /**
   * Writes images as one table, one row per image, in a struct column named {@code column}
   * (null: {@code ome_arrow}), with the {@code ome.arrow.*} schema metadata. Images must share
   * one struct type (convert them with {@link io.omearrow.core.OmeImageBuilder} first otherwise).
   */
  public static void write(Path path, List<OmeImage> images, String column, Map<String, String> extraMetadata, BufferAllocator allocator) {
    if (images.isEmpty()) {
      throw new FormatException("cannot write '" + path + "': no images given");
    }
    String name = column == null ? OmeSchema.DEFAULT_COLUMN : column;
    Field type = images.get(0).vector().getField();
    Field field = new Field(name, type.getFieldType(), type.getChildren());
    for (OmeImage img : images) {
      if (!img.vector().getField().getChildren().equals(type.getChildren())) {
        throw new FormatException("cannot write '" + path + "': images have different OME-Arrow struct types ("
            + images.get(0).variant() + " vs " + img.variant() + "); rebuild them with one encoding first");
      }
    }
    Map<String, String> meta = new HashMap<>(OmeSchema.fileMetadata());
    if (extraMetadata != null) {
      meta.putAll(extraMetadata);
    }
    Schema schema = new Schema(List.of(field), meta);
    // One record batch per image, so no image is copied row by row into a common column.
    AtomicOutput.write(path, tmp -> {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          StructVector slot = (StructVector) field.createVector(allocator);
          VectorSchemaRoot root = new VectorSchemaRoot(schema, List.of(slot), 0)) {
        ArrowWriter w = isStream(path) ? new ArrowStreamWriter(root, null, ch) : new ArrowFileWriter(root, null, ch, meta);
        try (w) {
          w.start();
          for (OmeImage img : images) {
            StructVector src = img.vector();
            TransferPair tp = src.makeTransferPair(slot);
            slot.clear();
            // Slices share the image's buffers (reference counted); the image stays untouched.
            tp.splitAndTransfer(img.row(), 1);
            root.setRowCount(1);
            w.writeBatch();
          }
          w.end();
        }
      }
    });
  }

}
