package io.omearrow.tensor;

import io.omearrow.core.SelectionException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which indices of one axis (t, z or c) a view selects, in the Python reference's forms: all
 * indices, one index (negative counts from the end; the axis is kept with size 1), a Python
 * slice (start, stop, step; missing parts null; negatives and empty results allowed), or an
 * explicit list (order and duplicates kept). An immutable value; nothing is checked against an
 * axis until {@link #resolve}.
 */
public final class IndexSelection {
  private enum Kind { ALL, INDEX, SLICE, LIST }

  private static final IndexSelection ALL = new IndexSelection(Kind.ALL, null, null, null, null);

  private final Kind kind;
  private final Integer start;
  private final Integer stop;
  private final Integer step;
  private final int[] values;

  private IndexSelection(Kind kind, Integer start, Integer stop, Integer step, int[] values) {
    this.kind = kind;
    this.start = start;
    this.stop = stop;
    this.step = step;
    this.values = values;
  }

  /** Every index of the axis. */
  public static IndexSelection all() {
    return ALL;
  }

  /** One index; negative values count from the end. */
  public static IndexSelection index(int i) {
    return new IndexSelection(Kind.INDEX, null, null, null, new int[] {i});
  }

  /** A Python slice {@code start:stop:step}; null parts take Python's defaults. */
  public static IndexSelection slice(Integer start, Integer stop, Integer step) {
    return new IndexSelection(Kind.SLICE, start, stop, step, null);
  }

  /** A Python slice {@code start:stop}. */
  public static IndexSelection slice(Integer start, Integer stop) {
    return slice(start, stop, null);
  }

  /** An explicit list of indices (negatives count from the end; order and duplicates kept). */
  public static IndexSelection list(int... indices) {
    return new IndexSelection(Kind.LIST, null, null, null, indices.clone());
  }

  /**
   * Parses the command-line form: an integer ({@code -1}), a slice ({@code 1:5:2}, {@code ::-1},
   * {@code :3}) or a comma list ({@code 0,2,2}).
   *
   * @param what names the option in error messages (e.g. {@code "--t"})
   */
  public static IndexSelection parse(String text, String what) {
    String s = text == null ? "" : text.strip();
    try {
      if (s.contains(":")) {
        String[] parts = s.split(":", -1);
        if (parts.length > 3) {
          throw bad(what, text);
        }
        Integer a = optInt(parts[0]);
        Integer b = optInt(parts[1]);
        Integer c = parts.length == 3 ? optInt(parts[2]) : null;
        return slice(a, b, c);
      }
      if (s.contains(",")) {
        String[] parts = s.split(",", -1);
        int[] v = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
          v[i] = Integer.parseInt(parts[i].strip());
        }
        return list(v);
      }
      return index(Integer.parseInt(s));
    } catch (NumberFormatException e) {
      throw bad(what, text);
    }
  }

  private static SelectionException bad(String what, String text) {
    return new SelectionException(what + ": cannot parse selection '" + text
        + "'; expected an integer, a slice start:stop[:step] or a comma list such as 0,2,2");
  }

  private static Integer optInt(String p) {
    String s = p.strip();
    return s.isEmpty() ? null : Integer.valueOf(s);
  }

  /** True for {@link #all()}. */
  public boolean isAll() {
    return kind == Kind.ALL;
  }

  /**
   * The selected indices for an axis of {@code size}, with the reference's checks and messages
   * ({@code "t size must be positive"}, {@code "z index 5 out of range"}).
   *
   * @param name the axis name used in messages: "t", "z" or "c"
   */
  public int[] resolve(String name, int size) {
    if (size <= 0) {
      throw new SelectionException(name + " size must be positive");
    }
    switch (kind) {
      case ALL -> {
        int[] out = new int[size];
        for (int i = 0; i < size; i++) {
          out[i] = i;
        }
        return out;
      }
      case INDEX -> {
        return new int[] {wrap(name, values[0], size)};
      }
      case LIST -> {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
          out[i] = wrap(name, values[i], size);
        }
        return out;
      }
      default -> {
        return sliceIndices(size);
      }
    }
  }

  private static int wrap(String name, int given, int size) {
    long v = given < 0 ? (long) given + size : given;
    if (v < 0 || v >= size) {
      throw new SelectionException(name + " index " + given + " out of range");
    }
    return (int) v;
  }

  /** Python's slice.indices(size) followed by range(): clamping, negatives, any step. */
  private int[] sliceIndices(int size) {
    long st = step == null ? 1 : step;
    if (st == 0) {
      throw new SelectionException("slice step cannot be zero");
    }
    long lo;
    long hi;
    if (st > 0) {
      lo = start == null ? 0 : clamp(start, size, 0, size);
      hi = stop == null ? size : clamp(stop, size, 0, size);
    } else {
      lo = start == null ? size - 1 : clamp(start, size, -1, size - 1);
      hi = stop == null ? -1 : clamp(stop, size, -1, size - 1);
    }
    List<Integer> out = new ArrayList<>();
    for (long i = lo; st > 0 ? i < hi : i > hi; i += st) {
      out.add((int) i);
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  private static long clamp(long v, int size, long min, long max) {
    if (v < 0) {
      v += size;
      return v < 0 ? min : v;
    }
    return Math.min(v, max);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IndexSelection s && s.kind == kind && java.util.Objects.equals(s.start, start)
        && java.util.Objects.equals(s.stop, stop) && java.util.Objects.equals(s.step, step) && Arrays.equals(s.values, values);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(kind, start, stop, step, Arrays.hashCode(values));
  }

  @Override
  public String toString() {
    return switch (kind) {
      case ALL -> "all";
      case INDEX -> Integer.toString(values[0]);
      case LIST -> Arrays.toString(values);
      case SLICE -> (start == null ? "" : start) + ":" + (stop == null ? "" : stop) + (step == null ? "" : ":" + step);
    };
  }
}
