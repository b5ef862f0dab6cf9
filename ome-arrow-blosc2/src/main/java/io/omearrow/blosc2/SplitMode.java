package io.omearrow.blosc2;

/**
 * Whether a block is stored as one stream per byte of the type size ("split") or as one stream.
 * Numbers are python-blosc2's {@code SplitMode} values; a frame header stores {@code value - 1}.
 */
public enum SplitMode {
  /** Always split into type-size streams. */
  ALWAYS(1),
  /** Never split: one stream per block. */
  NEVER(2),
  /** Split when it usually pays: BloscLZ, LZ4, or Zstd at clevel 5 or less, with shuffle. */
  AUTO(3),
  /** Same rule as {@link #AUTO}; C-Blosc2's default. */
  FORWARD_COMPAT(4);

  private final int value;

  SplitMode(int value) {
    this.value = value;
  }

  /** python-blosc2's number for this mode. */
  public int value() {
    return value;
  }

  /** The mode with python-blosc2's number. */
  public static SplitMode ofValue(int value) {
    for (SplitMode m : values()) {
      if (m.value == value) {
        return m;
      }
    }
    throw new Blosc2Exception("unknown Blosc2 split mode " + value + " (1 always, 2 never, 3 auto, 4 forward-compat)");
  }
}
