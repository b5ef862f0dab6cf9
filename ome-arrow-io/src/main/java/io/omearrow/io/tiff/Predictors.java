package io.omearrow.io.tiff;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The TIFF predictors on decoded blocks, in place: horizontal differencing (Predictor 2, on
 * samples in the file's byte order) and the floating-point predictor (Predictor 3: byte planes,
 * most significant first, differenced byte-wise). Horizontal differencing runs over per-thread heap
 * arrays of the sample type, a band of rows at a time, so each row is one tight counted loop; the
 * bulk copies in and out of the segment do the byte-order conversion.
 */
final class Predictors {
  /** Elements per band copied into the per-thread scratch array (bounds its size for huge strips). */
  private static final int BAND_ELEMENTS = 1 << 16;
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private Predictors() {}

  /** Per-thread arrays, grown on demand and kept for the thread's life. */
  private static final class Scratch {
    byte[] bytes = new byte[0];
    short[] shorts = new short[0];
    int[] ints = new int[0];
    long[] longs = new long[0];
  }

  /** Undoes Predictor 2 on {@code rows} rows of {@code width} pixels of {@code spp} samples. */
  static void undoHorizontal(MemorySegment block, int width, int rows, int spp, int item, ByteOrder order) {
    horizontal(block, width, rows, spp, item, order, true);
  }

  /** Applies Predictor 2 (the writer's side): each sample becomes its difference from the one {@code spp} before it. */
  static void applyHorizontal(MemorySegment block, int width, int rows, int spp, int item, ByteOrder order) {
    horizontal(block, width, rows, spp, item, order, false);
  }

  private static void horizontal(MemorySegment block, int width, int rows, int spp, int item, ByteOrder order, boolean undo) {
    int n = Math.multiplyExact(width, spp);
    if (n <= spp || rows <= 0) {
      return;
    }
    int bandRows = Math.max(1, Math.min(rows, BAND_ELEMENTS / n));
    int len = bandRows * n;
    Scratch s = SCRATCH.get();
    ValueLayout layout = RegionReader.layout(item, order);
    for (int r = 0; r < rows; r += bandRows) {
      int k = Math.min(bandRows, rows - r);
      long off = (long) r * n * item;
      int count = k * n;
      switch (item) {
        case 1 -> {
          if (s.bytes.length < len) {
            s.bytes = new byte[len];
          }
          byte[] a = s.bytes;
          MemorySegment.copy(block, ValueLayout.JAVA_BYTE, off, a, 0, count);
          for (int row = 0; row < count; row += n) {
            if (undo) {
              undo8(a, row, row + n, spp);
            } else {
              apply8(a, row, row + n, spp);
            }
          }
          MemorySegment.copy(a, 0, block, ValueLayout.JAVA_BYTE, off, count);
        }
        case 2 -> {
          if (s.shorts.length < len) {
            s.shorts = new short[len];
          }
          short[] a = s.shorts;
          MemorySegment.copy(block, (ValueLayout.OfShort) layout, off, a, 0, count);
          for (int row = 0; row < count; row += n) {
            if (undo) {
              undo16(a, row, row + n, spp);
            } else {
              apply16(a, row, row + n, spp);
            }
          }
          MemorySegment.copy(a, 0, block, (ValueLayout.OfShort) layout, off, count);
        }
        case 4 -> {
          if (s.ints.length < len) {
            s.ints = new int[len];
          }
          int[] a = s.ints;
          MemorySegment.copy(block, (ValueLayout.OfInt) layout, off, a, 0, count);
          for (int row = 0; row < count; row += n) {
            if (undo) {
              undo32(a, row, row + n, spp);
            } else {
              apply32(a, row, row + n, spp);
            }
          }
          MemorySegment.copy(a, 0, block, (ValueLayout.OfInt) layout, off, count);
        }
        default -> {
          if (s.longs.length < len) {
            s.longs = new long[len];
          }
          long[] a = s.longs;
          MemorySegment.copy(block, (ValueLayout.OfLong) layout, off, a, 0, count);
          for (int row = 0; row < count; row += n) {
            if (undo) {
              undo64(a, row, row + n, spp);
            } else {
              apply64(a, row, row + n, spp);
            }
          }
          MemorySegment.copy(a, 0, block, (ValueLayout.OfLong) layout, off, count);
        }
      }
    }
  }

  /**
   * Undoes Predictor 2 on rows {@code row0} to {@code row0 + rows} of a block of one sample per
   * pixel ({@code width} samples a row, in {@code order}) and writes columns {@code col0} to
   * {@code col0 + cols} of each row little-endian into {@code dst} at {@code dstOff}, rows
   * {@code dstRowBytes} apart. The block itself is left as it was.
   */
  static void undoHorizontalInto(MemorySegment block, int width, int row0, int rows, int item, ByteOrder order, int col0, int cols,
      MemorySegment dst, long dstOff, long dstRowBytes) {
    if (rows <= 0 || cols <= 0) {
      return;
    }
    if (item == 2 && order == ByteOrder.LITTLE_ENDIAN && col0 == 0 && cols == width && (width & 3) == 0) {
      undo16Words(block, (long) row0 * width * 2, (long) width * 2, rows, dst, dstOff, dstRowBytes);
      return;
    }
    int bandRows = Math.max(1, Math.min(rows, BAND_ELEMENTS / width));
    int len = bandRows * width;
    Scratch s = SCRATCH.get();
    ValueLayout in = RegionReader.layout(item, order);
    ValueLayout out = RegionReader.layout(item, ByteOrder.LITTLE_ENDIAN);
    long rowBytes = (long) width * item;
    for (int r = 0; r < rows; r += bandRows) {
      int k = Math.min(bandRows, rows - r);
      long off = (row0 + r) * rowBytes;
      int count = k * width;
      long d = dstOff + r * dstRowBytes;
      switch (item) {
        case 1 -> {
          if (s.bytes.length < len) {
            s.bytes = new byte[len];
          }
          byte[] a = s.bytes;
          MemorySegment.copy(block, ValueLayout.JAVA_BYTE, off, a, 0, count);
          for (int row = 0; row < count; row += width, d += dstRowBytes) {
            undo8(a, row, row + width, 1);
            MemorySegment.copy(a, row + col0, dst, ValueLayout.JAVA_BYTE, d, cols);
          }
        }
        case 2 -> {
          if (s.shorts.length < len) {
            s.shorts = new short[len];
          }
          short[] a = s.shorts;
          MemorySegment.copy(block, (ValueLayout.OfShort) in, off, a, 0, count);
          for (int row = 0; row < count; row += width, d += dstRowBytes) {
            undo16(a, row, row + width, 1);
            MemorySegment.copy(a, row + col0, dst, (ValueLayout.OfShort) out, d, cols);
          }
        }
        case 4 -> {
          if (s.ints.length < len) {
            s.ints = new int[len];
          }
          int[] a = s.ints;
          MemorySegment.copy(block, (ValueLayout.OfInt) in, off, a, 0, count);
          for (int row = 0; row < count; row += width, d += dstRowBytes) {
            undo32(a, row, row + width, 1);
            MemorySegment.copy(a, row + col0, dst, (ValueLayout.OfInt) out, d, cols);
          }
        }
        default -> {
          if (s.longs.length < len) {
            s.longs = new long[len];
          }
          long[] a = s.longs;
          MemorySegment.copy(block, (ValueLayout.OfLong) in, off, a, 0, count);
          for (int row = 0; row < count; row += width, d += dstRowBytes) {
            undo64(a, row, row + width, 1);
            MemorySegment.copy(a, row + col0, dst, (ValueLayout.OfLong) out, d, cols);
          }
        }
      }
    }
  }

  private static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final long LOW15 = 0x7FFF_7FFF_7FFF_7FFFL;
  private static final long HIGH1 = 0x8000_8000_8000_8000L;
  private static final long LANES = 0x0001_0001_0001_0001L;

  /** Adds the four 16-bit lanes of {@code a} and {@code b}, each modulo 2^16 (no carry between lanes). */
  private static long add16(long a, long b) {
    return ((a & LOW15) + (b & LOW15)) ^ ((a ^ b) & HIGH1);
  }

  /**
   * Undoes Predictor 2 on whole rows of little-endian 16-bit samples, four at a time: a 64-bit
   * word's lanes get their running sum in two shifted lane-wise adds, then the last sum of the
   * previous word is added to every lane. The only chain from word to word is that one add, so
   * this runs several samples per cycle where a sample-by-sample sum runs one.
   */
  private static void undo16Words(MemorySegment block, long srcOff, long rowBytes, int rows, MemorySegment dst, long dstOff,
      long dstRowBytes) {
    for (int r = 0; r < rows; r++) {
      MemorySegment src = block.asSlice(srcOff + r * rowBytes, rowBytes);
      MemorySegment out = dst.asSlice(dstOff + r * dstRowBytes, rowBytes);
      long carry = 0;
      for (long i = 0; i < rowBytes; i += 8) {
        long x = src.get(LE64, i);
        x = add16(x, x << 16);
        x = add16(x, x << 32);
        x = add16(x, carry * LANES);
        out.set(LE64, i, x);
        carry = x >>> 48;
      }
    }
  }

  // One running sum per sample of the pixel; spp == 1 keeps it in an int register (its low bits
  // wrap exactly as the narrow type would, without a sign extension on the dependency chain).

  private static void undo8(byte[] a, int from, int to, int spp) {
    if (spp == 1) {
      int prev = a[from];
      for (int i = from + 1; i < to; i++) {
        prev += a[i];
        a[i] = (byte) prev;
      }
    } else {
      for (int i = from + spp; i < to; i++) {
        a[i] += a[i - spp];
      }
    }
  }

  private static void undo16(short[] a, int from, int to, int spp) {
    if (spp == 1) {
      int prev = a[from];
      for (int i = from + 1; i < to; i++) {
        prev += a[i];
        a[i] = (short) prev;
      }
    } else {
      for (int i = from + spp; i < to; i++) {
        a[i] += a[i - spp];
      }
    }
  }

  private static void undo32(int[] a, int from, int to, int spp) {
    for (int i = from + spp; i < to; i++) {
      a[i] += a[i - spp];
    }
  }

  private static void undo64(long[] a, int from, int to, int spp) {
    for (int i = from + spp; i < to; i++) {
      a[i] += a[i - spp];
    }
  }

  // Differencing runs backwards so each sample still sees its original left neighbour.

  private static void apply8(byte[] a, int from, int to, int spp) {
    for (int i = to - 1; i >= from + spp; i--) {
      a[i] -= a[i - spp];
    }
  }

  private static void apply16(short[] a, int from, int to, int spp) {
    for (int i = to - 1; i >= from + spp; i--) {
      a[i] -= a[i - spp];
    }
  }

  private static void apply32(int[] a, int from, int to, int spp) {
    for (int i = to - 1; i >= from + spp; i--) {
      a[i] -= a[i - spp];
    }
  }

  private static void apply64(long[] a, int from, int to, int spp) {
    for (int i = to - 1; i >= from + spp; i--) {
      a[i] -= a[i - spp];
    }
  }

  /**
   * Undoes Predictor 3; the block's samples come out little-endian whatever the file's byte
   * order, since the predictor stores byte planes most significant first.
   */
  static void undoFloatingPoint(MemorySegment block, int width, int rows, int spp, int item) {
    int n = width * spp;
    int rowBytes = n * item;
    byte[] row = new byte[rowBytes];
    byte[] out = new byte[rowBytes];
    for (int r = 0; r < rows; r++) {
      long base = (long) r * rowBytes;
      MemorySegment.copy(block, ValueLayout.JAVA_BYTE, base, row, 0, rowBytes);
      for (int i = spp; i < rowBytes; i++) {
        row[i] += row[i - spp];
      }
      for (int k = 0; k < item; k++) {
        int plane = k * n;
        int dstByte = item - 1 - k;
        for (int i = 0; i < n; i++) {
          out[i * item + dstByte] = row[plane + i];
        }
      }
      MemorySegment.copy(out, 0, block, ValueLayout.JAVA_BYTE, base, rowBytes);
    }
  }
}
