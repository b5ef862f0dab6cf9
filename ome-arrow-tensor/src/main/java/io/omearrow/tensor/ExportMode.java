package io.omearrow.tensor;

import io.omearrow.core.SelectionException;
import java.util.Locale;

/**
 * The reference's export modes: {@link #ARROW} hands out the stored Arrow values buffer without
 * copying (one stored plane or chunk tile only, see {@link TensorView#arrowValues()}),
 * {@link #NUMPY} materialises the view into a new contiguous buffer.
 */
public enum ExportMode {
  ARROW, NUMPY;

  /** Parses "arrow" or "numpy" (stripped, case-insensitive); else {@code "Unsupported mode 'x'."}. */
  public static ExportMode parse(String s) {
    String n = s == null ? "" : s.strip().toLowerCase(Locale.ROOT);
    return switch (n) {
      case "arrow" -> ARROW;
      case "numpy" -> NUMPY;
      default -> throw new SelectionException("Unsupported mode '" + s + "'.");
    };
  }
}
