package io.omearrow.io.tiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omearrow.core.Channel;
import io.omearrow.core.FormatException;
import io.omearrow.core.ImageMetadata;
import io.omearrow.core.PhysicalSize;
import io.omearrow.core.PixelType;
import io.omearrow.core.PixelsMeta;
import io.omearrow.core.SelectionException;
import io.omearrow.source.ImageFormats;
import io.omearrow.source.ImageSource;
import io.omearrow.source.OpenOptions;
import io.omearrow.source.WriteOptions;
import io.omearrow.testing.LeakCheckedAllocator;
import io.omearrow.testing.Python;
import io.omearrow.testing.TestData;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@ExtendWith(LeakCheckedAllocator.class)
class OmeTiffWriterTest {
  @TempDir Path dir;

  static ImageMetadata meta(PixelType type, int t, int c, int z, int y, int x) {
    List<Channel> ch = new java.util.ArrayList<>();
    for (int i = 0; i < c; i++) {
      ch.add(Channel.of(i, "chan-" + i).withColor(i == 0 ? 0xFF0000FF : 0x00FF00FF));
    }
    PixelsMeta p = new PixelsMeta(null, type, x, y, z, c, t, PhysicalSize.um(0.5), PhysicalSize.um(0.25), new PhysicalSize(200, "nm"), ch);
    return ImageMetadata.of(p).withIdAndName("img", "my image");
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(PixelType.UINT16, "zlib", null, false),
        Arguments.of(PixelType.INT8, "none", null, false),
        Arguments.of(PixelType.INT16, "zstd", new int[] {32, 48}, false),
        Arguments.of(PixelType.FLOAT32, "deflate", new int[] {16, 16}, true),
        Arguments.of(PixelType.FLOAT64, "none", new int[] {64, 64}, false),
        Arguments.of(PixelType.UINT32, "zstd", null, true),
        Arguments.of(PixelType.INT32, "zlib", new int[] {48, 32}, false),
        Arguments.of(PixelType.UINT8, null, null, false));
  }

  private static String sha(MemorySegment s) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)));
  }

  private static String shaOfAll(ImageSource src) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    PixelsMeta p = src.pixels();
    try (Arena a = Arena.ofConfined()) {
      MemorySegment plane = a.allocate(p.planeBytes());
      for (int t = 0; t < p.sizeT(); t++) {
        for (int c = 0; c < p.sizeC(); c++) {
          for (int z = 0; z < p.sizeZ(); z++) {
            src.readPlane(t, c, z, plane);
            md.update(plane.asByteBuffer());
          }
        }
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  @ParameterizedTest
  @MethodSource("cases")
  void writesAndReadsBackEveryTypeCodecAndLayout(PixelType type, String codec, int[] tile, boolean big, BufferAllocator alloc)
      throws Exception {
    Path out = dir.resolve("x.ome.tif");
    try (ArraySource src = new ArraySource(meta(type, 2, 3, 2, 70, 100), 7)) {
      List<String> warnings = ImageFormats.write(List.of(src), out.toString(),
          WriteOptions.defaults().withCompression(codec).withTileSize(tile).withBigTiff(big), alloc);
      assertEquals(List.of(), warnings);
      try (TiffSource back = (TiffSource) ImageFormats.open(out.toString(), OpenOptions.defaults(), alloc)) {
        assertEquals(big, back.file().isBigTiff());
        PixelsMeta p = back.pixels();
        assertEquals(type, p.pixelType());
        assertEquals(List.of(2L, 3L, 2L, 70L, 100L), java.util.Arrays.stream(p.shape()).boxed().toList());
        assertEquals(PhysicalSize.um(0.5), p.physicalSizeX());
        assertEquals(PhysicalSize.um(0.25), p.physicalSizeY());
        assertEquals(new PhysicalSize(200, "nm"), p.physicalSizeZ());
        assertEquals("chan-1", p.channels().get(1).name());
        assertEquals(0x00FF00FF, p.channels().get(1).colorRgba());
        assertEquals("my image", back.metadata().name());
        int expectedCode = codec == null || codec.equals("zlib") || codec.equals("deflate") ? 8 : codec.equals("zstd") ? 50000 : 1;
        assertEquals(expectedCode, back.file().ifds().get(0).compression());
        assertEquals(expectedCode != 1 && !type.isFloating() ? 2 : 1, back.file().ifds().get(0).predictor(), "default predictor");
        assertEquals(tile != null, back.file().ifds().get(0).tiled());
        assertEquals(sha(src.data), shaOfAll(back));
      }
    }
    try (var files = Files.list(dir)) {
      assertEquals(List.of(out), files.toList(), "only the target remains, no temporary file");
    }
  }

  @Test
  void streamsBandByBandNeverAWholePlane(BufferAllocator alloc) throws Exception {
    try (ArraySource src = new ArraySource(meta(PixelType.UINT16, 1, 1, 2, 600, 2000), 3)) {
      Path out = dir.resolve("big.tif");
      ImageFormats.write(List.of(src), out.toString(), WriteOptions.defaults(), alloc);
      assertTrue(src.largestRead.get() <= 256 * 1024, "largest read " + src.largestRead.get());
      try (ImageSource back = ImageFormats.open(out.toString(), OpenOptions.defaults(), alloc)) {
        assertEquals(sha(src.data), shaOfAll(back));
      }
    }
  }

  @Test
  void writesSeveralImagesAsSeries(BufferAllocator alloc) throws Exception {
    Path out = dir.resolve("two.ome.tiff");
    try (ArraySource a = new ArraySource(meta(PixelType.UINT8, 1, 2, 1, 30, 40), 1);
        ArraySource b = new ArraySource(meta(PixelType.FLOAT32, 3, 1, 2, 20, 25), 2)) {
      ImageFormats.write(List.of(a, b), out.toString(), WriteOptions.defaults().withCompression("zstd"), alloc);
      try (ImageSource s0 = ImageFormats.open(out.toString(), OpenOptions.defaults(), alloc);
          ImageSource s1 = ImageFormats.open(out.toString(), OpenOptions.defaults().withSeries(1), alloc)) {
        assertEquals(2, s0.info().series());
        assertEquals("tiff", s0.info().encoding());
        assertEquals(sha(a.data), shaOfAll(s0));
        assertEquals(sha(b.data), shaOfAll(s1));
        assertEquals(PixelType.FLOAT32, s1.pixels().pixelType());
        assertEquals("two.ome_s1", s1.metadata().id());
      }
      SelectionException e = assertThrows(SelectionException.class,
          () -> ImageFormats.open(out.toString(), OpenOptions.defaults().withSeries(2), alloc));
      assertEquals("series 2 does not exist in '" + out + "' (it holds 2 images: 0..1)", e.getMessage());
    }
  }

  @Test
  void convertsPixelTypeOnRequest(BufferAllocator alloc) throws Exception {
    Path out = dir.resolve("conv.tif");
    try (ArraySource a = new ArraySource(meta(PixelType.UINT16, 1, 1, 1, 10, 10), 5)) {
      ImageFormats.write(List.of(a), out.toString(), WriteOptions.defaults().withPixelType(PixelType.FLOAT32), alloc);
      try (ImageSource back = ImageFormats.open(out.toString(), OpenOptions.defaults(), alloc); Arena arena = Arena.ofConfined()) {
        assertEquals(PixelType.FLOAT32, back.pixels().pixelType());
        MemorySegment plane = arena.allocate(400);
        back.readPlane(0, 0, 0, plane);
        var le = java.nio.ByteOrder.LITTLE_ENDIAN;
        for (int i = 0; i < 100; i++) {
          int v = a.data.get(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(le), 2L * i) & 0xFFFF;
          assertEquals((float) v, plane.get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(le), 4L * i));
        }
      }
    }
  }

  @Test
  void refusesOptionsItCannotHonour(BufferAllocator alloc) {
    Path out = dir.resolve("bad.tif");
    try (ArraySource a = new ArraySource(meta(PixelType.UINT8, 1, 1, 1, 8, 8), 1);
        ArraySource i64 = new ArraySource(meta(PixelType.INT64, 1, 1, 1, 8, 8), 1)) {
      SelectionException e = assertThrows(SelectionException.class,
          () -> ImageFormats.write(List.of(a), out.toString(), WriteOptions.defaults().withCompression("jpeg"), alloc));
      assertEquals("cannot write '" + out + "': TIFF compression 'jpeg' is not supported; use zlib (or deflate), zstd or none", e.getMessage());
      e = assertThrows(SelectionException.class,
          () -> ImageFormats.write(List.of(a), out.toString(), WriteOptions.defaults().withTileSize(new int[] {10, 16}), alloc));
      assertEquals("cannot write '" + out + "': tile size must be two positive multiples of 16 (y, x), got [10, 16]", e.getMessage());
      e = assertThrows(SelectionException.class, () -> ImageFormats.write(List.of(i64), out.toString(), WriteOptions.defaults(), alloc));
      assertTrue(e.getMessage().startsWith("cannot write '" + out + "': OME-TIFF has no int64 pixel type"), e.getMessage());
      assertFalse(Files.exists(out));
    }
  }

  @Test
  void thePredictorIsChosenOrRefusedAsAsked(BufferAllocator alloc) throws Exception {
    Path out = dir.resolve("p.ome.tif");
    try (ArraySource u16 = new ArraySource(meta(PixelType.UINT16, 1, 2, 2, 37, 53), 3);
        ArraySource f32 = new ArraySource(meta(PixelType.FLOAT32, 1, 1, 1, 8, 8), 3)) {
      for (OmeTiffWriter.Predictor pr : OmeTiffWriter.Predictor.values()) {
        for (int[] tile : new int[][] {null, {16, 32}}) {
          OmeTiffWriter.write(List.of(u16), out, WriteOptions.defaults().withCompression("zstd").withTileSize(tile), pr);
          try (TiffSource back = TiffSource.open(out, OpenOptions.defaults())) {
            assertEquals(pr == OmeTiffWriter.Predictor.NONE ? 1 : 2, back.file().ifds().get(0).predictor(), pr + " " + tile);
            assertEquals(sha(u16.data), shaOfAll(back), pr + " " + tile);
          }
        }
      }
      // AUTO leaves floats and uncompressed data alone
      OmeTiffWriter.write(List.of(f32), out, WriteOptions.defaults(), OmeTiffWriter.Predictor.AUTO);
      try (TiffSource back = TiffSource.open(out, OpenOptions.defaults())) {
        assertEquals(1, back.file().ifds().get(0).predictor());
      }
      OmeTiffWriter.write(List.of(u16), out, WriteOptions.defaults().withCompression("none"), OmeTiffWriter.Predictor.AUTO);
      try (TiffSource back = TiffSource.open(out, OpenOptions.defaults())) {
        assertEquals(1, back.file().ifds().get(0).predictor());
      }
      Path bad = dir.resolve("bad.tif");
      SelectionException e = assertThrows(SelectionException.class, () -> OmeTiffWriter.write(List.of(u16), bad,
          WriteOptions.defaults().withCompression("none"), OmeTiffWriter.Predictor.HORIZONTAL));
      assertEquals("cannot write '" + bad + "': the horizontal predictor needs a compression (zlib or zstd)", e.getMessage());
      e = assertThrows(SelectionException.class,
          () -> OmeTiffWriter.write(List.of(f32), bad, WriteOptions.defaults(), OmeTiffWriter.Predictor.HORIZONTAL));
      assertEquals("cannot write '" + bad + "': the horizontal predictor applies to integer pixel types, not float32", e.getMessage());
      assertFalse(Files.exists(bad));
    }
  }

  @Test
  void aFailingSourceLeavesNothingBehind(BufferAllocator alloc) throws Exception {
    Path out = dir.resolve("fail.tif");
    Files.writeString(out, "previous version");
    try (ArraySource a = new ArraySource(meta(PixelType.UINT8, 1, 1, 3, 8, 8), 1)) {
      ImageSource failing = new ImageSource() {
        public ImageMetadata metadata() { return a.metadata(); }
        public io.omearrow.source.SourceInfo info() { return a.info(); }
        public void readRegion(int t, int c, int z, int x, int y, int w, int h, MemorySegment dst) {
          if (z == 2) {
            throw new FormatException("source broke at z=2");
          }
          a.readRegion(t, c, z, x, y, w, h, dst);
        }
        public void close() { }
      };
      FormatException e = assertThrows(FormatException.class, () -> ImageFormats.write(List.of(failing), out.toString(), WriteOptions.defaults(), alloc));
      assertEquals("source broke at z=2", e.getMessage());
    }
    assertEquals("previous version", Files.readString(out));
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count());
    }
  }

  @Test
  void everyFixtureRoundTripsWithItsChecksums(BufferAllocator alloc) throws Exception {
    for (String f : List.of("tiled_zlib_predictor_u16.ome.tif", "strips_u8.ome.tif", "bigtiff_f32.ome.tif", "bigendian_i16.ome.tif",
        "lzma_u32.ome.tif", "f64_tiled.ome.tif", "rgb_contig.tif", "rgb_planar_u16.tif", "multipage_u16.tif")) {
      Path out = dir.resolve("rt-" + f);
      try (ImageSource src = ImageFormats.open(TestData.path("generated/" + f).toString(), OpenOptions.defaults(), alloc)) {
        ImageFormats.write(List.of(src), out.toString(), WriteOptions.defaults().withCompression("zstd").withTileSize(new int[] {64, 128}), alloc);
      }
      try (ImageSource back = ImageFormats.open(out.toString(), OpenOptions.defaults(), alloc)) {
        assertEquals(Expected.of("generated/" + f).sha256All(), shaOfAll(back), f);
      }
    }
  }

  private static final String TIFFFILE_CHECK = String.join("\n",
      "import sys, json, hashlib, numpy as np, tifffile",
      "with tifffile.TiffFile(sys.argv[1]) as tf:",
      "    out = {'bigtiff': tf.is_bigtiff, 'ome': tf.is_ome, 'compression': int(tf.pages[0].compression), 'predictor': int(tf.pages[0].predictor), 'tiled': tf.pages[0].is_tiled, 'series': []}",
      "    d = tifffile.xml2dict(tf.ome_metadata)['OME']",
      "    images = d['Image'] if isinstance(d['Image'], list) else [d['Image']]",
      "    for s, im in zip(tf.series, images):",
      "        a = s.asarray()",
      "        a = np.ascontiguousarray(a.astype(a.dtype.newbyteorder('<')))",
      "        px = im['Pixels']",
      "        ch = px['Channel'] if isinstance(px['Channel'], list) else [px['Channel']]",
      "        out['series'].append({'axes': s.axes, 'shape': list(s.shape), 'dtype': a.dtype.name,",
      "            'sha': hashlib.sha256(a.tobytes()).hexdigest(), 'name': im.get('Name'),",
      "            'ps': [px.get('PhysicalSizeX'), px.get('PhysicalSizeXUnit'), px.get('PhysicalSizeY'), px.get('PhysicalSizeZ'), px.get('PhysicalSizeZUnit')],",
      "            'channels': [c.get('Name') for c in ch]})",
      "print(json.dumps(out))");

  @ParameterizedTest
  @MethodSource("cases")
  void tifffileReadsOurFilesWithIdenticalPixelsAndMetadata(PixelType type, String codec, int[] tile, boolean big, BufferAllocator alloc)
      throws Exception {
    Python.require("tifffile", "numpy", "imagecodecs");
    Path out = dir.resolve("py.ome.tif");
    try (ArraySource src = new ArraySource(meta(type, 2, 3, 2, 70, 100), 11);
        ArraySource second = new ArraySource(meta(type, 1, 1, 1, 20, 30), 12)) {
      ImageFormats.write(List.of(src, second), out.toString(),
          WriteOptions.defaults().withCompression(codec).withTileSize(tile).withBigTiff(big), alloc);
      String json = Python.run(TIFFFILE_CHECK, out.toString()).check().stdout().strip();
      String expectedCode = codec == null || codec.equals("zlib") || codec.equals("deflate") ? "8" : codec.equals("zstd") ? "50000" : "1";
      String first = "{\"axes\": \"TCZYX\", \"shape\": [2, 3, 2, 70, 100], \"dtype\": \"" + type.numpyName() + "\", \"sha\": \"" + sha(src.data)
          + "\", \"name\": \"my image\", \"ps\": [0.5, \"\\u00b5m\", 0.25, 200.0, \"nm\"], \"channels\": [\"chan-0\", \"chan-1\", \"chan-2\"]}";
      String secondJson = "{\"axes\": \"YX\", \"shape\": [20, 30], \"dtype\": \"" + type.numpyName() + "\", \"sha\": \"" + sha(second.data)
          + "\", \"name\": \"my image\", \"ps\": [0.5, \"\\u00b5m\", 0.25, 200.0, \"nm\"], \"channels\": [\"chan-0\"]}";
      String predictor = !expectedCode.equals("1") && !type.isFloating() ? "2" : "1";
      assertEquals("{\"bigtiff\": " + (big ? "true" : "false") + ", \"ome\": true, \"compression\": " + expectedCode + ", \"predictor\": "
          + predictor + ", \"tiled\": "
          + (tile != null ? "true" : "false") + ", \"series\": [" + first + ", " + secondJson + "]}", json);
    }
  }
}
