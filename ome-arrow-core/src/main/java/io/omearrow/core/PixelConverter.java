package io.omearrow.core;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Bulk conversion of little-endian pixel runs between pixel types. Two rules, chosen by the
 * caller:
 * <ul>
 *   <li>{@link Rule#WRAP} follows NumPy's {@code astype}: integers narrow by keeping the low bits
 *       (two's complement wrap-around), floats become integers by truncation toward zero
 *       (values beyond the 64-bit range saturate, NaN becomes 0), integers become floats by
 *       rounding to nearest.</li>
 *   <li>{@link Rule#CLAMP} clips every value to the target type's range first (NaN becomes 0),
 *       the Python reference's {@code clamp=True}.</li>
 * </ul>
 * Works block by block through a primitive staging array, so each inner loop is specialised to
 * one type; identical types are a plain copy.
 */
public final class PixelConverter {
  /** How values that do not fit the target type are treated. */
  public enum Rule { WRAP, CLAMP }

  private static final int BLOCK = 4096;
  private static final ValueLayout.OfShort S = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private PixelConverter() {}

  /** Converts {@code count} elements from {@code src} (type {@code from}) into {@code dst} (type {@code to}). */
  public static void convert(MemorySegment src, PixelType from, MemorySegment dst, PixelType to, long count, Rule rule) {
    if (from == to) {
      MemorySegment.copy(src, 0, dst, 0, count * from.byteSize());
      return;
    }
    // Integer-to-integer wrap stays in long arithmetic (exact for 64-bit values); anything
    // involving floats or clamping goes through double.
    boolean viaDouble = from.isFloating() || to.isFloating() || (rule == Rule.CLAMP && needsClamp(from, to));
    if (viaDouble) {
      double[] buf = new double[BLOCK];
      for (long off = 0; off < count; off += BLOCK) {
        int n = (int) Math.min(BLOCK, count - off);
        readDouble(src, from, off, buf, n);
        if (rule == Rule.CLAMP && !to.isFloating()) {
          clamp(buf, n, to.minValue(), to.maxValue());
        }
        writeDouble(dst, to, off, buf, n);
      }
    } else {
      long[] buf = new long[BLOCK];
      for (long off = 0; off < count; off += BLOCK) {
        int n = (int) Math.min(BLOCK, count - off);
        readLong(src, from, off, buf, n);
        writeLong(dst, to, off, buf, n);
      }
    }
  }

  private static boolean needsClamp(PixelType from, PixelType to) {
    return from.minValue() < to.minValue() || from.maxValue() > to.maxValue();
  }

  private static void clamp(double[] b, int n, double lo, double hi) {
    for (int i = 0; i < n; i++) {
      double v = b[i];
      b[i] = Double.isNaN(v) ? 0 : v < lo ? lo : v > hi ? hi : v;
    }
  }

  private static void readLong(MemorySegment s, PixelType t, long off, long[] b, int n) {
    switch (t) {
      case UINT8 -> { for (int i = 0; i < n; i++) b[i] = s.get(ValueLayout.JAVA_BYTE, off + i) & 0xFF; }
      case INT8 -> { for (int i = 0; i < n; i++) b[i] = s.get(ValueLayout.JAVA_BYTE, off + i); }
      case UINT16 -> { for (int i = 0; i < n; i++) b[i] = s.get(S, (off + i) * 2) & 0xFFFF; }
      case INT16 -> { for (int i = 0; i < n; i++) b[i] = s.get(S, (off + i) * 2); }
      case UINT32 -> { for (int i = 0; i < n; i++) b[i] = s.get(I, (off + i) * 4) & 0xFFFFFFFFL; }
      case INT32 -> { for (int i = 0; i < n; i++) b[i] = s.get(I, (off + i) * 4); }
      case UINT64, INT64 -> { for (int i = 0; i < n; i++) b[i] = s.get(L, (off + i) * 8); }
      default -> throw new IllegalStateException("not an integer type: " + t);
    }
  }

  private static void writeLong(MemorySegment d, PixelType t, long off, long[] b, int n) {
    switch (t) {
      case UINT8, INT8 -> { for (int i = 0; i < n; i++) d.set(ValueLayout.JAVA_BYTE, off + i, (byte) b[i]); }
      case UINT16, INT16 -> { for (int i = 0; i < n; i++) d.set(S, (off + i) * 2, (short) b[i]); }
      case UINT32, INT32 -> { for (int i = 0; i < n; i++) d.set(I, (off + i) * 4, (int) b[i]); }
      case UINT64, INT64 -> { for (int i = 0; i < n; i++) d.set(L, (off + i) * 8, b[i]); }
      default -> throw new IllegalStateException("not an integer type: " + t);
    }
  }

  private static void readDouble(MemorySegment s, PixelType t, long off, double[] b, int n) {
    switch (t) {
      case UINT8 -> { for (int i = 0; i < n; i++) b[i] = s.get(ValueLayout.JAVA_BYTE, off + i) & 0xFF; }
      case INT8 -> { for (int i = 0; i < n; i++) b[i] = s.get(ValueLayout.JAVA_BYTE, off + i); }
      case UINT16 -> { for (int i = 0; i < n; i++) b[i] = s.get(S, (off + i) * 2) & 0xFFFF; }
      case INT16 -> { for (int i = 0; i < n; i++) b[i] = s.get(S, (off + i) * 2); }
      case UINT32 -> { for (int i = 0; i < n; i++) b[i] = s.get(I, (off + i) * 4) & 0xFFFFFFFFL; }
      case INT32 -> { for (int i = 0; i < n; i++) b[i] = s.get(I, (off + i) * 4); }
      case UINT64 -> {
        for (int i = 0; i < n; i++) {
          long v = s.get(L, (off + i) * 8);
          b[i] = v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
        }
      }
      case INT64 -> { for (int i = 0; i < n; i++) b[i] = s.get(L, (off + i) * 8); }
      case FLOAT32 -> { for (int i = 0; i < n; i++) b[i] = s.get(F, (off + i) * 4); }
      case FLOAT64 -> { for (int i = 0; i < n; i++) b[i] = s.get(D, (off + i) * 8); }
    }
  }

  private static void writeDouble(MemorySegment d, PixelType t, long off, double[] b, int n) {
    switch (t) {
      case FLOAT32 -> { for (int i = 0; i < n; i++) d.set(F, (off + i) * 4, (float) b[i]); }
      case FLOAT64 -> { for (int i = 0; i < n; i++) d.set(D, (off + i) * 8, b[i]); }
      case UINT64 -> {
        for (int i = 0; i < n; i++) {
          double v = b[i];
          d.set(L, (off + i) * 8, v >= 0x1p63 ? (long) (v - 0x1p63) ^ Long.MIN_VALUE : (long) v);
        }
      }
      default -> {
        long[] tmp = new long[n];
        for (int i = 0; i < n; i++) {
          tmp[i] = (long) b[i];
        }
        writeLong(d, t, off, tmp, n);
      }
    }
  }
}
