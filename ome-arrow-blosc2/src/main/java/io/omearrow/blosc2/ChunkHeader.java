package io.omearrow.blosc2;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The header of one Blosc2 chunk (32-byte extended form, or the 16-byte legacy form of Blosc1
 * chunks, whose filter pipeline is derived from the flags). Parsed with
 * {@link #read(MemorySegment, String)}, which checks every field against the bytes present.
 *
 * @param version format version (2 Blosc1, 3-4 early Blosc2, 5 current, 6 variable-length blocks)
 * @param versionLz codec format version
 * @param flags the flag byte (shuffle/extended, memcpyed, delta, no-split, codec format bits)
 * @param typesize element size from byte 3
 * @param nbytes uncompressed size
 * @param blocksize uncompressed bytes per block as stored (see {@link #effectiveBlocksize()})
 * @param cbytes compressed size including the header
 * @param filters six filter ids, slot 0 first
 * @param filtersMeta six filter parameter bytes
 * @param udcodec public codec id from byte 22 (extended headers only, else -1)
 * @param blosc2Flags byte 31 (dictionary bit, special value in bits 4-6)
 * @param headerSize 32 or 16
 */
public record ChunkHeader(int version, int versionLz, int flags, int typesize, int nbytes, int blocksize, int cbytes,
    List<Integer> filters, List<Integer> filtersMeta, int udcodec, int blosc2Flags, int headerSize) {

  /** Length of the extended header every Blosc2 writer emits. */
  public static final int EXTENDED_SIZE = 32;
  /** The largest uncompressed chunk Blosc2 allows. */
  public static final int MAX_NBYTES = Integer.MAX_VALUE - EXTENDED_SIZE;

  static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  /** What a whole-chunk special value stands for (bits 4-6 of byte 31). */
  public enum Special {
    /** A regular chunk. */
    NONE,
    /** All zero bytes. */
    ZEROS,
    /** All NaN (float32 or float64). */
    NAN,
    /** One value repeated; the value follows the header. */
    VALUE,
    /** Never written; reads as zeros. */
    UNINIT
  }

  /** Reads and validates the header at the start of {@code chunk}; {@code where} names it in errors. */
  public static ChunkHeader read(MemorySegment chunk, String where) {
    long avail = chunk.byteSize();
    if (avail < 16) {
      throw new Blosc2Exception(where + ": " + avail + " bytes is too short for a Blosc2 chunk header (16 or 32 bytes)");
    }
    int version = chunk.get(ValueLayout.JAVA_BYTE, 0) & 0xFF;
    int versionLz = chunk.get(ValueLayout.JAVA_BYTE, 1) & 0xFF;
    int flags = chunk.get(ValueLayout.JAVA_BYTE, 2) & 0xFF;
    int typesize = chunk.get(ValueLayout.JAVA_BYTE, 3) & 0xFF;
    int nbytes = chunk.get(LE_INT, 4);
    int blocksize = chunk.get(LE_INT, 8);
    int cbytes = chunk.get(LE_INT, 12);
    if (version < 1 || version > 6) {
      throw new Blosc2Exception(where + ": unknown chunk format version " + version
          + " (expected 2-6); the bytes are probably not a Blosc2 chunk or the offset is wrong");
    }
    if (typesize == 0) {
      throw new Blosc2Exception(where + ": chunk header says typesize 0 (corrupt header)");
    }
    if (nbytes < 0 || nbytes > MAX_NBYTES) {
      throw new Blosc2Exception(where + ": chunk header declares " + nbytes + " uncompressed bytes (corrupt header)");
    }
    if (blocksize < 0 || (blocksize == 0 && nbytes > 0)) {
      throw new Blosc2Exception(where + ": chunk header declares block size " + blocksize + " (corrupt header)");
    }
    boolean extended = (flags & 0x05) == 0x05 && version >= 3;
    int headerSize = extended ? EXTENDED_SIZE : 16;
    if (cbytes < headerSize) {
      throw new Blosc2Exception(where + ": chunk header declares " + cbytes + " compressed bytes, less than its own "
          + headerSize + "-byte header (corrupt header)");
    }
    if (cbytes > avail) {
      throw new Blosc2Exception(where + ": chunk declares " + cbytes + " compressed bytes but only " + avail
          + " are available (truncated file or corrupt header)");
    }
    Integer[] f = {0, 0, 0, 0, 0, 0};
    Integer[] fm = {0, 0, 0, 0, 0, 0};
    int udcodec = -1;
    int b2flags = 0;
    if (extended) {
      for (int i = 0; i < 6; i++) {
        f[i] = chunk.get(ValueLayout.JAVA_BYTE, 16 + i) & 0xFF;
        fm[i] = (int) chunk.get(ValueLayout.JAVA_BYTE, 24 + i);
      }
      udcodec = chunk.get(ValueLayout.JAVA_BYTE, 22) & 0xFF;
      b2flags = chunk.get(ValueLayout.JAVA_BYTE, 31) & 0xFF;
    } else {
      if ((flags & 0x01) != 0 && typesize > 1) {
        f[5] = Filter.SHUFFLE.id();
      } else if ((flags & 0x04) != 0) {
        f[5] = Filter.BITSHUFFLE.id();
      }
      if ((flags & 0x08) != 0) {
        f[4] = Filter.DELTA.id();
      }
    }
    return new ChunkHeader(version, versionLz, flags, typesize, nbytes, blocksize, cbytes, List.of(f), List.of(fm),
        udcodec, b2flags, headerSize);
  }

  /** The special value, {@link Special#NONE} for regular chunks. */
  public Special special() {
    if (headerSize != EXTENDED_SIZE) {
      return Special.NONE;
    }
    int code = (blosc2Flags >>> 4) & 7;
    return switch (code) {
      case 0 -> Special.NONE;
      case 1 -> Special.ZEROS;
      case 2 -> Special.NAN;
      case 3 -> Special.VALUE;
      case 4 -> Special.UNINIT;
      default -> throw new Blosc2Exception("unknown special-value code " + code + " in chunk byte 31 (corrupt header)");
    };
  }

  /** Whether the data follows the header uncompressed. */
  public boolean memcpyed() {
    return (flags & 0x02) != 0;
  }

  /** Whether blocks are stored as one stream (flag bit 4). */
  public boolean noSplit() {
    return (flags & 0x10) != 0;
  }

  /** The compressor format code (flag bits 5-7). */
  public int formatCode() {
    return flags >>> 5;
  }

  /** Block size clamped to {@code nbytes}, as readers use it. */
  public int effectiveBlocksize() {
    return nbytes == 0 ? 0 : Math.min(blocksize, nbytes);
  }

  /** Number of blocks. */
  public int nblocks() {
    int bs = effectiveBlocksize();
    return bs == 0 ? 0 : (int) ((nbytes + (long) bs - 1) / bs);
  }

  /** Whether byte 31 announces a dictionary section. */
  public boolean hasDictionary() {
    return (blosc2Flags & 0x01) != 0;
  }

  /** Whether the chunk uses variable-length blocks (format version 6). */
  public boolean variableBlocks() {
    return version == 6 && headerSize == EXTENDED_SIZE;
  }
}
