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
