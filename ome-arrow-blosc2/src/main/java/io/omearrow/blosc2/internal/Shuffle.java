package io.omearrow.blosc2.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Byte shuffle (transpose by element size) and its inverse on byte arrays. Byte {@code j} of
 * element {@code e} goes to position {@code j * n + e}; trailing bytes that do not fill an element
 * are copied unchanged. The common sizes 2, 4 and 8 have word-at-a-time loops.
 */
public final class Shuffle {
  private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private Shuffle() {}

  /** Shuffles {@code len} bytes of {@code src} at {@code so} into {@code dst} at {@code dOff}. */
  public static void shuffle(int t, byte[] src, int so, byte[] dst, int dOff, int len) {
    int n = len / t;
    if (t <= 1 || n == 0) {
      System.arraycopy(src, so, dst, dOff, len);
      return;
    }
    switch (t) {
      case 2 -> {
        for (int e = 0; e < n; e++) {
          int v = (short) SHORT.get(src, so + 2 * e);
          dst[dOff + e] = (byte) v;
          dst[dOff + n + e] = (byte) (v >> 8);
        }
      }
      case 4 -> {
        for (int e = 0; e < n; e++) {
          int v = (int) INT.get(src, so + 4 * e);
          dst[dOff + e] = (byte) v;
          dst[dOff + n + e] = (byte) (v >> 8);
          dst[dOff + 2 * n + e] = (byte) (v >> 16);
          dst[dOff + 3 * n + e] = (byte) (v >> 24);
        }
      }
      default -> {
        for (int j = 0; j < t; j++) {
          int base = dOff + j * n;
          for (int e = 0, s = so + j; e < n; e++, s += t) {
            dst[base + e] = src[s];
          }
        }
      }
    }
    int done = n * t;
    System.arraycopy(src, so + done, dst, dOff + done, len - done);
  }

  /** Inverse of {@link #shuffle}. */
  public static void unshuffle(int t, byte[] src, int so, byte[] dst, int dOff, int len) {
    int n = len / t;
    if (t <= 1 || n == 0) {
      System.arraycopy(src, so, dst, dOff, len);
      return;
    }
    switch (t) {
      case 2 -> unshuffle2(src, so, dst, dOff, n);
      case 4 -> unshuffle4(src, so, dst, dOff, n);
      case 8 -> unshuffle8(src, so, dst, dOff, n);
      default -> {
        for (int j = 0; j < t; j++) {
          int base = so + j * n;
          for (int e = 0, d = dOff + j; e < n; e++, d += t) {
            dst[d] = src[base + e];
          }
        }
      }
    }
    int done = n * t;
    System.arraycopy(src, so + done, dst, dOff + done, len - done);
  }

  private static void unshuffle2(byte[] src, int so, byte[] dst, int dOff, int n) {
    int e = 0;
    // 8 elements per step: spread the bytes of two 8-byte planes into two 16-byte outputs.
    for (; e + 8 <= n; e += 8) {
      long lo = (long) LONG.get(src, so + e);
      long hi = (long) LONG.get(src, so + n + e);
      LONG.set(dst, dOff + 2 * e, spread(lo & 0xFFFFFFFFL) | (spread(hi & 0xFFFFFFFFL) << 8));
      LONG.set(dst, dOff + 2 * e + 8, spread(lo >>> 32) | (spread(hi >>> 32) << 8));
    }
    for (; e < n; e++) {
      SHORT.set(dst, dOff + 2 * e, (short) ((src[so + e] & 0xFF) | (src[so + n + e] << 8)));
    }
  }

  /** Moves byte i of the low 32 bits to byte 2i (zeros in between). */
  private static long spread(long x) {
    x = (x | (x << 16)) & 0x0000FFFF0000FFFFL;
    x = (x | (x << 8)) & 0x00FF00FF00FF00FFL;
    return x;
  }

  private static void unshuffle4(byte[] src, int so, byte[] dst, int dOff, int n) {
    int n2 = 2 * n;
    int n3 = 3 * n;
    for (int e = 0; e < n; e++) {
      INT.set(dst, dOff + 4 * e, (src[so + e] & 0xFF) | (src[so + n + e] & 0xFF) << 8
          | (src[so + n2 + e] & 0xFF) << 16 | src[so + n3 + e] << 24);
    }
  }

  private static void unshuffle8(byte[] src, int so, byte[] dst, int dOff, int n) {
    for (int e = 0; e < n; e++) {
      long v = 0;
      for (int j = 7; j >= 0; j--) {
        v = (v << 8) | (src[so + j * n + e] & 0xFF);
      }
      LONG.set(dst, dOff + 8 * e, v);
    }
  }
}
