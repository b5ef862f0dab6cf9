package io.omearrow.bench.cases;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.omearrow.io.tiff.TiffSource;
import io.omearrow.source.OpenOptions;
import io.omearrow.testing.Python;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deflate-tiled benchmark input: pixels written by {@link TiledTiffWriter} (tiles with a
 * partial border, predictor 2, Deflate) read back exactly by our TIFF reader and by tifffile.
 */
class TiledTiffWriterTest {
  private static final int PLANES = 2;
  private static final int SIZE = 300; // 2 x 2 tiles of 256, the right and bottom ones partial

  private static short[] pixels() {
    short[] v = new short[PLANES * SIZE * SIZE];
    Random r = new Random(7);
    for (int i = 0; i < v.length; i++) {
      v[i] = (short) (i % 977 * 61 + r.nextInt(5000));
    }
    return v;
  }

  private static Path write(Path dir, short[] v) throws Exception {
    Path f = dir.resolve("t.tif");
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment src = arena.allocate(v.length * 2L);
      MemorySegment.copy(v, 0, src, ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, v.length);
      TiledTiffWriter.write(f, src, PLANES, SIZE, 256, Deflater.DEFAULT_COMPRESSION);
    }
    return f;
  }

  @Test
  void ourReaderGetsThePixelsBack(@TempDir Path dir) throws Exception {
    short[] v = pixels();
    Path f = write(dir, v);
    try (TiffSource src = TiffSource.open(f, OpenOptions.defaults()); Arena arena = Arena.ofConfined()) {
      assertEquals(PLANES, src.pixels().planeCount());
      assertEquals(SIZE, src.pixels().sizeX());
      assertEquals(SIZE, src.pixels().sizeY());
      MemorySegment dst = arena.allocate(v.length * 2L);
      long plane = (long) SIZE * SIZE * 2;
      int i = 0;
      for (int t = 0; t < src.pixels().sizeT(); t++) {
        for (int z = 0; z < src.pixels().sizeZ(); z++) {
          src.readRegion(t, 0, z, 0, 0, SIZE, SIZE, dst.asSlice(i++ * plane, plane));
        }
      }
      assertArrayEquals(v, dst.toArray(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN)));
    }
  }

  @Test
  void tifffileReadsTheSameFile(@TempDir Path dir) throws Exception {
    Python.require("tifffile", "imagecodecs", "numpy");
    short[] v = pixels();
    Path f = write(dir, v);
    long sum = 0;
    for (short s : v) {
      sum += s & 0xFFFF;
    }
    String out = Python.run(String.join("\n",
        "import sys, tifffile",
        "with tifffile.TiffFile(sys.argv[1]) as t:",
        "    p = t.pages[0]",
        "    print(len(t.pages), p.compression.value, p.predictor.value, p.tilewidth, p.tilelength)",
        "    a = t.asarray(key=range(len(t.pages)))",
        "print(a.shape, a.dtype, int(a.astype('u8').sum()))"), f.toString()).check().stdout();
    assertEquals("2 8 2 256 256\n(2, 300, 300) uint16 " + sum + "\n", out);
  }
}
