package io.omearrow.io.tiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omearrow.core.FormatException;
import io.omearrow.core.PhysicalSize;
import io.omearrow.core.PixelType;
import io.omearrow.core.PixelsMeta;
import io.omearrow.source.ImageFormats;
import io.omearrow.source.ImageSource;
import io.omearrow.source.OpenOptions;
import io.omearrow.testing.LeakCheckedAllocator;
import io.omearrow.testing.Python;
import io.omearrow.testing.TestData;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(LeakCheckedAllocator.class)
class TiffReaderTest {
  @TempDir Path dir;

  private static TiffSource open(String rel) {
    return TiffSource.open(TestData.path(rel), OpenOptions.defaults());
  }

  @Test
  void readsOnlyTheTilesARegionTouches() {
    try (TiffSource s = open("generated/tiled_zlib_predictor_u16.ome.tif"); Arena a = Arena.ofConfined()) {
      TiffFile f = s.file();
      Ifd ifd = f.ifds().get((int) s.pixels().planeIndex(1, 2, 3));
      assertEquals(128, ifd.blockWidth());
      assertEquals(6, ifd.offsets().length);
      MemorySegment dst = a.allocate(40 * 40 * 2);
      long before = f.bytesRead();
      s.readRegion(1, 2, 3, 130, 10, 20, 20, dst); // inside tile (col 1, row 0)
      assertEquals(ifd.byteCounts()[1], f.bytesRead() - before);
      before = f.bytesRead();
      s.readRegion(1, 2, 3, 120, 120, 20, 20, dst); // tiles (0,0) (1,0) (0,1) (1,1)
      assertEquals(ifd.byteCounts()[0] + ifd.byteCounts()[1] + ifd.byteCounts()[3] + ifd.byteCounts()[4], f.bytesRead() - before);
    }
  }

  @Test
  void readsOnlyTheRowsOfUncompressedStrips() {
    try (TiffSource s = open("generated/strips_u8.ome.tif"); Arena a = Arena.ofConfined()) {
      TiffFile f = s.file();
      MemorySegment dst = a.allocate(384 * 11);
      long before = f.bytesRead();
      s.readRegion(0, 1, 2, 0, 40, 384, 11, dst);
      assertEquals(384 * 11, f.bytesRead() - before);
    }
  }

  @Test
  void keepsOmeMetadata() {
    try (TiffSource s = open("generated/tiled_zlib_predictor_u16.ome.tif")) {
      PixelsMeta p = s.pixels();
      assertEquals(new PhysicalSize(0.65, PhysicalSize.MICROMETER), p.physicalSizeX());
      assertEquals(new PhysicalSize(2.0, PhysicalSize.MICROMETER), p.physicalSizeZ());
      assertEquals(List.of("ch0", "ch1", "ch2"), p.channels().stream().map(io.omearrow.core.Channel::name).toList());
      assertEquals("tiff", s.info().encoding());
      assertEquals(1, s.info().series());
      assertEquals("tiled_zlib_predictor_u16.ome", s.metadata().id());
    }
    try (TiffSource s = open("ome-artificial-5d-datasets/multi-channel-z-series.ome.tiff")) {
      PixelsMeta p = s.pixels();
      assertEquals(PixelType.INT8, p.pixelType());
      assertTrue(s.file().order() == ByteOrder.BIG_ENDIAN);
      assertEquals("multi-channel-z-series.ome.tiff", s.metadata().name());
      assertEquals(PhysicalSize.um(1.0), p.physicalSizeX(), "missing physical sizes default to 1.0 µm as in the reference");
      assertEquals(List.of("C0", "C1", "C2"), p.channels().stream().map(io.omearrow.core.Channel::name).toList());
    }
    try (TiffSource s = open("generated/rgb_contig.tif")) {
      assertEquals(3, s.pixels().sizeC());
      assertEquals(0x00FF00FF, s.pixels().channels().get(1).colorRgba());
    }
  }

  @Test
  void clampToUint16IsAnExplicitCompatibilityOption(BufferAllocator alloc) {
    String file = TestData.path("ome-artificial-5d-datasets/single-channel.ome.tiff").toString();
    try (ImageSource raw = ImageFormats.open(file, OpenOptions.defaults(), alloc);
        ImageSource clamped = ImageFormats.open(file, OpenOptions.defaults().withClampToUint16(true), alloc);
        Arena a = Arena.ofConfined()) {
      assertEquals(PixelType.INT8, raw.pixels().pixelType());
      assertEquals(PixelType.UINT16, clamped.pixels().pixelType());
      long n = raw.pixels().planePixels();
      MemorySegment r = a.allocate(n);
      MemorySegment c = a.allocate(n * 2);
      raw.readPlane(0, 0, 0, r);
      clamped.readPlane(0, 0, 0, c);
      int negatives = 0;
      for (long i = 0; i < n; i++) {
        byte v = r.get(ValueLayout.JAVA_BYTE, i);
        negatives += v < 0 ? 1 : 0;
        assertEquals(Math.max(0, v), c.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 2 * i));
      }
      assertTrue(negatives > 0, "the fixture has negative values");
    }
  }

  @Test
  void mapsEveryDimensionOrder() throws Exception {
    Python.require("tifffile", "numpy");
    String script = String.join("\n",
        "import sys, hashlib, numpy as np, tifffile",
        "rng = np.random.default_rng(5)",
        "a = rng.integers(0, 60000, size=(2, 3, 4, 9, 11), dtype=np.uint16)  # T C Z Y X",
        "print(hashlib.sha256(a.tobytes()).hexdigest())",
        "for axes in ['TCZYX', 'TZCYX', 'CTZYX', 'CZTYX', 'ZTCYX', 'ZCTYX']:",
        "    b = np.transpose(a, ['TCZYX'.index(x) for x in axes])",
        "    tifffile.imwrite(sys.argv[1] + '/' + axes + '.ome.tif', b, ome=True, metadata={'axes': axes}, photometric='minisblack')");
    String expected = Python.run(script, dir.toString()).check().stdout().strip();
    for (String axes : List.of("TCZYX", "TZCYX", "CTZYX", "CZTYX", "ZTCYX", "ZCTYX")) {
      try (TiffSource s = TiffSource.open(dir.resolve(axes + ".ome.tif"), OpenOptions.defaults()); Arena a = Arena.ofConfined()) {
        assertEquals(List.of(2L, 3L, 4L, 9L, 11L), java.util.Arrays.stream(s.pixels().shape()).boxed().toList(), axes);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        MemorySegment plane = a.allocate(s.pixels().planeBytes());
        for (int t = 0; t < 2; t++) {
          for (int c = 0; c < 3; c++) {
            for (int z = 0; z < 4; z++) {
              s.readPlane(t, c, z, plane);
              md.update(plane.asByteBuffer());
            }
          }
        }
        assertEquals(expected, HexFormat.of().formatHex(md.digest()), "DimensionOrder for axes " + axes);
      }
    }
  }

  @Test
  void omeXmlOrderHelpersInvertEachOther() {
    for (String order : List.of("XYZCT", "XYZTC", "XYCZT", "XYCTZ", "XYTZC", "XYTCZ")) {
      for (int i = 0; i < 2 * 3 * 4; i++) {
        int[] zct = OmeXml.zct(order, i, 2, 3, 4);
        assertEquals(i, OmeXml.linearIndex(order, zct[0], zct[1], zct[2], 2, 3, 4), order);
      }
    }
    assertEquals(1, OmeXml.linearIndex("XYZCT", 1, 0, 0, 2, 3, 4));
    assertEquals(2, OmeXml.linearIndex("XYZCT", 0, 1, 0, 2, 3, 4));
    assertEquals(1, OmeXml.linearIndex("XYTCZ", 0, 0, 1, 2, 3, 4));
  }

  // ---- bad input: each a FormatException naming the file ----

  private FormatException refused(Path f) {
    return assertThrows(FormatException.class, () -> {
      try (TiffSource s = TiffSource.open(f, OpenOptions.defaults()); Arena a = Arena.ofConfined()) {
        s.readPlane(0, 0, 0, a.allocate(s.pixels().planeBytes()));
      }
    });
  }

  private void assertRefused(Path f, String problem) {
    assertEquals("cannot read TIFF '" + f + "': " + problem, refused(f).getMessage());
  }

  @Test
  void refusesMissingAndNonTiffFiles() throws Exception {
    assertRefused(dir.resolve("nope.tif"), "file not found");
    Path txt = Files.writeString(dir.resolve("text.tif"), "hello, this is not a TIFF");
    assertRefused(txt, "not a TIFF file (the first bytes are not 'II' or 'MM')");
    Path tiny = Files.write(dir.resolve("tiny.tif"), new byte[] {'I', 'I', 42});
    assertRefused(tiny, "file is 3 bytes long, too short for a TIFF header");
  }

  @Test
  void refusesTruncatedFiles() throws Exception {
    byte[] all = Files.readAllBytes(TestData.path("generated/strips_u8.ome.tif"));
    Path f = Files.write(dir.resolve("cut.ome.tif"), java.util.Arrays.copyOf(all, all.length - 5000));
    String msg = refused(f).getMessage();
    assertTrue(msg.startsWith("cannot read TIFF '" + f + "': ") && msg.contains("past the end of the file"), msg);
  }

  @Test
  void refusesIfdLoops() throws Exception {
    Path f = MiniTiff.gray8(4, 4).nextIfd(8).write(dir.resolve("loop.tif"));
    assertRefused(f, "IFD chain loops back to offset 8 after 1 IFDs");
  }

  @Test
  void refusesOffsetsPastTheEnd() throws Exception {
    Path f = MiniTiff.gray8(4, 4).tag(273, 4, 1_000_000).write(dir.resolve("far.tif"));
    assertRefused(f, "strip 0 of IFD 0 (offset 1000000, 16 bytes) runs past the end of the file (" + Files.size(f) + " bytes)");
    Path g = MiniTiff.gray8(4, 4).nextIfd(5_000_000).write(dir.resolve("farifd.tif"));
    assertRefused(g, "IFD 1 offset 5000000 is past the end of the file (" + Files.size(g) + " bytes)");
  }

  @Test
  void refusesStripByteCountsThatLie() throws Exception {
    Path f = MiniTiff.gray8(4, 4).tag(279, 4, 10).write(dir.resolve("short.tif"));
    assertRefused(f, "strip 0 of IFD 0 holds 10 bytes, fewer than its 4 rows of 4 bytes need");
    Path g = MiniTiff.gray8(4, 4).tag(279, 4, 4000).write(dir.resolve("long.tif"));
    assertRefused(g, "strip 0 of IFD 0 (offset 122, 4000 bytes) runs past the end of the file (" + Files.size(g) + " bytes)");
    Path z = MiniTiff.gray8(4, 4).tag(259, 3, 8).tag(279, 4, 16).write(dir.resolve("notzlib.tif"));
    String msg = refused(z).getMessage();
    assertTrue(msg.startsWith("cannot read TIFF '" + z + "': strip 0 of IFD 0 is corrupt (Deflate): "), msg);
  }

  @Test
  void refusesTileSizesOfZero() throws Exception {
    Path f = MiniTiff.gray8(4, 4).tag(322, 4, 0).tag(323, 4, 16).tag(324, 4, 118).tag(325, 4, 16).write(dir.resolve("tile0.tif"));
    assertRefused(f, "IFD 0 has tile size 0 x 16 (must be positive)");
  }

  @Test
  void refusesAbsurdDimensionsBeforeAllocating() throws Exception {
    Path f = MiniTiff.gray8(4, 4).tag(256, 4, 2_000_000_000L).tag(257, 4, 2_000_000_000L).tag(278, 4, 2_000_000_000L)
        .write(dir.resolve("huge.tif"));
    assertRefused(f, "IFD 0 has strips of 2000000000 x 2000000000 x 1 samples, too large to decode");
    Path g = MiniTiff.gray8(4, 4).tag(256, 4, 2_000_000_000L).tag(257, 4, 2_000_000_000L).tag(278, 4, 1).write(dir.resolve("many.tif"));
    assertRefused(g, "IFD 0 has 1 strip offsets for 2000000000 x 2000000000 pixels in strips of 2000000000 x 1; expected 2000000000");
  }

  @ParameterizedTest
  @ValueSource(ints = {7, 34712, 12345})
  void refusesUnknownCompressionNamingTheCode(int code) throws Exception {
    Path f = MiniTiff.gray8(4, 4).tag(259, 3, code).write(dir.resolve("c" + code + ".tif"));
    String name = code == 7 ? "JPEG" : code == 34712 ? "JPEG 2000" : "unknown";
    assertRefused(f, "IFD 0 uses compression " + code + " (" + name + "), which this reader does not support; supported: "
        + "1 (none), 5 (LZW), 8 and 32946 (Deflate), 32773 (PackBits), 34925 (LZMA), 50000 and 34926 (Zstd)");
  }

  @Test
  void refusesOmeXmlThatDisagreesWithItsIfds() throws Exception {
    String td = "<TiffData IFD=\"0\" PlaneCount=\"1\"/>";
    Path size = MiniTiff.gray8(4, 4).description(MiniTiff.omeXml(
        "DimensionOrder=\"XYZCT\" Type=\"uint8\" SizeX=\"5\" SizeY=\"4\" SizeZ=\"1\" SizeC=\"1\" SizeT=\"1\"", td)).write(dir.resolve("size.ome.tif"));
    assertRefused(size, "OME-XML Image 0 is 5 x 4 but IFD 0 is 4 x 4");
    Path type = MiniTiff.gray8(4, 4).description(MiniTiff.omeXml(
        "DimensionOrder=\"XYZCT\" Type=\"uint16\" SizeX=\"4\" SizeY=\"4\" SizeZ=\"1\" SizeC=\"1\" SizeT=\"1\"", td)).write(dir.resolve("type.ome.tif"));
    assertRefused(type, "OME-XML Image 0 has pixel type uint16 but IFD 0 stores uint8");
    Path planes = MiniTiff.gray8(4, 4).description(MiniTiff.omeXml(
        "DimensionOrder=\"XYZCT\" Type=\"uint8\" SizeX=\"4\" SizeY=\"4\" SizeZ=\"3\" SizeC=\"1\" SizeT=\"1\"",
        "<TiffData IFD=\"0\" PlaneCount=\"3\"/>")).write(dir.resolve("planes.ome.tif"));
    assertRefused(planes, "OME-XML Image 0 maps plane 1 to IFD 1 but the file has only 1 IFDs");
    Path broken = MiniTiff.gray8(4, 4).description("<?xml version=\"1.0\"?><OME><Image>").write(dir.resolve("broken.ome.tif"));
    assertTrue(refused(broken).getMessage().startsWith("cannot read TIFF '" + broken + "': OME-XML in the ImageDescription cannot be parsed: "));
  }

  @Test
  void missingPlanesOfAnOmeTiffReadAsZeros() throws Exception {
    Path f = MiniTiff.gray8(4, 4).description(MiniTiff.omeXml(
        "DimensionOrder=\"XYZCT\" Type=\"uint8\" SizeX=\"4\" SizeY=\"4\" SizeZ=\"2\" SizeC=\"1\" SizeT=\"1\"",
        "<TiffData FirstZ=\"1\" IFD=\"0\" PlaneCount=\"1\"/>")).write(dir.resolve("sparse.ome.tif"));
    try (TiffSource s = TiffSource.open(f, OpenOptions.defaults()); Arena a = Arena.ofConfined()) {
      MemorySegment p = a.allocate(16);
      s.readPlane(0, 0, 0, p);
      assertEquals(-1, p.mismatch(a.allocate(16)));
      s.readPlane(0, 0, 1, p);
      assertEquals(15, p.get(ValueLayout.JAVA_BYTE, 15));
    }
  }
}
