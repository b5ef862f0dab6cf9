package io.omearrow.dlpack;

/**
 * How to build an exported DLPack struct.
 *
 * @param versioned true for {@code DLManagedTensorVersioned} (DLPack 1.x, the default); false for
 *     the legacy {@code DLManagedTensor}, which cannot carry flags (NumPy imports it read-only)
 * @param readOnly sets {@code DLPACK_FLAG_BITMASK_READ_ONLY}; true by default because Arrow data
 *     is immutable once built
 */
public record ExportOptions(boolean versioned, boolean readOnly) {
  /** Versioned, read-only. */
  public static final ExportOptions DEFAULT = new ExportOptions(true, true);

  /** Versioned and writable (the consumer may write through the tensor). */
  public static ExportOptions writable() {
    return new ExportOptions(true, false);
  }

  /** The legacy unversioned struct. */
  public static ExportOptions legacy() {
    return new ExportOptions(false, true);
  }
}
