package io.omearrow.io.parquet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omearrow.core.OmeImage;
import io.omearrow.source.ImageFormats;
import io.omearrow.source.ImageSource;
import io.omearrow.source.OpenOptions;
import io.omearrow.source.WriteOptions;
import io.omearrow.testing.LeakCheckedAllocator;
import io.omearrow.testing.Python;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Hadoop FileSystem paths, the ImageFormat providers, SourceInfo, and whole-table conversion. */
@ExtendWith(LeakCheckedAllocator.class)
class HadoopAndFormatTest {
  @TempDir
  Path dir;

  @Test
  void fileUrisGoThroughHadoopsLocalAndRawLocalFileSystems(BufferAllocator a) throws Exception {
    String uri = dir.resolve("h.ome.parquet").toUri().toString().replace("file:/", "file:///").replace("file:////", "file:///");
    assertTrue(uri.startsWith("file:///"), uri);
    try (OmeImage img = WriteRoundTripTest.image(a, 1, 2, 1, 20, 30)) {
      ParquetImages.write(List.of(img), uri, WriteOptions.defaults().withChunkShape(new int[] {1, 8, 8}), a);
    }
    assertTrue(Files.isRegularFile(dir.resolve("h.ome.parquet")));
    try (ImageSource img = ParquetImages.open(uri, OpenOptions.defaults(), a, w -> { })) {
      PyarrowFilesTest.checkAllPixels(img, 0);
    }
    Configuration raw = new Configuration();
    raw.set("fs.file.impl", org.apache.hadoop.fs.RawLocalFileSystem.class.getName());
    raw.setBoolean("fs.file.impl.disable.cache", true);
    org.apache.hadoop.fs.Path hp = new org.apache.hadoop.fs.Path(uri);
    assertInstanceOf(org.apache.hadoop.fs.RawLocalFileSystem.class, hp.getFileSystem(raw));
    try (ParquetTable t = ParquetTable.open(HadoopInputFile.fromPath(hp, raw), uri);
        ImageSource img = ParquetImages.open(t, false, OpenOptions.defaults(), a, w -> { })) {
      assertEquals("list-chunks", img.info().encoding());
      PyarrowFilesTest.checkAllPixels(img, 0);
    }
  }

  @Test
  void formatsAreFoundByNameAndReportSourceInfo(BufferAllocator a) {
    String file = dir.resolve("f.ome.parquet").toString();
    assertEquals("parquet", ImageFormats.forWriting(file).name());
    try (OmeImage img = WriteRoundTripTest.image(a, 1, 1, 2, 10, 12)) {
      ImageFormats.write(List.of(img, img), file, WriteOptions.defaults().withEncoding("bytes").withColumn("image"), a);
    }
    assertEquals("parquet", ImageFormats.forReading(file).name());
    try (ImageSource s = ImageFormats.open(file, OpenOptions.defaults().withRow(1), a)) {
      assertEquals(file, s.info().location());
      assertEquals("byte-chunks", s.info().encoding());
      assertEquals(2, s.info().rows());
      assertEquals("image", s.info().column());
      assertEquals("v2-bytes", s.info().schema());
      assertArrayEquals(new long[] {1, 1, 2, 10, 12}, s.pixels().shape());
      PyarrowFilesTest.checkAllPixels(s, 0);
    }
  }

  @Test
  void convertsAWholeMultiRowTableKeepingFeatureColumns(BufferAllocator a) throws Exception {
    Python.require("numpy", "pyarrow", "zstandard", "lz4");
    Python.run(PyarrowFilesTest.script("make_fixtures.py"), dir.toString()).check();
    String out = dir.resolve("cyto-bytes.parquet").toString();
    List<String> warnings = ParquetImages.convertTable(dir.resolve("cyto.parquet").toString(), out, "Image_FileName_OrigDNA_OMEArrow_ORIG",
        WriteOptions.defaults().withEncoding("bytes").withChunkShape(new int[] {1, 4, 4}), a);
    assertEquals(List.of(), warnings);
    try (ParquetTable t = ParquetTable.open(out)) {
      assertEquals(7, t.rowCount());
      try (VectorSchemaRoot r = t.readRowGroup(0, List.of("Nuclei_AreaShape_Area"), a)) {
        assertEquals(101.5, ((Float8Vector) r.getVector("Nuclei_AreaShape_Area")).get(1));
      }
      List<String> w = new ArrayList<>();
      for (int row = 0; row < 7; row++) {
        try (OmeImage img = t.image(row, "Image_FileName_OrigDNA_OMEArrow_ORIG", a, w::add)) {
          assertEquals("byte-chunks", img.info().encoding());
          assertEquals("orig-" + row, img.metadata().id());
          PyarrowFilesTest.checkAllPixels(img, row);
        }
        try (OmeImage lab = t.image(row, "Image_FileName_OrigDNA_OMEArrow_LABL", a, w::add)) {
          assertEquals("v0", lab.info().schema());
        }
      }
      assertEquals(List.of(), w);
    }
  }
}
