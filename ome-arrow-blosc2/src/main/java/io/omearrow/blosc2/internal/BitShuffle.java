package io.omearrow.blosc2.internal;

/**
 * Bit shuffle and its inverse, in the layout of the bitshuffle library that Blosc2 embeds: only
 * the first {@code N - N % 8} elements are transformed, into {@code 8 * t} rows of
 * {@code N8 / 8} bytes where row {@code 8j + k} holds bit {@code k} of byte {@code j} of every
 * element (LSB first). Remaining bytes are copied unchanged. Works 8 elements at a time with an
 * 8x8 bit-matrix transpose on a long.
 */
public final class BitShuffle {
  private BitShuffle() {}

  /** Forward transform of {@code len} bytes. */
  public static void shuffle(int t, byte[] src, int so, byte[] dst, int dOff, int len) {
    int n8 = (len / t) & ~7;
    int rowLen = n8 / 8;
    for (int g = 0; g < rowLen; g++) {
      int e0 = so + g * 8 * t;
      for (int j = 0; j < t; j++) {
        long x = 0;
        for (int i = 7; i >= 0; i--) {
          x = (x << 8) | (src[e0 + i * t + j] & 0xFF);
        }
        x = transpose8(x);
        int row = dOff + 8 * j * rowLen + g;
        for (int k = 0; k < 8; k++) {
          dst[row + k * rowLen] = (byte) (x >>> (8 * k));
        }
      }
    }
    int done = n8 * t;
    System.arraycopy(src, so + done, dst, dOff + done, len - done);
  }

  /** Inverse transform of {@code len} bytes. */
  public static void unshuffle(int t, byte[] src, int so, byte[] dst, int dOff, int len) {
    int n8 = (len / t) & ~7;
    int rowLen = n8 / 8;
    for (int g = 0; g < rowLen; g++) {
      int e0 = dOff + g * 8 * t;
      for (int j = 0; j < t; j++) {
        int row = so + 8 * j * rowLen + g;
        long x = 0;
        for (int k = 7; k >= 0; k--) {
          x = (x << 8) | (src[row + k * rowLen] & 0xFF);
        }
        x = transpose8(x);
        for (int i = 0; i < 8; i++) {
          dst[e0 + i * t + j] = (byte) (x >>> (8 * i));
        }
      }
    }
    int done = n8 * t;
    System.arraycopy(src, so + done, dst, dOff + done, len - done);
  }

  /** Transposes the 8x8 bit matrix whose row r is byte r (bit c = column c). */
  static long transpose8(long x) {
    long t = (x ^ (x >>> 7)) & 0x00AA00AA00AA00AAL;
    x = x ^ t ^ (t << 7);
    t = (x ^ (x >>> 14)) & 0x0000CCCC0000CCCCL;
    x = x ^ t ^ (t << 14);
    t = (x ^ (x >>> 28)) & 0x00000000F0F0F0F0L;
    return x ^ t ^ (t << 28);
  }
}
