package io.omearrow.io.parquet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omearrow.core.OmeImage;
import io.omearrow.core.PixelsMeta;
import io.omearrow.source.ImageSource;
import io.omearrow.source.OpenOptions;
import io.omearrow.testing.LeakCheckedAllocator;
import io.omearrow.testing.Python;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Files written by pyarrow in every layout of the Python reference, read by us pixel for pixel. */
@ExtendWith(LeakCheckedAllocator.class)
class PyarrowFilesTest {
  @TempDir
  static Path dir;

  static String script(String name) throws IOException {
    try (InputStream in = PyarrowFilesTest.class.getResourceAsStream("/parquet/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @BeforeAll
  static void generate() throws IOException {
    Python.require("numpy", "pyarrow", "zstandard", "lz4");
    Python.run(script("make_fixtures.py"), dir.toString()).check();
  }

  /** The generator's pixel formula. */
  static int expected(int t, int c, int z, int y, int x) {
    return (t * 1000 + c * 300 + z * 50 + y * 7 + x * 3) % 65536;
  }

  static void checkAllPixels(ImageSource img, int offset) {
    PixelsMeta p = img.pixels();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment plane = arena.allocate(p.planeBytes());
      for (int t = 0; t < p.sizeT(); t++) {
        for (int c = 0; c < p.sizeC(); c++) {
          for (int z = 0; z < p.sizeZ(); z++) {
            img.readPlane(t, c, z, plane);
            for (int y = 0; y < p.sizeY(); y++) {
              for (int x = 0; x < p.sizeX(); x++) {
                int v = Short.toUnsignedInt(plane.getAtIndex(ValueLayout.JAVA_SHORT, (long) y * p.sizeX() + x));
                assertEquals(expected(t, c, z, y, x) + offset, v, "pixel t=" + t + " c=" + c + " z=" + z + " y=" + y + " x=" + x);
              }
            }
          }
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"v0:planes:v0", "v2_list:list-chunks:v2-list", "v2_list_chunks_only:list-chunks:v2-list",
      "v2_bytes_old:byte-chunks:v2-bytes", "v2_bytes_none:byte-chunks:v2-bytes", "v2_bytes_zstd:byte-chunks:v2-bytes",
      "v2_bytes_lz4:byte-chunks:v2-bytes", "v2_bytes_mixed:byte-chunks:v2-bytes", "v2_large_list:list-chunks:v2-list",
      "v2_list_snappy_plain:list-chunks:v2-list", "v2_list_none_v2pages:list-chunks:v2-list"})
  void readsEveryReferenceVariantEagerlyAndLazily(String spec, BufferAllocator allocator) {
    String[] s = spec.split(":");
    String file = dir.resolve(s[0] + ".parquet").toString();
    List<String> warnings = new ArrayList<>();
    try (OmeImage img = ParquetImages.read(file, OpenOptions.defaults(), allocator, warnings::add)) {
      assertArrayEquals(new long[] {1, 2, 3, 9, 11}, img.pixels().shape());
      assertEquals(s[1], img.info().encoding());
      assertEquals(s[2], img.info().schema());
      assertEquals("img", img.metadata().id());
      assertEquals("C1", img.pixels().channels().get(1).name());
      assertEquals(0.65, img.pixels().physicalSizeX().value(), 1e-6);
      checkAllPixels(img, 0);
    }
    try (ImageSource lazy = ParquetImages.open(file, OpenOptions.defaults(), allocator, warnings::add)) {
      assertInstanceOf(LazyParquetImage.class, lazy);
      assertEquals(s[1], lazy.info().encoding());
      assertEquals(s[2], lazy.info().schema());
      checkAllPixels(lazy, 0);
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment roi = arena.allocate(3 * 4 * 2);
        lazy.readRegion(0, 1, 2, 3, 2, 4, 3, roi);
        for (int y = 0; y < 3; y++) {
          for (int x = 0; x < 4; x++) {
            assertEquals(expected(0, 1, 2, 2 + y, 3 + x), Short.toUnsignedInt(roi.getAtIndex(ValueLayout.JAVA_SHORT, y * 4L + x)));
          }
        }
      }
    }
  }

  @Test
  void largeListKeepsItsArrowType(BufferAllocator allocator) {
    try (ParquetTable t = ParquetTable.open(dir.resolve("v2_large_list.parquet").toString())) {
      var planes = t.schema().findField("ome_arrow").getChildren().stream().filter(f -> f.getName().equals("planes")).findFirst().orElseThrow();
      assertInstanceOf(ArrowType.LargeList.class, planes.getType());
      assertEquals("ome.arrow", t.metadata().get("ome.arrow.type"));
    }
  }

  @Test
  void cytoTableRowsAndFeatureColumns(BufferAllocator allocator) {
    String file = dir.resolve("cyto.parquet").toString();
    List<String> warnings = new ArrayList<>();
    try (ParquetTable t = ParquetTable.open(file)) {
      assertEquals(7, t.rowCount());
      assertEquals(3, t.rowGroupCount());
      assertEquals("Image_FileName_OrigDNA_OMEArrow_ORIG", t.resolveColumn(null, warnings::add));
      assertEquals(List.of("Requested column 'ome_arrow' was not usable or not found. Auto-detected OME-Arrow column "
          + "'Image_FileName_OrigDNA_OMEArrow_ORIG'."), warnings);
      try (VectorSchemaRoot root = t.readRowGroup(1, List.of("Metadata_Site", "Nuclei_AreaShape_Area", "ObjectNumber"), allocator)) {
        assertEquals(3, root.getRowCount());
        assertEquals("s4", new String(((VarCharVector) root.getVector("Metadata_Site")).get(1), StandardCharsets.UTF_8));
        assertEquals(104.5, ((Float8Vector) root.getVector("Nuclei_AreaShape_Area")).get(1));
        assertEquals(5L, ((BigIntVector) root.getVector("ObjectNumber")).get(2));
      }
    }
    for (int row = 0; row < 7; row++) {
      try (ImageSource img = ParquetImages.open(file, OpenOptions.defaults().withRow(row).withColumn("Image_FileName_OrigDNA_OMEArrow_ORIG"),
          allocator, warnings::add)) {
        assertArrayEquals(new long[] {1, 1, 1, 5 + row, 6 + row}, img.pixels().shape());
        assertEquals("orig-" + row, img.metadata().id());
        assertEquals(7, img.info().rows());
        assertEquals("Image_FileName_OrigDNA_OMEArrow_ORIG", img.info().column());
        checkAllPixels(img, row);
      }
    }
    try (OmeImage labl = ParquetImages.read(file, OpenOptions.defaults().withRow(2).withColumn("Image_FileName_OrigDNA_OMEArrow_LABL"),
        allocator, warnings::add)) {
      assertEquals("labl-2", labl.metadata().id());
      assertEquals("v0", labl.info().schema());
    }
  }
}
