package io.omearrow.bridge;

import io.omearrow.core.OmeArrowException;

/**
 * A conversion between memory types that cannot be done as asked: the edge does not exist, the
 * data does not fit the target, or it would copy under {@link CopyPolicy#NEVER}. There is never a
 * silent fallback.
 */
public class MemoryConversionException extends OmeArrowException {
  private static final long serialVersionUID = 1L;
  private final MemoryType sourceType;
  private final MemoryType targetType;
  private final String method;
  private final String reason;

  public MemoryConversionException(MemoryType sourceType, MemoryType targetType, String method, String reason) {
    this(sourceType, targetType, method, reason, null);
  }

  public MemoryConversionException(MemoryType sourceType, MemoryType targetType, String method, String reason,
      Throwable cause) {
    super("Cannot convert from " + sourceType + " to " + targetType + " using " + method + ". Reason: " + reason, cause);
    this.sourceType = sourceType;
    this.targetType = targetType;
    this.method = method;
    this.reason = reason;
  }

  public MemoryType sourceType() {
    return sourceType;
  }

  public MemoryType targetType() {
    return targetType;
  }

  /** The conversion method that was tried, e.g. {@code "zero-copy view"}, {@code "host copy"}, {@code "H2D copy"}. */
  public String method() {
    return method;
  }

  public String reason() {
    return reason;
  }
}
