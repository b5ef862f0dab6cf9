package io.omearrow.bench.cases;

import io.omearrow.bench.Baseline;
import io.omearrow.bench.BenchContext;
import io.omearrow.bench.Timing;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;

/**
 * The {@code parquet-avro} baseline: the file read as Avro {@link GenericRecord}s (the pixels of
 * each plane arrive as a {@code List<Integer>}), each pixel written into an Arrow buffer of the
 * image's size.
 */
final class ParquetAvroBaseline {
  private ParquetAvroBaseline() {}

  /**
   * The baseline. It is by far the slowest figure of the suite (seconds per run), so a
   * {@code --quick} run times it once without a warm-up; full runs use the harness's counts.
   */
  static Baseline of(Path file, BufferAllocator allocator) {
    return new Baseline() {
      @Override
      public String name() {
        return "parquet-avro";
      }

      @Override
      public Timing measure(BenchContext ctx, int warmups, int runs) throws Exception {
        Op op = () -> read(file, allocator);
        return ctx.quick() ? Timing.time(op, 0, 1) : Timing.time(op, warmups, runs);
      }
    };
  }

  static void read(Path file, BufferAllocator allocator) throws Exception {
    Configuration conf = new Configuration(false);
    // 3-level lists as pyarrow and our writer write them, without fake element records
    conf.setBoolean("parquet.avro.add-list-element-records", false);
    try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file)).withConf(conf).build();
        ArrowBuf out = allocator.buffer(Inputs.IMAGE_BYTES)) {
      MemorySegment dst = Inputs.segment(out);
      long off = 0;
      GenericRecord row;
      while ((row = reader.read()) != null) {
        GenericRecord img = (GenericRecord) row.get("ome_arrow");
        for (Object plane : (List<?>) img.get("planes")) {
          for (Object v : (List<?>) ((GenericRecord) plane).get("pixels")) {
            dst.set(ValueLayout.JAVA_SHORT_UNALIGNED, off, (short) (int) (Integer) v);
            off += 2;
          }
        }
      }
      if (off != Inputs.IMAGE_BYTES) {
        throw new IllegalStateException("parquet-avro read " + off + " bytes of pixels, expected " + Inputs.IMAGE_BYTES);
      }
    }
  }
}
