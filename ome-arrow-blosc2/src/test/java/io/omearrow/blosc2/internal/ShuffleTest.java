package io.omearrow.blosc2.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The word-at-a-time byte shuffle and its fused row-scatter inverse, against the definition. */
class ShuffleTest {
  /** The definition: byte j of element e at j * n + e, trailing bytes unchanged. */
  static byte[] naiveShuffle(int t, byte[] src, int len) {
    byte[] out = Arrays.copyOf(src, len);
    int n = len / t;
    for (int e = 0; e < n; e++) {
      for (int j = 0; j < t; j++) {
        out[j * n + e] = src[e * t + j];
      }
    }
    return out;
  }

  static byte[] random(int n, long seed) {
    byte[] a = new byte[n];
    new Random(seed).nextBytes(a);
    return a;
  }

  @Test
  void shuffleAndUnshuffleMatchTheDefinitionForEveryTypeSizeAndOddLengths() {
    for (int t : new int[] {1, 2, 3, 4, 5, 8, 16}) {
      for (int len : new int[] {0, 1, 7, 15, 16, 17, 31, 63, 64, 65, 255, 1000, 4099}) {
        byte[] data = random(len, 31L * t + len);
        byte[] expected = naiveShuffle(t, data, len);
        byte[] shuffled = new byte[len + 6];
        Shuffle.shuffle(t, data, 0, shuffled, 3, len);
        assertArrayEquals(expected, Arrays.copyOfRange(shuffled, 3, 3 + len), "shuffle t=" + t + " len=" + len);
        byte[] back = new byte[len + 10];
        Arrays.fill(back, (byte) 0x5A);
        Shuffle.unshuffle(t, shuffled, 3, back, 5, len);
        assertArrayEquals(data, Arrays.copyOfRange(back, 5, 5 + len), "unshuffle t=" + t + " len=" + len);
        for (int i : new int[] {0, 1, 2, 3, 4, len + 5, len + 6, len + 7, len + 8, len + 9}) {
          assertEquals((byte) 0x5A, back[i], "byte " + i + " outside the output, t=" + t + " len=" + len);
        }
      }
    }
  }

  @Test
  void unshuffleRowsPlacesEveryRowLikeUnshuffleThenCopy() {
    for (int t : new int[] {1, 2, 3, 4, 8}) {
      for (int rows : new int[] {1, 2, 5, 64}) {
        for (int rowElems : new int[] {1, 3, 7, 8, 9, 16, 17, 32, 33}) {
          int n = rows * rowElems;
          byte[] block = random(n * t, 7L * t + 13L * rows + rowElems);
          byte[] shuffled = new byte[n * t + 4];
          Shuffle.shuffle(t, block, 0, shuffled, 4, n * t);
          int pitch = rowElems * t + 11;
          int dOff = 5;
          byte[] dst = new byte[dOff + rows * pitch + 3];
          Arrays.fill(dst, (byte) 0x77);
          byte[] expected = dst.clone();
          for (int r = 0; r < rows; r++) {
            System.arraycopy(block, r * rowElems * t, expected, dOff + r * pitch, rowElems * t);
          }
          Shuffle.unshuffleRows(t, shuffled, 4, rows, rowElems, dst, dOff, pitch);
          assertArrayEquals(expected, dst, "t=" + t + " rows=" + rows + " rowElems=" + rowElems);
        }
      }
    }
  }

  @Test
  void twoByteUnshuffleIntoLongsPlacesEveryRowLikeTheByteVariant() {
    for (int rows : new int[] {1, 2, 5, 64}) {
      for (int rowElems : new int[] {4, 8, 12, 32, 36}) {
        int n = rows * rowElems;
        byte[] block = random(n * 2, 31L * rows + rowElems);
        byte[] shuffled = new byte[n * 2 + 6];
        Shuffle.shuffle(2, block, 0, shuffled, 6, n * 2);
        int pitchLongs = rowElems / 4 + 3;
        int dOffLongs = 2;
        long[] dst = new long[dOffLongs + rows * pitchLongs + 1];
        Arrays.fill(dst, 0x7777777777777777L);
        long[] expected = dst.clone();
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(block).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < rows; r++) {
          for (int i = 0; i < rowElems / 4; i++) {
            expected[dOffLongs + r * pitchLongs + i] = bb.getLong((r * rowElems + i * 4) * 2);
          }
        }
        Shuffle.unshuffleRows2(shuffled, 6, rows, rowElems, dst, dOffLongs, pitchLongs);
        assertArrayEquals(expected, dst, "rows=" + rows + " rowElems=" + rowElems);
      }
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Shuffle.unshuffleRows2(new byte[64], 0, 4, 6, new long[64], 0, 2));
    assertEquals("unshuffleRows2: 4 rows of 6 two-byte elements do not fit the source or destination", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Shuffle.unshuffleRows2(new byte[64], 0, 4, 8, new long[4 * 2 + 1], 0, 3));
  }

  @Test
  void unshuffleRowsRefusesADestinationTooSmall() {
    byte[] src = new byte[64];
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Shuffle.unshuffleRows(2, src, 0, 4, 8, new byte[16 * 3 + 15], 0, 16));
    assertEquals("unshuffleRows: 4 rows of 8 2-byte elements do not fit the source or destination", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Shuffle.unshuffleRows(2, src, 8, 4, 8, new byte[64], 0, 16));
    assertThrows(IllegalArgumentException.class, () -> Shuffle.unshuffleRows(2, src, 0, 4, 8, new byte[64], 0, 15));
  }
}
