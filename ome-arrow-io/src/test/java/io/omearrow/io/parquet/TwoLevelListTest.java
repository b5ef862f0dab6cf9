package io.omearrow.io.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.omearrow.testing.LeakCheckedAllocator;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Old 2-level lists (parquet-avro's default layout): a repeated primitive and a repeated group as the element. */
@ExtendWith(LeakCheckedAllocator.class)
class TwoLevelListTest {
  @TempDir
  Path dir;

  @Test
  void readsRepeatedPrimitiveAndRepeatedGroupElements(BufferAllocator a) throws Exception {
    Schema plane = SchemaBuilder.record("plane").fields().requiredInt("z").name("px").type().array().items().intType().noDefault().endRecord();
    Schema row = SchemaBuilder.record("row").fields().name("pixels").type().array().items().intType().noDefault()
        .name("planes").type().array().items(plane).noDefault().endRecord();
    Path file = dir.resolve("two-level.parquet");
    org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
    conf.setBoolean("parquet.avro.write-old-list-structure", true);
    try (ParquetWriter<GenericRecord> w = AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(file)).withSchema(row).withConf(conf)
        .build()) {
      for (int r = 0; r < 3; r++) {
        GenericRecord g = new GenericData.Record(row);
        g.put("pixels", List.of(r, r + 10, r + 20, 40000 + r));
        GenericRecord p0 = new GenericData.Record(plane);
        p0.put("z", r);
        p0.put("px", List.of(7 * r, 7 * r + 1));
        GenericRecord p1 = new GenericData.Record(plane);
        p1.put("z", r + 1);
        p1.put("px", r == 1 ? List.of() : List.of(100 + r));
        g.put("planes", List.of(p0, p1));
        w.write(g);
      }
    }
    try (ParquetTable t = ParquetTable.open(file.toString()); VectorSchemaRoot root = t.readRowGroup(0, List.of("pixels", "planes"), a)) {
      assertEquals(3, root.getRowCount());
      ListVector pixels = (ListVector) root.getVector("pixels");
      assertEquals(List.of(2, 12, 22, 40002), pixels.getObject(2));
      ListVector planes = (ListVector) root.getVector("planes");
      StructVector items = (StructVector) planes.getDataVector();
      assertEquals(6, items.getValueCount());
      assertEquals(2, ((IntVector) items.getChild("z")).get(3));
      ListVector px = (ListVector) items.getChild("px");
      assertEquals(List.of(7, 8), px.getObject(2));
      assertEquals(List.of(), px.getObject(3));
      assertEquals(List.of(102), px.getObject(5));
    }
  }
}
