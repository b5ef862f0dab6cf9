package io.omearrow.dlpack;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Bulk copies between strided n-d layouts and compact row-major buffers. Rows whose innermost
 * stride is 1 move with one {@link MemorySegment#copy} each; other rows go element by element.
 * Holds no memory.
 */
public final class StridedCopy {
  private StridedCopy() {}

  /** Row-major compact element strides for {@code shape}. */
  public static long[] compactStrides(long[] shape) {
    long[] s = new long[shape.length];
    long acc = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      s[i] = acc;
      acc *= Math.max(shape[i], 1);
    }
    return s;
  }

  /** Number of elements. */
  public static long elementCount(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  /** True when {@code strides} are the compact row-major strides of {@code shape} (size-1 dims ignored). */
  public static boolean isCompact(long[] shape, long[] strides) {
    long acc = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      if (shape[i] != 1 && strides[i] != acc) {
        return false;
      }
      acc *= shape[i];
    }
    return true;
  }

  /**
   * The element offsets {min, max} reachable from element [0,...,0]; an empty tensor gives {0, -1}.
   * Negative strides give a negative minimum.
   */
  public static long[] offsetRange(long[] shape, long[] strides) {
    long lo = 0;
    long hi = 0;
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] == 0) {
        return new long[] {0, -1};
      }
      long span = Math.multiplyExact(shape[i] - 1, strides[i]);
      if (span < 0) {
        lo += span;
      } else {
        hi += span;
      }
    }
    return new long[] {lo, hi};
  }

  /**
   * Copies a strided source into a compact row-major destination.
   *
   * @param src segment whose offset {@code srcOffset} (bytes) holds element [0,...,0]
   * @param srcStrides source strides in elements (may be negative)
   * @param dst destination, written compactly from offset 0
   */
  public static void gather(MemorySegment src, long srcOffset, long[] shape, long[] srcStrides, int itemSize,
      MemorySegment dst) {
    if (shape.length == 0) {
      MemorySegment.copy(src, srcOffset, dst, 0, itemSize);
      return;
    }
    if (elementCount(shape) == 0) {
      return;
    }
    long[] dstStrides = compactStrides(shape);
    copyDim(src, srcOffset, srcStrides, dst, 0, dstStrides, shape, 0, itemSize);
  }

  /** Copies a compact row-major source into a strided destination (the inverse of {@link #gather}). */
  public static void scatter(MemorySegment src, long[] shape, int itemSize, MemorySegment dst, long dstOffset,
      long[] dstStrides) {
    if (shape.length == 0) {
      MemorySegment.copy(src, 0, dst, dstOffset, itemSize);
      return;
    }
    if (elementCount(shape) == 0) {
      return;
    }
    copyDim(src, 0, compactStrides(shape), dst, dstOffset, dstStrides, shape, 0, itemSize);
  }

  private static void copyDim(MemorySegment src, long so, long[] ss, MemorySegment dst, long dof, long[] ds,
      long[] shape, int dim, int item) {
    int last = shape.length - 1;
    if (dim == last) {
      long n = shape[dim];
      if (ss[dim] == 1 && ds[dim] == 1) {
        MemorySegment.copy(src, so, dst, dof, n * item);
        return;
      }
      long sStep = ss[dim] * item;
      long dStep = ds[dim] * item;
      switch (item) {
        case 1 -> {
          for (long i = 0; i < n; i++) {
            dst.set(ValueLayout.JAVA_BYTE, dof + i * dStep, src.get(ValueLayout.JAVA_BYTE, so + i * sStep));
          }
        }
        case 2 -> {
          for (long i = 0; i < n; i++) {
            dst.set(ValueLayout.JAVA_SHORT_UNALIGNED, dof + i * dStep,
                src.get(ValueLayout.JAVA_SHORT_UNALIGNED, so + i * sStep));
          }
        }
        case 4 -> {
          for (long i = 0; i < n; i++) {
            dst.set(ValueLayout.JAVA_INT_UNALIGNED, dof + i * dStep, src.get(ValueLayout.JAVA_INT_UNALIGNED, so + i * sStep));
          }
        }
        case 8 -> {
          for (long i = 0; i < n; i++) {
            dst.set(ValueLayout.JAVA_LONG_UNALIGNED, dof + i * dStep,
                src.get(ValueLayout.JAVA_LONG_UNALIGNED, so + i * sStep));
          }
        }
        default -> {
          for (long i = 0; i < n; i++) {
            MemorySegment.copy(src, so + i * sStep, dst, dof + i * dStep, item);
          }
        }
      }
      return;
    }
    // Collapse the inner block when both sides are compact below this dim: one copy per index here.
    long inner = 1;
    boolean compactBelow = true;
    for (int d = last; d > dim; d--) {
      if (ss[d] != inner || ds[d] != inner) {
        compactBelow = false;
        break;
      }
      inner *= shape[d];
    }
    for (long i = 0; i < shape[dim]; i++) {
      long s = so + i * ss[dim] * item;
      long t = dof + i * ds[dim] * item;
      if (compactBelow) {
        MemorySegment.copy(src, s, dst, t, inner * item);
      } else {
        copyDim(src, s, ss, dst, t, ds, shape, dim + 1, item);
      }
    }
  }
}
