package io.omearrow.core;

/**
 * The root of this library's unchecked exceptions. Messages name the file, column or argument
 * at fault and say what to do. Subclasses tell callers (and the CLI's exit codes) what kind of
 * problem it was: {@link FormatException} for bad or unsupported input data,
 * {@link SelectionException} for a selection or argument that does not fit the image.
 */
public class OmeArrowException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public OmeArrowException(String message) {
    super(message);
  }

  public OmeArrowException(String message, Throwable cause) {
    super(message, cause);
  }
}
