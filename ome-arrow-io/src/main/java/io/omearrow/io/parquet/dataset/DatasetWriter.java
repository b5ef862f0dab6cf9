package io.omearrow.io.parquet.dataset;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omearrow.core.Channel;
import io.omearrow.core.ImageMetadata;
import io.omearrow.core.OmeSchema;
import io.omearrow.core.PixelsMeta;
import io.omearrow.core.SelectionException;
import io.omearrow.io.parquet.ParquetTableWriter;
import io.omearrow.source.AtomicOutput;
import io.omearrow.source.ImageSource;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.LargeVarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Writes typed chunk datasets (reference §6.2): images.parquet, chunks.parquet (raw C-order
 * TCZYX chunk bytes in the source dtype, one row group per {@code chunkRowsPerGroup} chunks),
 * index.parquet and the manifest, into a temporary directory renamed into place at the end.
 * Chunks are streamed: one chunk is in memory at a time.
 */
public final class DatasetWriter {
  private DatasetWriter() {}

  private static Field f(String name, ArrowType t) {
    return new Field(name, FieldType.nullable(t), null);
  }

  private static final ArrowType I32 = new ArrowType.Int(32, true);
  private static final ArrowType STR = ArrowType.Utf8.INSTANCE;

  static Schema imagesSchema() {
    List<Field> fs = new ArrayList<>(List.of(f("image_id", STR), f("name", STR), f("image_type", STR), f("dtype", STR)));
    for (String a : List.of("t", "c", "z", "y", "x")) {
      fs.add(f("size_" + a, I32));
    }
    fs.add(f("layout", STR));
    for (String a : List.of("t", "c", "z", "y", "x")) {
      fs.add(f("chunk_" + a, I32));
    }
    fs.add(f("compression", STR));
    fs.add(f("channels_json", STR));
    return new Schema(fs, meta());
  }

  static Schema chunksSchema() {
    List<Field> fs = new ArrayList<>(List.of(f("image_id", STR), f("chunk_id", new ArrowType.Int(64, true))));
    for (String a : List.of("t", "c", "z", "y", "x", "shape_t", "shape_c", "shape_z", "shape_y", "shape_x")) {
      fs.add(f(a, I32));
    }
    fs.add(f("dtype", STR));
    fs.add(f("pixel_bytes", ArrowType.LargeBinary.INSTANCE));
    return new Schema(fs, meta());
  }

  static Schema indexSchema() {
    List<Field> fs = new ArrayList<>(List.of(f("image_id", STR), f("chunk_id", new ArrowType.Int(64, true)), f("row_group_id", I32),
        f("row_index_in_group", I32), f("fragment_path", STR)));
    for (String a : List.of("t", "c", "z", "y", "x", "shape_t", "shape_c", "shape_z", "shape_y", "shape_x")) {
      fs.add(f(a, I32));
    }
    return new Schema(fs, meta());
  }

  private static Map<String, String> meta() {
    Map<String, String> m = new LinkedHashMap<>(OmeSchema.fileMetadata());
    m.put("ome.arrow.layout", "typed-chunk-dataset");
    return m;
  }

  /**
   * Writes the images. {@code chunkZyx} is the chunk shape (z, y, x), clamped to each image
   * (t and c chunk sizes are 1); {@code compression} is the Parquet codec of all three tables.
   */
  public static void write(List<? extends ImageSource> images, String location, int[] chunkZyx, String compression, int chunkRowsPerGroup,
      boolean buildIndex, BufferAllocator allocator) {
    if (images.isEmpty()) {
      throw new SelectionException("images must contain at least one image");
    }
    if (chunkRowsPerGroup <= 0) {
      throw new SelectionException("chunk_rows_per_row_group must be > 0");
    }
    Set<String> ids = new HashSet<>();
    List<String> idList = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      ImageMetadata md = images.get(i).metadata();
      String id = md.id() != null ? md.id() : String.format("image-%05d", i);
      if (!ids.add(id)) {
        throw new SelectionException("Duplicate image_id in OME-Arrow dataset write: '" + id + "'");
      }
      idList.add(id);
    }
    Path target = Path.of(location);
    AtomicOutput.write(target, tmp -> {
      Files.createDirectories(tmp);
      ParquetTableWriter.Options opts = ParquetTableWriter.Options.defaults().withCompression(compression == null ? "zstd" : compression);
      long chunkId = 0;
      try (ParquetTableWriter chunksW = ParquetTableWriter.create(out(tmp, "chunks.parquet"), chunksSchema(),
          opts.withRowsPerGroup(chunkRowsPerGroup));
          ParquetTableWriter indexW = buildIndex ? ParquetTableWriter.create(out(tmp, "index.parquet"), indexSchema(), opts.withRowsPerGroup(1 << 20))
              : null;
          ParquetTableWriter imagesW = ParquetTableWriter.create(out(tmp, "images.parquet"), imagesSchema(), opts.withRowsPerGroup(1 << 20))) {
        for (int i = 0; i < images.size(); i++) {
          ImageSource img = images.get(i);
          PixelsMeta p = img.pixels();
          int cz = Math.max(1, Math.min(chunkZyx[0], p.sizeZ()));
          int cy = Math.max(1, Math.min(chunkZyx[1], p.sizeY()));
          int cx = Math.max(1, Math.min(chunkZyx[2], p.sizeX()));
          String id = idList.get(i);
          String dtype = p.pixelType().numpyName();
          row(imagesW, imagesSchema(), allocator, id, img.metadata().name() == null ? id : img.metadata().name(), img.metadata().imageType(),
              dtype, p.sizeT(), p.sizeC(), p.sizeZ(), p.sizeY(), p.sizeX(), "tile", 1, 1, cz, cy, cx, compression == null ? "zstd" : compression,
              channelsJson(p.channels()));
          int bs = p.pixelType().byteSize();
          try (Arena arena = Arena.ofConfined()) {
            for (int t = 0; t < p.sizeT(); t++) {
              for (int c = 0; c < p.sizeC(); c++) {
                for (int z0 = 0; z0 < p.sizeZ(); z0 += cz) {
                  for (int y0 = 0; y0 < p.sizeY(); y0 += cy) {
                    for (int x0 = 0; x0 < p.sizeX(); x0 += cx) {
                      int sz = Math.min(cz, p.sizeZ() - z0);
                      int sy = Math.min(cy, p.sizeY() - y0);
                      int sx = Math.min(cx, p.sizeX() - x0);
                      MemorySegment buf = arena.allocate((long) sz * sy * sx * bs, 64);
                      for (int z = 0; z < sz; z++) {
                        img.readRegion(t, c, z0 + z, x0, y0, sx, sy, buf.asSlice((long) z * sy * sx * bs, (long) sy * sx * bs));
                      }
                      byte[] payload = buf.toArray(ValueLayout.JAVA_BYTE);
                      row(chunksW, chunksSchema(), allocator, id, chunkId, t, c, z0, y0, x0, 1, 1, sz, sy, sx, dtype, payload);
                      if (indexW != null) {
                        row(indexW, indexSchema(), allocator, id, chunkId, (int) (chunkId / chunkRowsPerGroup),
                            (int) (chunkId % chunkRowsPerGroup), "chunks.parquet", t, c, z0, y0, x0, 1, 1, sz, sy, sx);
                      }
                      chunkId++;
                    }
                  }
                }
              }
            }
          }
        }
      }
      ObjectMapper om = new ObjectMapper();
      ObjectNode m = om.createObjectNode();
      m.put("type", "ome.arrow");
      m.put("version", ImageMetadata.WRITER_VERSION);
      m.put("layout", "typed-chunk-dataset");
      m.put("image_count", images.size());
      m.put("chunk_count", chunkId);
      ObjectNode choice = m.putObject("choice");
      choice.put("layout", "tile");
      ArrayNode shape = choice.putArray("chunk_shape");
      shape.add(1).add(1).add(chunkZyx[0]).add(chunkZyx[1]).add(chunkZyx[2]);
      choice.put("compression", compression == null ? "zstd" : compression);
      choice.put("rationale", "chunk shape chosen by the caller");
      m.putObject("package_versions").put("ome-arrow-java", ImageMetadata.WRITER_VERSION);
      Files.writeString(tmp.resolve(TypedChunkDataset.MANIFEST), om.writerWithDefaultPrettyPrinter().writeValueAsString(m), StandardCharsets.UTF_8);
    });
  }

  private static java.io.OutputStream out(Path dir, String name) throws IOException {
    return new BufferedOutputStream(Files.newOutputStream(dir.resolve(name)), 1 << 20);
  }

  private static String channelsJson(List<Channel> channels) {
    ObjectMapper om = new ObjectMapper();
    ArrayNode a = om.createArrayNode();
    for (Channel c : channels) {
      ObjectNode n = a.addObject();
      n.put("id", c.id());
      n.put("name", c.name());
      n.put("emission_um", c.emissionUm());
      n.put("excitation_um", c.excitationUm());
      n.put("illumination", c.illumination());
      n.put("color_rgba", Integer.toUnsignedLong(c.colorRgba()));
    }
    return a.toString();
  }

  /** Writes one row of plain values (String, Integer, Long, byte[]) in schema order. */
  private static void row(ParquetTableWriter w, Schema schema, BufferAllocator a, Object... values) {
    try (VectorSchemaRoot r = VectorSchemaRoot.create(schema, a)) {
      r.allocateNew();
      List<FieldVector> vs = r.getFieldVectors();
      for (int k = 0; k < values.length; k++) {
        Object v = values[k];
        FieldVector fv = vs.get(k);
        if (v == null) {
          continue;
        }
        switch (fv) {
          case VarCharVector s -> s.setSafe(0, ((String) v).getBytes(StandardCharsets.UTF_8));
          case IntVector iv -> iv.setSafe(0, (Integer) v);
          case BigIntVector bv -> bv.setSafe(0, (Long) v);
          case LargeVarBinaryVector lb -> lb.setSafe(0, (byte[]) v);
          default -> throw new IllegalStateException("unexpected vector " + fv);
        }
      }
      r.setRowCount(1);
      w.write(r, 0, 1);
    }
  }
}
