package io.omearrow.blosc2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class B2ndArrayTest {
  @TempDir
  Path tmp;

  static byte[] data(int n) {
    byte[] a = new byte[n];
    Random r = new Random(5);
    for (int i = 0; i < n; i++) {
      a[i] = (byte) (i / 97 + r.nextInt(3));
    }
    return a;
  }

  /** Expected dense region of a C-order array, computed naively. */
  static byte[] region(byte[] all, long[] shape, long[] start, long[] stop, int item) {
    int nd = shape.length;
    long n = item;
    for (int d = 0; d < nd; d++) {
      n *= stop[d] - start[d];
    }
    byte[] out = new byte[(int) n];
    long[] idx = start.clone();
    int o = 0;
    while (o < out.length) {
      long lin = 0;
      for (int d = 0; d < nd; d++) {
        lin = lin * shape[d] + idx[d];
      }
      System.arraycopy(all, (int) (lin * item), out, o, item);
      o += item;
      for (int d = nd - 1; d >= 0; d--) {
        if (++idx[d] < stop[d]) {
          break;
        }
        idx[d] = start[d];
      }
    }
    return out;
  }

  @Test
  void randomRegionsMatchANaiveReadInEveryLayout() {
    Random r = new Random(11);
    long[] shape = {13, 29, 31};
    byte[] all = data(13 * 29 * 31 * 2);
    int[][][] layouts = {{{13, 29, 31}, {13, 29, 31}}, {{5, 10, 7}, {2, 4, 3}}, {{4, 29, 31}, {1, 29, 31}},
        {{6, 11, 9}, {6, 11, 9}}, {{7, 7, 7}, {3, 5, 2}}};
    for (int[][] l : layouts) {
      Path p = tmp.resolve("r" + Arrays.toString(l[0]) + ".b2nd");
      B2ndWriter.write(p, B2ndMeta.of(shape, l[0], l[1], "<u2"), CompressionParams.of(Codec.LZ4, 5, 2),
          MemorySegment.ofArray(all), Map.of());
      try (B2ndArray a = B2ndArray.open(p); Arena arena = Arena.ofShared()) {
        for (int k = 0; k < 40; k++) {
          long[] start = new long[3];
          long[] stop = new long[3];
          for (int d = 0; d < 3; d++) {
            start[d] = r.nextInt((int) shape[d]);
            stop[d] = start[d] + 1 + r.nextInt((int) (shape[d] - start[d]));
          }
          MemorySegment dst = arena.allocate(a.regionBytes(start, stop));
          a.readRegion(start, stop, dst, 1 + k % 3);
          assertArrayEquals(region(all, shape, start, stop, 2), dst.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
              Arrays.toString(l[0]) + " " + Arrays.toString(start) + ".." + Arrays.toString(stop));
        }
      }
    }
  }

  /**
   * Chunk parts made of whole blocks take the fused decode-and-unshuffle path; ragged edges and
   * unaligned regions take the staging path. Both must give the naive region, byte for byte, for
   * every element size, filter pipeline and split mode, on one thread and on two.
   */
  @Test
  void wholeBlockFastPathMatchesANaiveReadForEveryTypeSizeAndFilter() {
    long[][] shapes = {{4, 48, 64}, {5, 50, 70}};
    int[] chunks = {2, 24, 32};
    int[] blocks = {2, 8, 16};
    CompressionParams[] pipelines = {CompressionParams.of(Codec.LZ4HC, 8, 1).withFilters(Filter.SHUFFLE),
        CompressionParams.of(Codec.LZ4, 5, 1).withFilters(Filter.SHUFFLE).withSplitMode(SplitMode.ALWAYS),
        CompressionParams.of(Codec.ZSTD, 3, 1).withFilters(), CompressionParams.of(Codec.BLOSCLZ, 5, 1)
            .withFilters(Filter.BITSHUFFLE), CompressionParams.of(Codec.LZ4, 5, 1).withFilters(Filter.DELTA, Filter.SHUFFLE)};
    for (String dtype : new String[] {"|u1", "<u2", "|S3", "<u4", "<f8"}) {
      int item = B2ndMeta.itemsizeOf(dtype);
      for (long[] shape : shapes) {
        byte[] all = data((int) (shape[0] * shape[1] * shape[2] * item));
        for (CompressionParams params : pipelines) {
          Path p = tmp.resolve("fast" + dtype.substring(1) + shape[1] + params.codec() + params.filters() + ".b2nd");
          B2ndWriter.write(p, B2ndMeta.of(shape, chunks, blocks, dtype), params.withTypesize(item),
              MemorySegment.ofArray(all), Map.of());
          long[][][] regions = {{{0, 0, 0}, shape}, {{0, 8, 16}, {4, 40, 48}}, {{2, 24, 32}, {4, 48, 64}},
              {{1, 3, 5}, {4, 45, 60}}, {{0, 0, 0}, {2, 8, 16}}};
          try (B2ndArray a = B2ndArray.open(p); Arena arena = Arena.ofShared()) {
            for (long[][] r : regions) {
              for (int threads : new int[] {1, 2}) {
                MemorySegment dst = arena.allocate(a.regionBytes(r[0], r[1]));
                a.readRegion(r[0], r[1], dst, threads);
                assertArrayEquals(region(all, shape, r[0], r[1], item), dst.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                    dtype + " " + Arrays.toString(shape) + " " + params.codec() + params.filters() + " "
                        + Arrays.toString(r[0]) + ".." + Arrays.toString(r[1]) + " threads " + threads);
              }
            }
          }
        }
      }
    }
  }

  @Test
  void regionReadsTouchOnlyTheirChunksAndBlocks() throws IOException {
    long[] shape = {64, 64};
    byte[] all = data(64 * 64);
    Path p = tmp.resolve("lazy.b2nd");
    B2ndWriter.write(p, B2ndMeta.of(shape, new int[] {32, 32}, new int[] {8, 32}, "|u1"),
        CompressionParams.of(Codec.LZ4, 5, 1).withFilters(), MemorySegment.ofArray(all), Map.of());
    byte[] file = Files.readAllBytes(p);
    long chunk3;
    long block2of0;
    try (Frame f = Frame.open(p)) {
      chunk3 = f.header().headerLen() + f.chunkOffset(3);
      MemorySegment c0 = f.chunk(0);
      int bstart2 = c0.get(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN),
          32 + 4 * 2);
      block2of0 = f.header().headerLen() + f.chunkOffset(0) + bstart2;
    }
    // Destroy the streams of chunk 3 (after its header and block table) and of block 2 of chunk 0.
    // 0x7F.. makes every stream size larger than the chunk (0xFF.. would be a valid run of 1s).
    for (int i = 32 + 16; i < 32 + 16 + 40; i++) {
      file[(int) chunk3 + i] = (byte) 0x7F;
    }
    file[(int) block2of0] = (byte) 0x7F;
    file[(int) block2of0 + 1] = (byte) 0x7F;
    Path bad = tmp.resolve("bad.b2nd");
    Files.write(bad, file);
    try (B2ndArray a = B2ndArray.open(bad)) {
      byte[] out = new byte[8 * 32];
      a.readRegion(new long[] {0, 0}, new long[] {8, 32}, MemorySegment.ofArray(out));
      assertArrayEquals(region(all, shape, new long[] {0, 0}, new long[] {8, 32}, 1), out, "block 0 of chunk 0");
      out = new byte[16 * 64];
      a.readRegion(new long[] {32, 0}, new long[] {48, 32}, MemorySegment.ofArray(out));
      Blosc2Exception e = assertThrows(Blosc2Exception.class,
          () -> a.readRegion(new long[] {16, 0}, new long[] {17, 1}, MemorySegment.ofArray(new byte[1])));
      assertTrue(e.getMessage().startsWith(bad + ": chunk 0 at byte "), e.getMessage());
      assertTrue(e.getMessage().contains("block 2 stream 0 declares"), e.getMessage());
      assertThrows(Blosc2Exception.class,
          () -> a.readRegion(new long[] {32, 32}, new long[] {64, 64}, MemorySegment.ofArray(new byte[32 * 32])));
    }
  }

  @Test
  void absurdGeometryIsRejected() {
    Blosc2Exception e = assertThrows(Blosc2Exception.class,
        () -> B2ndMeta.of(new long[] {10, 10}, new int[] {100000, 100000}, new int[] {100000, 100000}, "<f8"));
    assertEquals("b2nd: chunks of [100000, 100000] x 8 bytes exceed the 2 GiB chunk limit; choose smaller chunks",
        e.getMessage());
    e = assertThrows(Blosc2Exception.class, () -> B2ndMeta.of(new long[] {-1}, new int[] {1}, new int[] {1}, "|u1"));
    assertTrue(e.getMessage().startsWith("b2nd: invalid geometry on axis 0"), e.getMessage());
  }
}
