package io.omearrow.core;

/**
 * Input data that is corrupt, truncated, inconsistent, not OME-Arrow, or uses a feature this
 * library does not support. The message names the file or column and the problem.
 */
public class FormatException extends OmeArrowException {
  private static final long serialVersionUID = 1L;

  public FormatException(String message) {
    super(message);
  }

  public FormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
