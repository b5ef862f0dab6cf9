package io.omearrow.io.parquet;

import io.omearrow.core.FormatException;
import io.omearrow.core.ImageMetadata;
import io.omearrow.core.OmeImage;
import io.omearrow.core.OmeImageBuilder;
import io.omearrow.core.OmeSchema;
import io.omearrow.core.PixelType;
import io.omearrow.core.SelectionException;
import io.omearrow.source.AtomicOutput;
import io.omearrow.source.ImageSource;
import io.omearrow.source.OpenOptions;
import io.omearrow.source.WriteOptions;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The entry points for OME-Arrow Parquet files: open one row as an image (lazily where the
 * layout allows), read a row eagerly into Arrow, write one or many images (one per row), and
 * convert a whole multi-row table. Locations are local paths or Hadoop URIs.
 *
 * <p>Memory: images returned are owned by the caller (close them); their buffers come from the
 * allocator passed in.
 */
public final class ParquetImages {
  private ParquetImages() {}

  /**
   * Opens row {@code options.row()} of the resolved column. The result reads regions lazily
   * (metadata now, only the pages a region needs later) when the row starts its row group;
   * otherwise it is an {@link OmeImage} over the row group's column, read once.
   */
  public static ImageSource open(String location, OpenOptions options, BufferAllocator allocator, Consumer<String> warnings) {
    ParquetTable table = ParquetTable.open(location);
    try {
      return open(table, true, options, allocator, warnings);
    } catch (RuntimeException e) {
      table.close();
      throw e;
    }
  }

  /** As {@link #open(String, OpenOptions, BufferAllocator, Consumer)} over an opened table. */
  public static ImageSource open(ParquetTable table, boolean ownsTable, OpenOptions options, BufferAllocator allocator,
      Consumer<String> warnings) {
    String col = table.resolveColumn(options.column(), warnings);
    long row = options.row();
    int g = table.rowGroupOf(row);
    if (table.rowGroupStart(g) == row) {
      return new LazyParquetImage(table, ownsTable, row, col, allocator);
    }
    OmeImage img = table.image(row, col, allocator, warnings);
    if (ownsTable) {
      table.close();
    }
    return img;
  }

  /** Reads row {@code options.row()} eagerly: only its row group and only the resolved column. */
  public static OmeImage read(String location, OpenOptions options, BufferAllocator allocator, Consumer<String> warnings) {
    try (ParquetTable table = ParquetTable.open(location)) {
      return table.image(options.row(), options.column(), allocator, warnings);
    }
  }

  /** Builds the OME-Arrow record an image is written as, honouring the write options. */
  public static OmeImage encode(ImageSource src, WriteOptions o, BufferAllocator allocator) {
    ImageMetadata md = src.metadata();
    if (o.pixelType() != null && o.pixelType() != md.pixels().pixelType()) {
      md = md.withPixels(md.pixels().withPixelType(o.pixelType()));
    }
    String column = o.column() == null ? OmeSchema.DEFAULT_COLUMN : o.column();
    return OmeImageBuilder.of(md).options(o.withColumn(column)).fromSource(src, allocator);
  }

  /**
   * Writes the images as rows of one struct column (default {@code ome_arrow}), list or byte
   * encoding per {@code o}, with the Parquet codec {@code o.compression()} (zstd by default), one
   * row group per image. Atomic: the file appears only when complete.
   *
   * @return warnings (empty when nothing was lost)
   */
  public static List<String> write(List<? extends ImageSource> images, String location, WriteOptions o, BufferAllocator allocator) {
    return write(images, location, o, ParquetTableWriter.Options.defaults().withCompression(o.compression() == null ? "zstd" : o.compression())
        .withRowsPerGroup(1), allocator);
  }

  /** As {@link #write(List, String, WriteOptions, BufferAllocator)} with explicit page and row-group sizes. */
  public static List<String> write(List<? extends ImageSource> images, String location, WriteOptions o, ParquetTableWriter.Options fileOptions,
      BufferAllocator allocator) {
    if (images.isEmpty()) {
      throw new SelectionException("images must contain at least one image");
    }
    Codecs.parse(fileOptions.compression());
    List<String> warnings = new ArrayList<>();
    atomically(location, out -> {
      ParquetTableWriter w = null;
      Field field = null;
      try {
        for (ImageSource src : images) {
          try (OmeImage img = encode(src, o, allocator)) {
            if (w == null) {
              field = img.vector().getField();
              w = ParquetTableWriter.create(out, new Schema(List.of(field), ParquetTableWriter.omeMetadata(Map.of())), fileOptions);
            } else if (!img.vector().getField().equals(field)) {
              throw new SelectionException("images of different pixel types cannot share one list-encoded column ("
                  + img.pixels().pixelType() + " after the first image's); pass a pixel type or use byte encoding");
            }
            w.writeRows(List.of(img.vector()), img.row(), img.row() + 1);
          }
        }
        w.close();
      } catch (RuntimeException e) {
        if (w != null) {
          w.abort();
        }
        throw e;
      }
    });
    return warnings;
  }

  /**
   * Converts every row of a table (the {@code --all-rows} conversion): each image of the
   * resolved column is re-encoded per {@code o}; feature columns are copied unchanged, row for
   * row; other OME-Arrow columns are copied as they are. Reads and writes one row group at a time.
   */
  public static List<String> convertTable(String input, String output, String column, WriteOptions o, BufferAllocator allocator) {
    List<String> warnings = new ArrayList<>();
    try (ParquetTable table = ParquetTable.open(input)) {
      String col = table.resolveColumn(column == null ? o.column() : column, warnings::add);
      List<String> names = table.schema().getFields().stream().map(Field::getName).toList();
      atomically(output, out -> {
        ParquetTableWriter w = null;
        try {
          for (int g = 0; g < table.rowGroupCount(); g++) {
            try (VectorSchemaRoot root = table.readRowGroup(g, names, allocator)) {
              org.apache.arrow.vector.complex.StructVector sv = (org.apache.arrow.vector.complex.StructVector) root.getVector(col);
              for (int r = 0; r < root.getRowCount(); r++) {
                try (OmeImage src = OmeImage.wrap(sv, r); OmeImage img = encode(src, o.withColumn(col), allocator)) {
                  List<FieldVector> row = new ArrayList<>();
                  List<Field> fields = new ArrayList<>();
                  for (FieldVector v : root.getFieldVectors()) {
                    row.add(v.getName().equals(col) ? img.vector() : v);
                    fields.add(v.getName().equals(col) ? img.vector().getField() : v.getField());
                  }
                  if (w == null) {
                    w = ParquetTableWriter.create(out, new Schema(fields, ParquetTableWriter.omeMetadata(Map.of())),
                        ParquetTableWriter.Options.defaults().withCompression(o.compression() == null ? "zstd" : o.compression()));
                  }
                  // the image is row 0 of its own vector; copy the other columns' row r alongside
                  writeMixedRow(w, row, col, r, img.row());
                }
              }
            }
          }
          if (w == null) {
            throw new FormatException("Table contains 0 rows; expected at least 1.");
          }
          w.close();
        } catch (RuntimeException e) {
          if (w != null) {
            w.abort();
          }
          throw e;
        }
      });
    }
    return warnings;
  }

  private static void writeMixedRow(ParquetTableWriter w, List<FieldVector> row, String col, int r, int imageRow) {
    w.writeRow(row, i -> row.get(i).getName().equals(col) ? imageRow : r);
  }

  /** Writes through a temporary sibling and renames on success (local files or Hadoop URIs). */
  static void atomically(String location, java.util.function.Consumer<OutputStream> body) {
    if (Locations.isUri(location)) {
      org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(URI.create(location));
      org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(target.getParent(),
          "." + target.getName() + ".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
      try {
        org.apache.hadoop.fs.FileSystem fs = target.getFileSystem(new org.apache.hadoop.conf.Configuration());
        try {
          body.accept(new BufferedOutputStream(fs.create(tmp, true), 1 << 20));
          if (fs.exists(target)) {
            fs.delete(target, true);
          }
          if (!fs.rename(tmp, target)) {
            throw new FormatException("cannot write '" + location + "': rename from " + tmp + " failed");
          }
        } catch (RuntimeException e) {
          fs.delete(tmp, false);
          throw e;
        }
      } catch (IOException e) {
        throw new FormatException("cannot write '" + location + "': " + e.getMessage(), e);
      }
      return;
    }
    AtomicOutput.write(Path.of(location), tmp -> body.accept(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)));
  }

  /** Pixel type names accepted for {@code --pixel-type}. */
  static PixelType pixelType(String name) {
    return name == null || name.equals("keep") ? null : PixelType.fromName(name);
  }
}
