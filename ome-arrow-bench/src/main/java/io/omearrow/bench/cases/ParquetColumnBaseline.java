package io.omearrow.bench.cases;

import io.omearrow.bench.Baseline;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * The {@code parquet-column} baseline: parquet-mr's low-level {@link ColumnReader}, one value at a
 * time ({@code getInteger()} then {@code consume()}), writing each uint16 pixel of the planes'
 * pixel column into an Arrow buffer of the image's size.
 */
final class ParquetColumnBaseline {
  private ParquetColumnBaseline() {}

  static Baseline of(Path file, BufferAllocator allocator) {
    return Baseline.java("parquet-column", () -> read(file, allocator));
  }

  static void read(Path file, BufferAllocator allocator) throws Exception {
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file));
        ArrowBuf out = allocator.buffer(Inputs.IMAGE_BYTES)) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      String createdBy = reader.getFooter().getFileMetaData().getCreatedBy();
      ColumnDescriptor pixels = pixelColumn(schema);
      MemorySegment dst = Inputs.segment(out);
      long off = 0;
      PageReadStore group;
      while ((group = reader.readNextRowGroup()) != null) {
        ColumnReadStoreImpl store = new ColumnReadStoreImpl(group, new NoOpConverter(schema), schema, createdBy);
        ColumnReader col = store.getColumnReader(pixels);
        int maxDef = pixels.getMaxDefinitionLevel();
        for (long i = 0, n = col.getTotalValueCount(); i < n; i++) {
          if (col.getCurrentDefinitionLevel() == maxDef) {
            dst.set(ValueLayout.JAVA_SHORT_UNALIGNED, off, (short) col.getInteger());
            off += 2;
          }
          col.consume();
        }
      }
      if (off != Inputs.IMAGE_BYTES) {
        throw new IllegalStateException("parquet-column read " + off + " bytes of pixels, expected " + Inputs.IMAGE_BYTES);
      }
    }
  }

  /** The leaf {@code ome_arrow.planes.<list>.<item>.pixels.<list>.<item>}. */
  static ColumnDescriptor pixelColumn(MessageType schema) {
    for (ColumnDescriptor d : schema.getColumns()) {
      List<String> path = List.of(d.getPath());
      if (path.size() == 7 && path.get(1).equals("planes") && path.get(4).equals("pixels")) {
        return d;
      }
    }
    throw new IllegalStateException("no planes.pixels column in " + schema);
  }

  /** A converter tree that accepts and drops every value (the column reader is driven by hand). */
  private static final class NoOpConverter extends GroupConverter {
    private final Converter[] children;

    NoOpConverter(GroupType type) {
      children = new Converter[type.getFieldCount()];
      for (int i = 0; i < children.length; i++) {
        Type t = type.getType(i);
        children[i] = t.isPrimitive() ? new PrimitiveConverter() {} : new NoOpConverter(t.asGroupType());
      }
    }

    @Override
    public Converter getConverter(int fieldIndex) {
      return children[fieldIndex];
    }

    @Override
    public void start() {}

    @Override
    public void end() {}
  }
}
