package io.omearrow.io.mlarray;

import io.omearrow.core.FormatException;

/**
 * A {@code .mla} file or its metadata cannot be read or written: corrupt or foreign data, a
 * pickle naming a class outside the whitelist, metadata mlarray itself would reject. Messages
 * name the file and the problem and, where there is one, the remedy.
 */
public final class MlArrayException extends FormatException {
  private static final long serialVersionUID = 1L;

  /** An exception with a complete message. */
  public MlArrayException(String message) {
    super(message);
  }

  /** An exception with a complete message and its cause. */
  public MlArrayException(String message, Throwable cause) {
    super(message, cause);
  }
}
