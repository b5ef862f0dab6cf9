package io.omearrow.tensor;

import io.omearrow.core.SelectionException;
import java.util.Locale;

/**
 * What a layout without C does when several channels are selected: {@link #ERROR} refuses
 * (the reference's default), {@link #FIRST} keeps only the first selected channel.
 */
public enum ChannelPolicy {
  ERROR, FIRST;

  /** Parses "error" or "first" (stripped, case-insensitive) with the reference's message. */
  public static ChannelPolicy parse(String s) {
    String n = s == null ? "" : s.strip().toLowerCase(Locale.ROOT);
    return switch (n) {
      case "error" -> ERROR;
      case "first" -> FIRST;
      default -> throw new SelectionException("Unsupported channel_policy '" + s + "'. Expected one of: error, first.");
    };
  }
}
