package io.omearrow.blosc2.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The LZ4 block decoder's fast path (short sequences) and its fallbacks, against our compressors. */
class Lz4Test {
  /** Short literal runs and matches at every offset from 1 to 40: both decoder paths, every copy shape. */
  private static byte[] shortSequences(int n, long seed) {
    Random r = new Random(seed);
    byte[] d = new byte[n];
    int i = 0;
    while (i < n) {
      int lit = r.nextInt(20);
      for (int k = 0; k < lit && i < n; k++) {
        d[i++] = (byte) r.nextInt(256);
      }
      int off = 1 + r.nextInt(40);
      int ml = 4 + r.nextInt(r.nextBoolean() ? 16 : 80);
      for (int k = 0; k < ml && i < n; k++, i++) {
        d[i] = i >= off ? d[i - off] : (byte) k;
      }
    }
    return d;
  }

  @Test
  void roundTripsShortSequencesWithEveryCompressor() {
    for (int n : new int[] {1, 13, 40, 41, 100, 4096, 65_537}) {
      byte[] data = shortSequences(n, n);
      for (int attempts : new int[] {0, 4, 32}) {
        byte[] c = new byte[Lz4.maxCompressedLength(n)];
        int clen = Lz4.compress(data, 0, n, c, 0, c.length, attempts);
        byte[] out = new byte[n + 7];
        Lz4.decompress(c, 0, clen, out, 3, n);
        assertArrayEquals(data, Arrays.copyOfRange(out, 3, 3 + n), "n=" + n + " attempts=" + attempts);
      }
    }
  }

  @Test
  void fastPathRejectsAnOffsetBeforeTheOutputStart() {
    // Token: 2 literals + match of 4; offset 9 points before the start; long enough for the fast path.
    byte[] src = new byte[64];
    src[0] = 0x20;
    src[1] = 'a';
    src[2] = 'b';
    src[3] = 9;
    src[4] = 0;
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> Lz4.decompress(src, 0, src.length, new byte[100], 0, 100));
    assertEquals("LZ4 match offset 9 points before the output start", e.getMessage());
  }
}
