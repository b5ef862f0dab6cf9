package io.omearrow.blosc2.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
      case 2 -> unshuffleRow2(src, so, so + n, dst, dOff, n);
      case 4 -> unshuffle4(src, so, n, dst, dOff, n);
      case 8 -> unshuffle8(src, so, n, dst, dOff, n);
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

  /**
   * {@link #unshuffle} fused with a strided copy: the shuffled block at {@code so} holds exactly
   * {@code rows * rowElems} elements of {@code t} bytes; element row {@code r} (elements
   * {@code r * rowElems} on) goes to {@code dst} at {@code dOff + r * dPitch}. This saves
   * unshuffling into a block buffer and copying its rows out.
   */
  public static void unshuffleRows(int t, byte[] src, int so, int rows, int rowElems, byte[] dst, int dOff,
      int dPitch) {
    int n = rows * rowElems;
    int rowBytes = rowElems * t;
    if (t < 1 || rows < 0 || rowElems < 0 || dPitch < rowBytes || (long) n * t > src.length - so
        || (rows > 0 && (long) dOff + (long) (rows - 1) * dPitch + rowBytes > dst.length)) {
      throw new IllegalArgumentException("unshuffleRows: " + rows + " rows of " + rowElems + " " + t
          + "-byte elements do not fit the source or destination");
    }
    switch (t) {
      case 1 -> {
        for (int r = 0; r < rows; r++) {
          System.arraycopy(src, so + r * rowElems, dst, dOff + r * dPitch, rowElems);
        }
      }
      case 2 -> {
        if (rowElems % 4 == 0 && n <= WORK_LIMIT) {
          unshuffleRows2(src, so, rows, rowElems, dst, dOff, dPitch);
        } else {
          for (int r = 0, e0 = so; r < rows; r++, e0 += rowElems) {
            unshuffleRow2(src, e0, e0 + n, dst, dOff + r * dPitch, rowElems);
          }
        }
      }
      case 4 -> {
        for (int r = 0; r < rows; r++) {
          unshuffle4(src, so + r * rowElems, n, dst, dOff + r * dPitch, rowElems);
        }
      }
      case 8 -> {
        for (int r = 0; r < rows; r++) {
          unshuffle8(src, so + r * rowElems, n, dst, dOff + r * dPitch, rowElems);
        }
      }
      default -> {
        for (int r = 0; r < rows; r++) {
          for (int j = 0; j < t; j++) {
            int base = so + j * n + r * rowElems;
            for (int e = 0, d = dOff + r * dPitch + j; e < rowElems; e++, d += t) {
              dst[d] = src[base + e];
            }
          }
        }
      }
    }
  }

  /** Per-thread work arrays of {@link #unshuffleRows2}. */
  private static final class Work {
    int[] planes = new int[0];
    long[] out = new long[0];
  }

  private static final ThreadLocal<Work> WORK = ThreadLocal.withInitial(Work::new);
  /** Largest block (in elements) for the per-thread work arrays, so that they stay small (4 MiB). */
  private static final int WORK_LIMIT = 1 << 20;
  /** Largest block, in elements, that {@link #unshuffleRows2(byte[], int, int, int, long[], int, int)} takes. */
  public static final int TWO_BYTE_BLOCK_LIMIT = WORK_LIMIT;
  private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  /**
   * Two-byte elements, rows a multiple of 4 elements: the planes are viewed as ints and spread
   * into longs by a loop over plain int[] and long[] arrays, a shape C2 turns into SIMD code (about
   * 5x faster than the same arithmetic on byte-array views); the rows are then copied out.
   */
  private static void unshuffleRows2(byte[] src, int so, int rows, int rowElems, byte[] dst, int dOff, int dPitch) {
    long[] out = spread2(src, so, rows * rowElems);
    int rowLongs = rowElems / 4;
    for (int r = 0, k = 0; r < rows; r++) {
      for (int d = dOff + r * dPitch, end = k + rowLongs; k < end; k++, d += 8) {
        LONG.set(dst, d, out[k]);
      }
    }
  }

  /**
   * {@link #unshuffleRows} for two-byte elements into a {@code long[]} slab: row {@code r} goes to
   * {@code dst[dOff + r * dPitch ...]} (in longs, little-endian element order). Rows must hold a
   * multiple of 4 elements. Writing longs saves the byte-array copy-out of the byte[] variant,
   * about 10% of a Blosc2 read of shuffled uint16 data.
   */
  public static void unshuffleRows2(byte[] src, int so, int rows, int rowElems, long[] dst, int dOff, int dPitch) {
    int n = rows * rowElems;
    int rowLongs = rowElems / 4;
    if (rows < 0 || rowElems < 0 || rowElems % 4 != 0 || dPitch < rowLongs || n > WORK_LIMIT || (long) n * 2 > src.length - so
        || (rows > 0 && (long) dOff + (long) (rows - 1) * dPitch + rowLongs > dst.length)) {
      throw new IllegalArgumentException("unshuffleRows2: " + rows + " rows of " + rowElems
          + " two-byte elements do not fit the source or destination");
    }
    long[] out = spread2(src, so, n);
    if (rowLongs == 8) {
      // Rows of one cache line: a fixed 8-long copy, which C2 unrolls, took 40% less time for
      // this step than a System.arraycopy call per row.
      for (int r = 0, k = 0, d = dOff; r < rows; r++, k += 8, d += dPitch) {
        for (int q = 0; q < 8; q++) {
          dst[d + q] = out[k + q];
        }
      }
      return;
    }
    for (int r = 0; r < rows; r++) {
      System.arraycopy(out, r * rowLongs, dst, dOff + r * dPitch, rowLongs);
    }
  }

  /**
   * The {@code n} two-byte elements (n a multiple of 4) shuffled at {@code src[so..]}, unshuffled
   * into this thread's work array, four elements per long; valid until the thread's next call.
   */
  private static long[] spread2(byte[] src, int so, int n) {
    int quads = n / 4;
    Work w = WORK.get();
    if (w.planes.length < 2 * quads) {
      w.planes = new int[2 * quads];
      w.out = new long[quads];
    }
    MemorySegment.copy(MemorySegment.ofArray(src), LE_INT, so, w.planes, 0, 2 * quads);
    spreadPlanes(w.planes, quads, w.out);
    return w.out;
  }

  /** {@code out[k]} = the bytes of {@code planes[k]} interleaved with those of {@code planes[quads + k]}. */
  private static void spreadPlanes(int[] planes, int quads, long[] out) {
    for (int k = 0; k < quads; k++) {
      long l = planes[k] & 0xFFFFFFFFL;
      long h = planes[quads + k] & 0xFFFFFFFFL;
      l = (l | (l << 16)) & 0x0000FFFF0000FFFFL;
      h = (h | (h << 16)) & 0x0000FFFF0000FFFFL;
      l = (l | (l << 8)) & 0x00FF00FF00FF00FFL;
      h = (h | (h << 8)) & 0x00FF00FF00FF00FFL;
      out[k] = l | (h << 8);
    }
  }

  /** Interleaves {@code count} low bytes at {@code lo} and high bytes at {@code hi} into {@code dst} at {@code d}. */
  private static void unshuffleRow2(byte[] src, int lo, int hi, byte[] dst, int d, int count) {
    int e = 0;
    // 8 elements per step: spread the bytes of two 8-byte planes into two 16-byte outputs.
    for (; e + 8 <= count; e += 8, d += 16) {
      long l = (long) LONG.get(src, lo + e);
      long h = (long) LONG.get(src, hi + e);
      LONG.set(dst, d, spread(l & 0xFFFFFFFFL) | (spread(h & 0xFFFFFFFFL) << 8));
      LONG.set(dst, d + 8, spread(l >>> 32) | (spread(h >>> 32) << 8));
    }
    for (; e < count; e++, d += 2) {
      SHORT.set(dst, d, (short) ((src[lo + e] & 0xFF) | (src[hi + e] << 8)));
    }
  }

  /**
   * {@code -Domearrow.blosc2.pdep=true} spreads bytes with {@link Long#expand} (one PDEP on CPUs
   * with a fast one: Intel since Haswell, AMD since Zen 3; about 1.5x faster unshuffle there).
   * Off by default because older AMD CPUs and non-x86 machines run it far slower than the shifts.
   */
  private static final boolean PDEP = Boolean.getBoolean("omearrow.blosc2.pdep");

  /** Moves byte i of the low 32 bits to byte 2i (zeros in between). */
  private static long spread(long x) {
    if (PDEP) {
      return Long.expand(x, 0x00FF00FF00FF00FFL);
    }
    x = (x | (x << 16)) & 0x0000FFFF0000FFFFL;
    return (x | (x << 8)) & 0x00FF00FF00FF00FFL;
  }

  /** Elements {@code [0, count)} of planes {@code n} bytes apart starting at {@code so}. */
  private static void unshuffle4(byte[] src, int so, int n, byte[] dst, int dOff, int count) {
    int n2 = 2 * n;
    int n3 = 3 * n;
    for (int e = 0; e < count; e++) {
      INT.set(dst, dOff + 4 * e, (src[so + e] & 0xFF) | (src[so + n + e] & 0xFF) << 8
          | (src[so + n2 + e] & 0xFF) << 16 | src[so + n3 + e] << 24);
    }
  }

  /** Elements {@code [0, count)} of planes {@code n} bytes apart starting at {@code so}. */
  private static void unshuffle8(byte[] src, int so, int n, byte[] dst, int dOff, int count) {
    for (int e = 0; e < count; e++) {
      long v = 0;
      for (int j = 7; j >= 0; j--) {
        v = (v << 8) | (src[so + j * n + e] & 0xFF);
      }
      LONG.set(dst, dOff + 8 * e, v);
    }
  }
}
