package io.omearrow.blosc2;

/**
 * The compressors a Blosc2 chunk may use, with both numbers Blosc2 gives each of them.
 *
 * <p>{@link #id()} is the public codec id (python-blosc2's {@code Codec}, the frame header's codec
 * nibble and chunk header byte 22); {@link #formatCode()} is the 3-bit code stored in the chunk
 * flags. LZ4 and LZ4HC share one stream format and decoder.
 */
public enum Codec {
  /** Blosc's own FastLZ-derived LZ77 (C-Blosc2's default). */
  BLOSCLZ(0, 0),
  /** LZ4 raw blocks, fast compressor. */
  LZ4(1, 1),
  /** LZ4 raw blocks, high-compression compressor (mlarray's default). */
  LZ4HC(2, 1),
  /** zlib streams (RFC 1950). */
  ZLIB(4, 3),
  /** Complete Zstandard frames (python-blosc2's default). */
  ZSTD(5, 4);

  private final int id;
  private final int formatCode;

  Codec(int id, int formatCode) {
    this.id = id;
    this.formatCode = formatCode;
  }

  /** The public codec id (0, 1, 2, 4, 5). */
  public int id() {
    return id;
  }

  /** The compressor format code stored in bits 5-7 of the chunk flags. */
  public int formatCode() {
    return formatCode;
  }

  /** The codec with the given public id. */
  public static Codec ofId(int id) {
    for (Codec c : values()) {
      if (c.id == id) {
        return c;
      }
    }
    throw new Blosc2Exception("unsupported Blosc2 codec id " + id
        + " (supported: 0 BloscLZ, 1 LZ4, 2 LZ4HC, 4 Zlib, 5 Zstd; plugin codecs are not implemented)");
  }

  /** The codec a chunk's format code selects, LZ4HC folded into LZ4 (the same decoder). */
  static Codec ofFormatCode(int code, String where) {
    return switch (code) {
      case 0 -> BLOSCLZ;
      case 1 -> LZ4;
      case 3 -> ZLIB;
      case 4 -> ZSTD;
      default -> throw new Blosc2Exception(where + ": unsupported compressor format code " + code
          + " in the chunk flags (supported: BloscLZ, LZ4/LZ4HC, Zlib, Zstd; Snappy and plugin codecs are not)");
    };
  }
}
