package io.omearrow.io.parquet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The bit unpackers against a bit-by-bit reference, for every width, at lengths around group
 * boundaries, at odd start offsets, with memory ending right after the packed bytes (the
 * byte-by-byte tail) and with slack after them (the 64-bit load path).
 */
class BitUnpackTest {
  private static final int[] LENGTHS = {0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000, 1003, 4099};
  private static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private static long[] random(Random r, int n, int width) {
    long[] v = new long[n];
    long mask = width == 0 ? 0 : (width == 32 ? 0xFFFFFFFFL : (1L << width) - 1);
    for (int i = 0; i < n; i++) {
      v[i] = r.nextLong() & mask;
    }
    return v;
  }

  @Test
  void intsMatchTheReferenceForEveryWidth() {
    Random r = new Random(7);
    try (Arena arena = Arena.ofConfined()) {
      for (int w = 0; w <= 32; w++) {
        for (int n : LENGTHS) {
          for (int at : new int[] {0, 3}) {
            for (int slack : new int[] {0, 16}) {
              long[] v = random(r, n, w);
              byte[] packed = HybridStream.pack(v, w);
              MemorySegment s = HybridStream.place(arena, packed, at, slack);
              int[] out = new int[n + 5];
              out[0] = -1;
              BitUnpack.ints(s, at, s.byteSize(), w, out, 2, n);
              for (int i = 0; i < n; i++) {
                assertEquals((int) HybridStream.unpack(packed, 0, i, w), out[2 + i], "w=" + w + " n=" + n + " i=" + i + " slack=" + slack);
              }
              assertEquals(-1, out[0], "nothing written before the offset");
              assertEquals(0, out[2 + n], "nothing written after the values");
            }
          }
        }
      }
    }
  }

  @Test
  void bytesMatchTheReferenceForLevelWidths() {
    Random r = new Random(8);
    try (Arena arena = Arena.ofConfined()) {
      for (int w = 0; w <= 8; w++) {
        for (int n : LENGTHS) {
          for (int slack : new int[] {0, 16}) {
            long[] v = random(r, n, w);
            byte[] packed = HybridStream.pack(v, w);
            MemorySegment s = HybridStream.place(arena, packed, 1, slack);
            byte[] out = new byte[n + 1];
            BitUnpack.bytes(s, 1, s.byteSize(), w, out, 1, n);
            for (int i = 0; i < n; i++) {
              assertEquals(v[i], out[1 + i] & 0xFF, "w=" + w + " n=" + n + " i=" + i);
            }
          }
        }
      }
    }
  }

  @Test
  void gather16LooksUpEveryIndexAndReportsTheLargest() {
    Random r = new Random(9);
    short[] dict = new short[65536];
    for (int i = 0; i < dict.length; i++) {
      dict[i] = (short) (i * 31 + 5);
    }
    try (Arena arena = Arena.ofConfined()) {
      for (int w = 1; w <= 16; w++) {
        for (int n : LENGTHS) {
          for (int slack : new int[] {0, 16}) {
            long[] v = random(r, n, w);
            byte[] packed = HybridStream.pack(v, w);
            MemorySegment s = HybridStream.place(arena, packed, 5, slack);
            MemorySegment dst = arena.allocate(2L * n + 4);
            dst.fill((byte) 0x5A);
            int max = BitUnpack.gather16(s, 5, s.byteSize(), w, dict, dst, 2, n);
            long expectedMax = 0;
            for (int i = 0; i < n; i++) {
              assertEquals(dict[(int) v[i]], dst.get(SHORT_LE, 2 + 2L * i), "w=" + w + " n=" + n + " i=" + i);
              expectedMax = Math.max(expectedMax, v[i]);
            }
            assertEquals(expectedMax, max, "w=" + w + " n=" + n);
            assertEquals((short) 0x5A5A, dst.get(SHORT_LE, 0), "nothing written before the destination");
            assertEquals((short) 0x5A5A, dst.get(SHORT_LE, 2 + 2L * n), "nothing written after the values");
          }
        }
      }
    }
  }

  @Test
  void valueReadsSingleValuesAtTheVeryEndOfMemory() {
    try (Arena arena = Arena.ofConfined()) {
      long[] v = {0x1FFFF, 3, 0x12345, 0x1ABCD, 7};
      byte[] packed = HybridStream.pack(v, 17);
      MemorySegment s = HybridStream.place(arena, packed, 0, 0);
      int[] got = new int[v.length];
      for (int i = 0; i < v.length; i++) {
        got[i] = BitUnpack.value(s, 0, i, 17, s.byteSize());
      }
      assertArrayEquals(new int[] {0x1FFFF, 3, 0x12345, 0x1ABCD, 7}, got);
    }
  }
}
