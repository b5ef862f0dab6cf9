package io.omearrow.tensor;

import io.omearrow.core.Axis;
import io.omearrow.core.SelectionException;
import java.util.Arrays;
import java.util.Locale;

/**
 * The axis order of a view's tensor: any subset, in any order, of T, Z, C, Y, X (H and W accepted
 * for Y and X). Axes left out are dropped (they must have selected size 1). An immutable value.
 *
 * <p>{@link #toString()} spells Y and X as H and W, as the Python reference reports layouts
 * ({@code "CHW"}, {@code "TZCHW"}); {@link #axes()} gives core's {@link Axis} values.
 */
public final class Layout {
  /** The tensor basis every view is computed in before dropping and permuting axes. */
  public static final Layout TZCHW = new Layout(new Axis[] {Axis.T, Axis.Z, Axis.C, Axis.Y, Axis.X});
  /** The default for a view selecting one t and one z. */
  public static final Layout CHW = new Layout(new Axis[] {Axis.C, Axis.Y, Axis.X});

  private final Axis[] axes;

  private Layout(Axis[] axes) {
    this.axes = axes;
  }

  /**
   * Parses a layout string with the reference's rules: stripped, case-insensitive, Y/X or H/W;
   * blank → {@code "layout must be non-empty"}; another letter → {@code "layout must use only TZC
   * + (Y/X or H/W) letters (for example CYX, YXC, TZCYX)."}; a repeat → {@code "layout cannot
   * repeat dimensions"}.
   */
  public static Layout parse(String layout) {
    String s = layout == null ? "" : layout.strip().toUpperCase(Locale.ROOT);
    if (s.isEmpty()) {
      throw new SelectionException("layout must be non-empty");
    }
    Axis[] out = new Axis[s.length()];
    boolean[] seen = new boolean[5];
    for (int i = 0; i < s.length(); i++) {
      Axis a = switch (s.charAt(i)) {
        case 'T' -> Axis.T;
        case 'Z' -> Axis.Z;
        case 'C' -> Axis.C;
        case 'Y', 'H' -> Axis.Y;
        case 'X', 'W' -> Axis.X;
        default -> throw new SelectionException("layout must use only TZC + (Y/X or H/W) letters (for example CYX, YXC, TZCYX).");
      };
      out[i] = a;
    }
    for (Axis a : out) {
      if (seen[a.ordinal()]) {
        throw new SelectionException("layout cannot repeat dimensions");
      }
      seen[a.ordinal()] = true;
    }
    return new Layout(out);
  }

  /** The axes in tensor order. */
  public Axis[] axes() {
    return axes.clone();
  }

  /** Number of axes (the tensor's rank). */
  public int rank() {
    return axes.length;
  }

  /** Position of {@code a} in the layout, or -1 when it is dropped. */
  public int indexOf(Axis a) {
    for (int i = 0; i < axes.length; i++) {
      if (axes[i] == a) {
        return i;
      }
    }
    return -1;
  }

  /** True when the layout keeps {@code a}. */
  public boolean contains(Axis a) {
    return indexOf(a) >= 0;
  }

  /** True when the last two axes are Y then X (rows of the output are contiguous plane rows). */
  public boolean endsWithYX() {
    return axes.length >= 2 && axes[axes.length - 2] == Axis.Y && axes[axes.length - 1] == Axis.X;
  }

  /** The reference letter of an axis in the tensor basis: T, Z, C, H, W. */
  static char letter(Axis a) {
    return switch (a) {
      case T -> 'T';
      case Z -> 'Z';
      case C -> 'C';
      case Y -> 'H';
      case X -> 'W';
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Layout l && Arrays.equals(l.axes, axes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(axes);
  }

  /** The layout in the reference's letters, e.g. {@code "CHW"}. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (Axis a : axes) {
      b.append(letter(a));
    }
    return b.toString();
  }
}
