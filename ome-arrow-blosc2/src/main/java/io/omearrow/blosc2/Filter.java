package io.omearrow.blosc2;

/**
 * The filters of a Blosc2 pipeline, with their numeric ids as stored in chunk and frame headers.
 *
 * <p>Filters run in slot order when compressing and in reverse slot order when decompressing.
 * {@link #TRUNC_PREC} is lossy and has no inverse step. {@link #BYTEDELTA} is read and written;
 * its parameter (the filter meta byte) is the stream count, normally the type size.
 */
public enum Filter {
  /** Empty slot. */
  NOSHUFFLE(0),
  /** Byte transpose by type size (meta byte, when non-zero, overrides the type size). */
  SHUFFLE(1),
  /** Bit transpose by type size. */
  BITSHUFFLE(2),
  /** XOR delta against the chunk's first block. */
  DELTA(3),
  /** Zero low mantissa bits of float32/float64 (meta: bits kept if positive, removed if negative). */
  TRUNC_PREC(4),
  /** Per-byte-stream running difference, meant to follow {@link #SHUFFLE} (plugin id 35). */
  BYTEDELTA(35);

  private final int id;

  Filter(int id) {
    this.id = id;
  }

  /** The numeric filter id. */
  public int id() {
    return id;
  }

  /** The filter with the given id. */
  public static Filter ofId(int id) {
    for (Filter f : values()) {
      if (f.id == id) {
        return f;
      }
    }
    throw new Blosc2Exception("unsupported Blosc2 filter id " + id
        + " (supported: 0 none, 1 shuffle, 2 bitshuffle, 3 delta, 4 trunc_prec, 35 bytedelta)");
  }
}
