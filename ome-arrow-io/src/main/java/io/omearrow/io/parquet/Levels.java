package io.omearrow.io.parquet;

import java.util.Arrays;

/**
 * The repetition or definition levels of a leaf column, one small value per entry, appended page
 * by page. Image columns have levels that are nearly all equal to one value (the maximum: pixels
 * are elements of the innermost list and never null), so the levels stay in a sparse form, "all
 * {@code common} except at these positions", while such exceptions are few, and become one byte
 * per entry once they are not. The sparse form costs nothing per entry to build or to scan for
 * list boundaries.
 */
final class Levels {
  private final byte common;
  /** Expected final size: sizes the dense array and bounds the sparse form. */
  private final int hint;
  private int size;
  private int[] at = new int[8];
  private byte[] val = new byte[8];
  private int exceptions;
  private byte[] dense;

  Levels(int common, int hint) {
    this.common = (byte) common;
    this.hint = Math.max(16, hint);
  }

  int size() {
    return size;
  }

  boolean isDense() {
    return dense != null;
  }

  /** Appends {@code n} copies of {@code v}; returns how many of them equal {@code common}. */
  int appendRun(int v, int n) {
    if (n <= 0) {
      return 0;
    }
    if (v == common) {
      if (dense != null) {
        ensure(size + n);
        Arrays.fill(dense, size, size + n, common);
      }
      size += n;
      return n;
    }
    if (dense == null && exceptions + n > sparseLimit()) {
      densify(size + n);
    }
    if (dense != null) {
      ensure(size + n);
      Arrays.fill(dense, size, size + n, (byte) v);
    } else {
      reserve(exceptions + n);
      for (int i = 0; i < n; i++) {
        at[exceptions] = size + i;
        val[exceptions++] = (byte) v;
      }
    }
    size += n;
    return 0;
  }

  /** Appends {@code values[from, from + n)}; returns how many equal {@code common}. */
  int append(byte[] values, int from, int n) {
    int same = 0;
    if (dense != null) {
      ensure(size + n);
      System.arraycopy(values, from, dense, size, n);
      for (int i = 0; i < n; i++) {
        same += values[from + i] == common ? 1 : 0;
      }
      size += n;
      return same;
    }
    for (int i = 0; i < n; i++) {
      byte v = values[from + i];
      if (v == common) {
        same++;
      } else {
        if (exceptions + 1 > sparseLimit()) {
          densify(size + n);
          int rest = append(values, from + i, n - i);
          return same + rest;
        }
        reserve(exceptions + 1);
        at[exceptions] = size;
        val[exceptions++] = v;
      }
      size++;
    }
    return same;
  }

  private int sparseLimit() {
    return Math.max(4096, hint / 16);
  }

  private void reserve(int n) {
    if (n > at.length) {
      int len = (int) Math.min(Integer.MAX_VALUE - 16, Math.max(n, at.length * 2L));
      at = Arrays.copyOf(at, len);
      val = Arrays.copyOf(val, len);
    }
  }

  private void ensure(int need) {
    if (dense.length < need) {
      dense = Arrays.copyOf(dense, (int) Math.max(need, Math.min(Integer.MAX_VALUE - 16, dense.length * 2L)));
    }
  }

  private void densify(int need) {
    dense = new byte[Math.max(need, Math.min(hint, Integer.MAX_VALUE - 16))];
    Arrays.fill(dense, 0, size, common);
    for (int k = 0; k < exceptions; k++) {
      dense[at[k]] = val[k];
    }
    at = null;
    val = null;
    exceptions = 0;
  }

  /** The level of entry {@code i}. */
  int get(int i) {
    if (dense != null) {
      return dense[i];
    }
    int k = Arrays.binarySearch(at, 0, exceptions, i);
    return k >= 0 ? val[k] : common;
  }

  /** The levels as one byte per entry (at least {@link #size()} long); switches to the dense form. */
  byte[] array() {
    if (dense == null) {
      densify(size);
    }
    return dense;
  }

  /** The first entry in [from, size) whose level is at most {@code depth}, or size. */
  int nextAtMost(int from, int depth) {
    if (from >= size) {
      return size;
    }
    if (dense != null) {
      return nextAtMost(dense, from, size, depth);
    }
    if (common <= depth) {
      return from;
    }
    int k = Arrays.binarySearch(at, 0, exceptions, from);
    for (k = k >= 0 ? k : -k - 1; k < exceptions; k++) {
      if (val[k] <= depth) {
        return at[k];
      }
    }
    return size;
  }

  private static final java.lang.invoke.VarHandle LONG_ARR =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  /**
   * The first index in [from, n) whose level is at most {@code depth}, or n. Levels are below 128,
   * so eight of them are tested at once (a word has a byte below depth+1 exactly when
   * {@code (x - ones*(depth+1)) & ~x & highs} is non-zero): list levels are long runs of
   * "continue" values, skipped a word at a time.
   */
  static int nextAtMost(byte[] levels, int from, int n, int depth) {
    int i = from;
    long sub = ONES * (depth + 1);
    for (; i + 8 <= n; i += 8) {
      long x = (long) LONG_ARR.get(levels, i);
      if (((x - sub) & ~x & HIGHS) != 0) {
        break;
      }
    }
    for (; i < n; i++) {
      if (levels[i] <= depth) {
        return i;
      }
    }
    return n;
  }
}
