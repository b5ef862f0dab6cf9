package io.omearrow.bench.parquet;

import java.nio.file.Path;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.MessageType;

/** The slow paths the issue names as baselines: parquet-column value at a time, parquet-avro records. */
final class Baselines {
  private Baselines() {}

  static void parquetColumn(ParquetBench b, Path file) throws Exception {
    short[] out = new short[ParquetBench.Z * ParquetBench.Y * ParquetBench.X];
    try {
      b.time("parquet-column ColumnReader (baseline)", ParquetBench.PAYLOAD_MB, 3, "value at a time", () -> {
        try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file))) {
          MessageType schema = r.getFooter().getFileMetaData().getSchema();
          ColumnDescriptor pixels = schema.getColumns().stream()
              .filter(c -> String.join(".", c.getPath()).matches("ome_arrow\\.planes\\..*pixels\\..*")).findFirst().orElseThrow();
          int n = 0;
          PageReadStore pages;
          while ((pages = r.readNextRowGroup()) != null) {
            ColumnReadStoreImpl store = new ColumnReadStoreImpl(pages, new GroupRecordConverter(schema).getRootConverter(), schema,
                r.getFooter().getFileMetaData().getCreatedBy());
            ColumnReader cr = store.getColumnReader(pixels);
            int max = pixels.getMaxDefinitionLevel();
            for (long i = 0, total = cr.getTotalValueCount(); i < total; i++) {
              if (cr.getCurrentDefinitionLevel() == max) {
                out[n++] = (short) cr.getInteger();
              }
              cr.consume();
            }
          }
          if (n != out.length) {
            throw new IllegalStateException("read " + n + " pixels");
          }
        }
      });
    } catch (Exception | Error e) {
      System.out.println("parquet-column baseline: missing (" + e + ")");
    }
  }

  @SuppressWarnings("unchecked")
  static void parquetAvro(ParquetBench b, Path file) throws Exception {
    short[] out = new short[ParquetBench.Z * ParquetBench.Y * ParquetBench.X];
    try {
      b.time("parquet-avro GenericRecord (baseline)", ParquetBench.PAYLOAD_MB, 2, "boxed values", () -> {
        org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
        conf.setBoolean("parquet.avro.add-list-element-records", false);
        conf.setBoolean("parquet.avro.readInt96AsFixed", true);
        try (ParquetReader<GenericRecord> r = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file)).withConf(conf).build()) {
          GenericRecord rec;
          int n = 0;
          while ((rec = r.read()) != null) {
            GenericRecord img = (GenericRecord) rec.get("ome_arrow");
            for (Object p : (List<Object>) img.get("planes")) {
              for (Object v : (List<Object>) ((GenericRecord) p).get("pixels")) {
                out[n++] = (short) (int) (Integer) v;
              }
            }
          }
          if (n != out.length) {
            throw new IllegalStateException("read " + n + " pixels");
          }
        }
      });
    } catch (Exception | Error e) {
      System.out.println("parquet-avro baseline: missing (" + e + ")");
    }
  }
}
