package io.omearrow.io.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omearrow.core.ChunkRef;
import io.omearrow.core.OmeImage;
import io.omearrow.core.PixelSlice;
import io.omearrow.source.ImageSource;
import io.omearrow.source.OpenOptions;
import io.omearrow.source.WriteOptions;
import io.omearrow.testing.LeakCheckedAllocator;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The eager read path end to end: every page codec (native zstd and snappy decompression, gzip
 * through a heap array, none decoded in place) and both encodings give exact pixels in 64-byte
 * aligned buffers, eagerly and lazily; list columns whose levels stay sparse (long lists, no
 * nulls: the offsets fast path) and ones that turn dense (nulls, empty and short lists: the
 * general path) read back value for value. Every allocation is leak-checked.
 */
@ExtendWith(LeakCheckedAllocator.class)
class ReadPathTest {
  @TempDir
  Path dir;

  @Test
  void everyCodecAndEncodingReadsExactPixelsIntoAlignedBuffers(BufferAllocator a) {
    for (String codec : List.of("zstd", "snappy", "gzip", "none")) {
      for (String encoding : List.of("list", "bytes")) {
        Path p = dir.resolve(encoding + "-" + codec + ".parquet");
        try (OmeImage src = WriteRoundTripTest.image(a, 1, 2, 3, 40, 50)) {
          ParquetImages.write(List.of(src), p.toString(),
              WriteOptions.defaults().withEncoding(encoding).withBuildChunks(false).withCompression(codec), a);
        }
        String what = encoding + "/" + codec;
        try (OmeImage img = ParquetImages.read(p.toString(), OpenOptions.defaults(), a, w -> { })) {
          PyarrowFilesTest.checkAllPixels(img, 0);
          long address;
          if (encoding.equals("list")) {
            PixelSlice plane = img.storedPlane(0, 0, 0).orElseThrow(() -> new AssertionError(what + ": no stored plane"));
            address = plane.address();
          } else {
            List<ChunkRef> chunks = img.storedChunks();
            assertFalse(chunks.isEmpty(), what);
            address = chunks.get(0).payload().address();
          }
          assertEquals(0, address % 64, what + ": the first plane or chunk starts the value buffer, which is 64-byte aligned");
          assertTrue(a.getAllocatedMemory() >= 2L * 2 * 3 * 40 * 50, what + ": the pixels are accounted to the caller's allocator");
        }
        try (ImageSource lazy = ParquetImages.open(p.toString(), OpenOptions.defaults(), a, w -> { })) {
          PyarrowFilesTest.checkAllPixels(lazy, 0);
        }
        assertEquals(0, a.getAllocatedMemory(), what + ": everything released");
      }
    }
  }

  /** Row i: null when i % 7 == 0, empty when i % 5 == 0, else i % len + 1 values, null where (i + j) % 3 == 0 if nulls. */
  private static Path writeLists(Path p, int rows, int len, boolean nulls, BufferAllocator a) throws Exception {
    Field elem = new Field("element", FieldType.nullable(new ArrowType.Int(16, true)), null);
    Field list = new Field("v", FieldType.nullable(ArrowType.List.INSTANCE), List.of(elem));
    try (VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(List.of(list)), a)) {
      ListVector v = (ListVector) root.getVector("v");
      v.allocateNew();
      SmallIntVector values = (SmallIntVector) v.getDataVector();
      int k = 0;
      for (int i = 0; i < rows; i++) {
        if (nulls && i % 7 == 0) {
          v.setNull(i);
          continue;
        }
        int n = nulls && i % 5 == 0 ? 0 : i % len + 1;
        v.startNewValue(i);
        for (int j = 0; j < n; j++, k++) {
          if (nulls && (i + j) % 3 == 0) {
            values.setNull(k);
          } else {
            values.setSafe(k, (short) (i * 31 + j * 7));
          }
        }
        v.endValue(i, n);
      }
      values.setValueCount(k);
      root.setRowCount(rows);
      try (OutputStream out = Files.newOutputStream(p);
          ParquetTableWriter w = ParquetTableWriter.create(out, root.getSchema(), ParquetTableWriter.Options.defaults().withCompression("none").withRowsPerGroup(rows))) {
        w.write(root, 0, rows);
      }
    }
    return p;
  }

  private static void checkLists(Path p, int rows, int len, boolean nulls, boolean dense, BufferAllocator a) {
    try (ParquetTable t = ParquetTable.open(p.toString()); LeafData d = t.readLeaf(0, t.node("v").firstLeaf(), a)) {
      assertEquals(dense, d.rep.isDense(), "repetition levels dense");
      assertEquals(dense, d.def.isDense(), "definition levels dense");
    }
    try (ParquetTable t = ParquetTable.open(p.toString()); VectorSchemaRoot root = t.readRowGroup(0, List.of("v"), a)) {
      FieldVector got = root.getVector("v");
      assertEquals(rows, got.getValueCount());
      ListVector v = (ListVector) got;
      for (int i = 0; i < rows; i++) {
        if (nulls && i % 7 == 0) {
          assertTrue(v.isNull(i), "row " + i + " is null");
          continue;
        }
        List<?> row = v.getObject(i);
        int n = nulls && i % 5 == 0 ? 0 : i % len + 1;
        assertEquals(n, row.size(), "row " + i + " length");
        for (int j = 0; j < n; j++) {
          Object expected = nulls && (i + j) % 3 == 0 ? null : (short) (i * 31 + j * 7);
          assertEquals(expected, row.get(j), "row " + i + " value " + j);
        }
      }
    }
  }

  @Test
  void longListsWithoutNullsTakeTheSparseLevelsPath(BufferAllocator a) throws Exception {
    Path p = writeLists(dir.resolve("long.parquet"), 3, 50_000, false, a);
    checkLists(p, 3, 50_000, false, false, a);
  }

  @Test
  void nullsEmptyAndShortListsTakeTheDenseLevelsPath(BufferAllocator a) throws Exception {
    Path p = writeLists(dir.resolve("short.parquet"), 20_000, 4, true, a);
    checkLists(p, 20_000, 4, true, true, a);
  }
}
