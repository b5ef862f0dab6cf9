package io.omearrow.blosc2;

import java.util.List;

/**
 * The fixed fields of a contiguous frame's header, as {@link Frame} read them.
 *
 * @param headerLen bytes from the frame start to the first chunk (metalayers included)
 * @param frameLen bytes of the whole frame
 * @param version frame format version (low nibble of the general flags)
 * @param codecId public id of the codec the frame was written with (low nibble of byte 27)
 * @param clevel compression level (high nibble of byte 27)
 * @param splitMode python-blosc2 split-mode number (other-flags bits 0-1 plus one)
 * @param nbytes uncompressed bytes of all chunks
 * @param cbytes bytes of the chunk area (header end to offsets index)
 * @param typesize full element size (may exceed 255)
 * @param blocksize uncompressed bytes per block
 * @param chunksize uncompressed bytes per chunk, 0 when chunks vary
 * @param hasVlmeta whether the trailer holds variable-length metalayers
 * @param filters six filter ids
 * @param filtersMeta six filter parameter bytes
 */
public record FrameHeader(long headerLen, long frameLen, int version, int codecId, int clevel, int splitMode,
    long nbytes, long cbytes, int typesize, int blocksize, int chunksize, boolean hasVlmeta, List<Integer> filters,
    List<Integer> filtersMeta) {

  /**
   * The compression parameters these fields describe, which python-blosc2 uses for later writes
   * to the frame; codecs this module lacks fall back to LZ4HC.
   */
  public CompressionParams compressionParams() {
    Codec codec;
    try {
      codec = Codec.ofId(codecId);
    } catch (Blosc2Exception e) {
      codec = Codec.LZ4HC;
    }
    Filter[] f = new Filter[6];
    for (int i = 0; i < 6; i++) {
      int id = filters.get(i);
      f[i] = id == 0 || id == 1 || id == 2 || id == 3 || id == 4 || id == 35 ? Filter.ofId(id) : Filter.NOSHUFFLE;
    }
    SplitMode mode = splitMode >= 1 && splitMode <= 4 ? SplitMode.ofValue(splitMode) : SplitMode.AUTO;
    return new CompressionParams(codec, Math.min(clevel, 9), Math.max(1, typesize), Math.max(0, blocksize),
        List.of(f), filtersMeta, mode, 1);
  }
}
