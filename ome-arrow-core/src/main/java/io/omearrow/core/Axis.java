package io.omearrow.core;

import java.util.Locale;

/**
 * The five named axes of a microscopy image. Storage order is T, C, Z, Y, X; tensor views use
 * the Python reference's basis T, Z, C, Y, X. {@code H} and {@code W} are accepted as aliases of
 * Y and X.
 */
public enum Axis {
  T, C, Z, Y, X;

  /** Parses one letter (case-insensitive; H means Y, W means X). */
  public static Axis of(char letter) {
    return switch (Character.toUpperCase(letter)) {
      case 'T' -> T;
      case 'C' -> C;
      case 'Z' -> Z;
      case 'Y', 'H' -> Y;
      case 'X', 'W' -> X;
      default -> throw new SelectionException("unknown axis '" + letter + "'; expected one of T, C, Z, Y, X (or H, W)");
    };
  }

  /** Parses a string of axis letters such as {@code "TCZYX"}; repeated letters are an error. */
  public static Axis[] parse(String letters) {
    String s = letters.strip().toUpperCase(Locale.ROOT);
    Axis[] out = new Axis[s.length()];
    boolean[] seen = new boolean[5];
    for (int i = 0; i < s.length(); i++) {
      Axis a = of(s.charAt(i));
      if (seen[a.ordinal()]) {
        throw new SelectionException("axes '" + letters + "' repeat axis " + a);
      }
      seen[a.ordinal()] = true;
      out[i] = a;
    }
    return out;
  }
}
