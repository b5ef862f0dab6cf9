package io.omearrow.blosc2.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Copies an n-dimensional box between two C-order arrays held in memory segments, one contiguous
 * run (last axis, merged with further axes where both sides are contiguous) at a time.
 */
public final class Boxes {
  private Boxes() {}

  /**
   * Copies the box of size {@code box} at {@code srcOrigin} in an array of {@code srcShape} to
   * {@code dstOrigin} in an array of {@code dstShape}; shapes in elements, offsets in bytes.
   */
  public static void copy(MemorySegment src, long srcBase, long[] srcShape, long[] srcOrigin, MemorySegment dst,
      long dstBase, long[] dstShape, long[] dstOrigin, long[] box, int itemsize) {
    copyAny(src, srcBase, srcShape, srcOrigin, dst, dstBase, dstShape, dstOrigin, box, itemsize);
  }

  /** As {@link #copy}, from a heap array (cheaper per run than a heap segment). */
  public static void copy(byte[] src, long srcBase, long[] srcShape, long[] srcOrigin, MemorySegment dst,
      long dstBase, long[] dstShape, long[] dstOrigin, long[] box, int itemsize) {
    copyAny(src, srcBase, srcShape, srcOrigin, dst, dstBase, dstShape, dstOrigin, box, itemsize);
  }

  /** As {@link #copy}, between two heap arrays. */
  public static void copy(byte[] src, long srcBase, long[] srcShape, long[] srcOrigin, byte[] dst,
      long dstBase, long[] dstShape, long[] dstOrigin, long[] box, int itemsize) {
    copyAny(src, srcBase, srcShape, srcOrigin, dst, dstBase, dstShape, dstOrigin, box, itemsize);
  }

  /**
   * The walk over a non-empty box: byte strides of both arrays, the last axis left after merging
   * trailing axes that are whole on both sides into one run, the run's bytes, and the byte
   * offsets of the box's first element on each side.
   */
  private record Plan(long[] ss, long[] ds, int last, long run, long so, long dOff) {
    static Plan of(long srcBase, long[] srcShape, long[] srcOrigin, long dstBase, long[] dstShape, long[] dstOrigin,
        long[] box, int itemsize) {
      int nd = box.length;
      long[] ss = new long[nd];
      long[] ds = new long[nd];
      long s = itemsize;
      long t = itemsize;
      for (int d = nd - 1; d >= 0; d--) {
        ss[d] = s;
        ds[d] = t;
        s *= srcShape[d];
        t *= dstShape[d];
      }
      int last = nd - 1;
      long run = box[last] * itemsize;
      while (last > 0 && box[last] == srcShape[last] && box[last] == dstShape[last]) {
        last--;
        run *= box[last];
      }
      long so = srcBase;
      long dOff = dstBase;
      for (int d = 0; d < nd; d++) {
        so += srcOrigin[d] * ss[d];
        dOff += dstOrigin[d] * ds[d];
      }
      return new Plan(ss, ds, last, run, so, dOff);
    }
  }

  private static void run(Object src, long so, Object dstObj, long dOff, long run) {
    if (dstObj instanceof byte[] d) {
      System.arraycopy((byte[]) src, (int) so, d, (int) dOff, (int) run);
      return;
    }
    MemorySegment dst = (MemorySegment) dstObj;
    if (src instanceof byte[] a) {
      MemorySegment.copy(a, (int) so, dst, ValueLayout.JAVA_BYTE, dOff, (int) run);
    } else {
      MemorySegment.copy((MemorySegment) src, so, dst, dOff, run);
    }
  }

  private static void copyAny(Object src, long srcBase, long[] srcShape, long[] srcOrigin, Object dst,
      long dstBase, long[] dstShape, long[] dstOrigin, long[] box, int itemsize) {
    if (src instanceof byte[] a && dst instanceof byte[] b && box.length > 1) {
      copyHeap(a, srcBase, srcShape, srcOrigin, b, dstBase, dstShape, dstOrigin, box, itemsize);
      return;
    }
    if (src instanceof byte[] a && dst instanceof MemorySegment) {
      // One heap segment per call: the array overload of copy re-derives it for every run.
      src = MemorySegment.ofArray(a);
    }
    for (long b : box) {
      if (b <= 0) {
        return;
      }
    }
    if (box.length == 0) {
      run(src, srcBase, dst, dstBase, itemsize);
      return;
    }
    Plan p = Plan.of(srcBase, srcShape, srcOrigin, dstBase, dstShape, dstOrigin, box, itemsize);
    long[] ss = p.ss();
    long[] ds = p.ds();
    int last = p.last();
    long run = p.run();
    long so = p.so();
    long dOff = p.dOff();
    if (last == 0) {
      run(src, so, dst, dOff, run);
      return;
    }
    long[] idx = new long[last];
    while (true) {
      run(src, so, dst, dOff, run);
      int d = last - 1;
      while (d >= 0) {
        idx[d]++;
        so += ss[d];
        dOff += ds[d];
        if (idx[d] < box[d]) {
          break;
        }
        so -= box[d] * ss[d];
        dOff -= box[d] * ds[d];
        idx[d] = 0;
        d--;
      }
      if (d < 0) {
        return;
      }
    }
  }

  /**
   * Heap to heap: the blocks of a chunk land in a staging array through many short rows (a block
   * row is often 64 bytes), so the row loop calls {@link System#arraycopy} directly, with the two
   * innermost row axes as plain nested loops.
   */
  private static void copyHeap(byte[] src, long srcBase, long[] srcShape, long[] srcOrigin, byte[] dst,
      long dstBase, long[] dstShape, long[] dstOrigin, long[] box, int itemsize) {
    for (long b : box) {
      if (b <= 0) {
        return;
      }
    }
    Plan plan = Plan.of(srcBase, srcShape, srcOrigin, dstBase, dstShape, dstOrigin, box, itemsize);
    long[] ss = plan.ss();
    long[] ds = plan.ds();
    int last = plan.last();
    long so = plan.so();
    long dOff = plan.dOff();
    int run = Math.toIntExact(plan.run());
    if (last == 0) {
      System.arraycopy(src, Math.toIntExact(so), dst, Math.toIntExact(dOff), run);
      return;
    }
    // Rows: axis last-1 (inner) and, when present, axis last-2 (outer); further axes by odometer.
    int inner = last - 1;
    int rows = Math.toIntExact(box[inner]);
    int sRow = Math.toIntExact(ss[inner]);
    int dRow = Math.toIntExact(ds[inner]);
    int outerAxis = inner - 1;
    int planes = outerAxis >= 0 ? Math.toIntExact(box[outerAxis]) : 1;
    long sPlane = outerAxis >= 0 ? ss[outerAxis] : 0;
    long dPlane = outerAxis >= 0 ? ds[outerAxis] : 0;
    int odoAxes = Math.max(outerAxis, 0);
    long[] idx = new long[odoAxes];
    while (true) {
      for (int p = 0; p < planes; p++) {
        int si = Math.toIntExact(so + p * sPlane);
        int di = Math.toIntExact(dOff + p * dPlane);
        for (int r = 0; r < rows; r++, si += sRow, di += dRow) {
          System.arraycopy(src, si, dst, di, run);
        }
      }
      int d = odoAxes - 1;
      while (d >= 0) {
        idx[d]++;
        so += ss[d];
        dOff += ds[d];
        if (idx[d] < box[d]) {
          break;
        }
        so -= box[d] * ss[d];
        dOff -= box[d] * ds[d];
        idx[d] = 0;
        d--;
      }
      if (d < 0) {
        return;
      }
    }
  }
}
