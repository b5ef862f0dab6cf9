package io.omearrow.io.mlarray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * mlarray's patch-size to chunk/block heuristic ({@code MLArray.comp_blosc2_params}), reproduced
 * exactly: blocks fit the L1 cache (32 KiB x 0.8), chunks grow towards the L3 size
 * (1,441,792 B x 0.8) in whole blocks along the axes least covered relative to the patch.
 */
public final class ChunkHeuristic {
  /** mlarray's default patch edge per spatial axis. */
  public static final int DEFAULT_PATCH = 192;
  static final double L1 = 32768 * 0.8;
  static final double L3 = 1441792 * 0.8;

  /**
   * The result.
   *
   * @param chunks chunk shape
   * @param blocks block shape
   */
  public record Geometry(int[] chunks, int[] blocks) {
    @Override
    public String toString() {
      return "chunks " + Arrays.toString(chunks) + ", blocks " + Arrays.toString(blocks);
    }
  }

  private ChunkHeuristic() {}

  /**
   * Computes chunk and block shapes.
   *
   * @param shape the array shape (2 to 4 axes)
   * @param patch patch edge per spatial axis (2 or 3 entries)
   * @param spatialMask per axis whether it is spatial, or null when every axis is
   * @param itemsize bytes per element
   * @throws MlArrayException for the inputs mlarray rejects, with the reason
   */
  public static Geometry compute(long[] shape, int[] patch, boolean[] spatialMask, int itemsize) {
    int n = shape.length;
    int squeezes;
    List<Long> img = new ArrayList<>();
    switch (n) {
      case 2 -> {
        squeezes = 2;
        img.addAll(List.of(1L, 1L, shape[0], shape[1]));
      }
      case 3 -> {
        squeezes = 1;
        img.addAll(List.of(1L, shape[0], shape[1], shape[2]));
      }
      case 4 -> {
        squeezes = 0;
        img.addAll(List.of(shape[0], shape[1], shape[2], shape[3]));
      }
      default -> throw new MlArrayException("mlarray's patch-size heuristic needs a 2-D, 3-D or 4-D array, not shape "
          + Arrays.toString(shape) + " (Python: 'Image size must be 4D'); pass chunk and block sizes explicitly");
    }
    int moved = -1;
    if (spatialMask != null) {
      int count = 0;
      for (int i = 0; i < spatialMask.length; i++) {
        if (!spatialMask[i]) {
          count++;
          moved = i + squeezes;
        }
      }
      if (count > 1) {
        throw new MlArrayException("mlarray's patch-size heuristic allows at most one non-spatial axis, got " + count
            + "; pass chunk and block sizes explicitly");
      }
      if (count == 1) {
        img.add(0, img.remove(moved));
      }
    }
    if (patch.length != 2 && patch.length != 3) {
      throw new MlArrayException("patch size " + Arrays.toString(patch) + " must have 2 or 3 entries (Python: 'Patch "
          + "size must be 2D or 3D'); label the axes (axis_labels) or pass chunk and block sizes explicitly");
    }
    long[] im = img.stream().mapToLong(Long::longValue).toArray();
    long[] p = patch.length == 2 ? new long[] {1, patch[0], patch[1]} : new long[] {patch[0], patch[1], patch[2]};
    long[] b = new long[4];
    b[0] = im[0];
    for (int i = 0; i < 3; i++) {
      b[1 + i] = nextPow2(p[i]);
    }
    while (prod(b) * itemsize > L1) {
      double[] r = new double[3];
      for (int i = 0; i < 3; i++) {
        r[i] = (double) b[1 + i] / p[i];
      }
      Integer[] order = stableOrder(r);
      int pick = -1;
      for (int k = 2; k >= 0; k--) {
        if (b[1 + order[k]] != 1) {
          pick = order[k];
          break;
        }
      }
      if (pick < 0) {
        break;
      }
      b[1 + pick] = Math.min(prevPow2(b[1 + pick] - 1), im[1 + pick]);
    }
    for (int j = 0; j < 4; j++) {
      b[j] = Math.min(b[j], im[j]);
    }
    long[] c = b.clone();
    while (prod(c) * itemsize < L3) {
      if (p[0] == 1 && c[2] == im[2] && c[3] == im[3]) {
        break;
      }
      if (Arrays.equals(c, im)) {
        break;
      }
      double[] s = new double[3];
      for (int i = 0; i < 3; i++) {
        s[i] = (double) c[1 + i] / b[1 + i];
      }
      Integer[] order = stableOrder(s);
      int pick = -1;
      for (int k = 0; k < 3; k++) {
        int i = order[k];
        if (c[1 + i] != im[1 + i] && p[i] != 1) {
          pick = i;
          break;
        }
      }
      if (pick < 0) {
        break;
      }
      c[1 + pick] = Math.min(c[1 + pick] + b[1 + pick], im[1 + pick]);
      double mean = 0;
      for (int i = 0; i < 3; i++) {
        mean += (double) c[1 + i] / p[i];
      }
      if (mean / 3 > 1.5) {
        c[1 + pick] -= b[1 + pick];
        break;
      }
    }
    for (int j = 0; j < 4; j++) {
      c[j] = Math.min(c[j], im[j]);
    }
    if (moved >= 0) {
      b = moveBack(b, moved);
      c = moveBack(c, moved);
    }
    int[] chunks = new int[n];
    int[] blocks = new int[n];
    for (int d = 0; d < n; d++) {
      chunks[d] = Math.toIntExact(c[d + squeezes]);
      blocks[d] = Math.toIntExact(b[d + squeezes]);
    }
    return new Geometry(chunks, blocks);
  }

  private static long[] moveBack(long[] a, int to) {
    List<Long> l = new ArrayList<>(Arrays.stream(a).boxed().toList());
    Long first = l.remove(0);
    l.add(to, first);
    return l.stream().mapToLong(Long::longValue).toArray();
  }

  private static Integer[] stableOrder(double[] v) {
    Integer[] idx = {0, 1, 2};
    Arrays.sort(idx, Comparator.comparingDouble(i -> v[i]));
    return idx;
  }

  private static long prod(long[] a) {
    long p = 1;
    for (long x : a) {
      p *= x;
    }
    return p;
  }

  /** 2^max(0, ceil(log2(x))). */
  static long nextPow2(long x) {
    if (x <= 1) {
      return 1;
    }
    long h = Long.highestOneBit(x);
    return h == x ? x : h << 1;
  }

  /** 2^max(0, floor(log2(x))). */
  static long prevPow2(long x) {
    return x <= 1 ? 1 : Long.highestOneBit(x);
  }
}
