package io.omearrow.bridge;

/** Whether a conversion may copy (mirrors the Python array API's {@code copy=False/None/True}). */
public enum CopyPolicy {
  /** Never copy: a conversion that would copy throws {@link MemoryConversionException}. */
  NEVER,
  /** Share memory when possible, copy otherwise (the {@code copied} flag of the result says which). */
  IF_NEEDED,
  /** Always hand out a private copy. */
  ALWAYS
}
