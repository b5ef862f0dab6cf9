package io.omearrow.tensor;

import io.omearrow.core.SelectionException;
import java.util.Locale;

/**
 * How a view is handed to a DLPack consumer ({@link TensorView#toDlpack}):
 * <ul>
 *   <li>{@link #ARROW}: the stored Arrow values buffer of one plane or chunk tile, 1-D, no copy
 *       (the reference's {@code mode="arrow"}; preconditions in {@link TensorView#arrowValues()});</li>
 *   <li>{@link #CONTIGUOUS}: the view materialised into a new 64-byte-aligned buffer with its full
 *       shape in the chosen layout ({@code IS_COPIED} set; the reference's {@code mode="numpy"});</li>
 *   <li>{@link #STRIDED}: a zero-copy strided view of one stored plane's ROI.</li>
 * </ul>
 */
public enum ExportMode {
  ARROW, CONTIGUOUS, STRIDED;

  /**
   * Parses "arrow", "contiguous" (alias "numpy", the reference's name) or "strided", stripped and
   * case-insensitive; anything else gives the reference's {@code "Unsupported mode 'x'."}.
   */
  public static ExportMode parse(String s) {
    String n = s == null ? "" : s.strip().toLowerCase(Locale.ROOT);
    return switch (n) {
      case "arrow" -> ARROW;
      case "numpy", "contiguous" -> CONTIGUOUS;
      case "strided" -> STRIDED;
      default -> throw new SelectionException("Unsupported mode '" + s + "'.");
    };
  }
}
