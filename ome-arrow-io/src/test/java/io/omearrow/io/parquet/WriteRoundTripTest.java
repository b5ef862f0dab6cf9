package io.omearrow.io.parquet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omearrow.core.ChunkCompression;
import io.omearrow.core.ChunkRef;
import io.omearrow.core.OmeImage;
import io.omearrow.core.OmeImageBuilder;
import io.omearrow.core.OmeSchema;
import io.omearrow.core.PixelType;
import io.omearrow.core.SchemaVariant;
import io.omearrow.source.ImageSource;
import io.omearrow.source.OpenOptions;
import io.omearrow.source.WriteOptions;
import io.omearrow.testing.LeakCheckedAllocator;
import io.omearrow.testing.Python;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Our writer: every encoding and codec reads back in Java and in pyarrow with the reference's types. */
@ExtendWith(LeakCheckedAllocator.class)
class WriteRoundTripTest {
  @TempDir
  Path dir;

  static OmeImage image(BufferAllocator a, int t, int c, int z, int y, int x) {
    short[] px = new short[t * c * z * y * x];
    int i = 0;
    for (int tt = 0; tt < t; tt++) {
      for (int cc = 0; cc < c; cc++) {
        for (int zz = 0; zz < z; zz++) {
          for (int yy = 0; yy < y; yy++) {
            for (int xx = 0; xx < x; xx++) {
              px[i++] = (short) PyarrowFilesTest.expected(tt, cc, zz, yy, xx);
            }
          }
        }
      }
    }
    return OmeImageBuilder.of(PixelType.UINT16, t, c, z, y, x).encoding("list").buildChunks(false).fromArray(px, a);
  }

  record Case(String name, WriteOptions options, String kind, String encoding) {}

  static List<Case> cases() {
    WriteOptions d = WriteOptions.defaults().withChunkShape(new int[] {2, 16, 16});
    return List.of(
        new Case("list_both_zstd", d, "list", "list-chunks"),
        new Case("list_planes_snappy", d.withBuildChunks(false).withCompression("snappy"), "list", "planes"),
        new Case("bytes_none_none", d.withEncoding("bytes").withCompression("none"), "bytes", "byte-chunks"),
        new Case("bytes_zstd", d.withEncoding("bytes").withChunkCompression(ChunkCompression.ZSTD), "bytes", "byte-chunks"),
        new Case("bytes_lz4", d.withEncoding("bytes").withChunkCompression(ChunkCompression.LZ4), "bytes", "byte-chunks"),
        new Case("bytes_auto", d.withEncoding("bytes").withChunkCompression(ChunkCompression.AUTO), "bytes", "byte-chunks"),
        new Case("bytes_fast", d.withEncoding("bytes").withChunkCompression(ChunkCompression.FAST), "bytes", "byte-chunks"),
        new Case("bytes_small", d.withEncoding("bytes").withChunkCompression(ChunkCompression.SMALL), "bytes", "byte-chunks"));
  }

  @Test
  void everyEncodingReadsBackInJavaWithTheReferenceSchema(BufferAllocator a) {
    try (OmeImage src = image(a, 1, 2, 3, 40, 50)) {
      for (Case k : cases()) {
        String file = dir.resolve(k.name() + ".ome.parquet").toString();
        assertEquals(List.of(), ParquetImages.write(List.of(src), file, k.options(), a));
        try (ParquetTable t = ParquetTable.open(file)) {
          SchemaVariant v = k.kind().equals("list") ? SchemaVariant.V2_LIST : SchemaVariant.V2_BYTES;
          assertEquals(OmeSchema.structField("ome_arrow", v), t.schema().findField("ome_arrow"), k.name());
          assertEquals("ome.arrow", t.metadata().get(OmeSchema.META_TYPE));
          assertEquals("0.1.0", t.metadata().get(OmeSchema.META_VERSION));
        }
        try (OmeImage back = ParquetImages.read(file, OpenOptions.defaults(), a, w -> { })) {
          assertEquals(k.encoding(), back.info().encoding(), k.name());
          assertArrayEquals(new long[] {1, 2, 3, 40, 50}, back.pixels().shape());
          PyarrowFilesTest.checkAllPixels(back, 0);
          if (k.name().equals("bytes_zstd")) {
            assertTrue(back.storedChunks().stream().allMatch(ChunkRef::isCompressed));
          }
        }
        try (ImageSource lazy = ParquetImages.open(file, OpenOptions.defaults(), a, w -> { })) {
          PyarrowFilesTest.checkAllPixels(lazy, 0);
        }
      }
    }
  }

  @Test
  void pyarrowReadsOurFiles(BufferAllocator a) throws IOException {
    Python.require("numpy", "pyarrow", "zstandard", "lz4");
    List<String> args = new ArrayList<>();
    try (OmeImage src = image(a, 1, 2, 3, 40, 50)) {
      for (Case k : cases()) {
        String file = dir.resolve(k.name() + ".parquet").toString();
        ParquetImages.write(List.of(src), file, k.options(), a);
        args.add(k.kind());
        args.add(file);
      }
    }
    Python.Result r = Python.run(PyarrowFilesTest.script("check_ours.py"), args).check();
    assertEquals(cases().size(), r.stdout().lines().filter(l -> l.startsWith("ok ")).count(), r.stdout());
  }

  @Test
  void severalImagesBecomeSeveralRowsAndFailedWritesLeaveNothing(BufferAllocator a) throws IOException {
    String file = dir.resolve("many.parquet").toString();
    try (OmeImage one = image(a, 1, 1, 1, 8, 9); OmeImage two = image(a, 2, 1, 2, 5, 6)) {
      ParquetImages.write(List.of(one, two), file, WriteOptions.defaults(), a);
      try (ParquetTable t = ParquetTable.open(file)) {
        assertEquals(2, t.rowCount());
        assertEquals(2, t.rowGroupCount());
      }
      try (ImageSource second = ParquetImages.open(file, OpenOptions.defaults().withRow(1), a, w -> { })) {
        assertArrayEquals(new long[] {2, 1, 2, 5, 6}, second.pixels().shape());
        PyarrowFilesTest.checkAllPixels(second, 0);
      }
      Path bad = dir.resolve("bad.parquet");
      try (OmeImage u8 = OmeImageBuilder.of(PixelType.UINT8, 1, 1, 1, 2, 2).fromArray(new byte[4], a)) {
        org.junit.jupiter.api.Assertions.assertThrows(io.omearrow.core.SelectionException.class,
            () -> ParquetImages.write(List.of(one, u8), bad.toString(), WriteOptions.defaults(), a));
      }
      assertFalse(Files.exists(bad));
      try (var s = Files.list(dir)) {
        assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".bad.parquet")), "temporary file left behind");
      }
    }
  }
}
