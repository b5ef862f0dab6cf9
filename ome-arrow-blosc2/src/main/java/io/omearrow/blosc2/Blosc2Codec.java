package io.omearrow.blosc2;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Compresses and decompresses single Blosc2 chunks (the unit inside frames and b2nd arrays).
 *
 * <pre>{@code
 * byte[] chunk = Blosc2Codec.compress(MemorySegment.ofArray(data), CompressionParams.mlarrayDefaults(2));
 * byte[] back = Blosc2Codec.decompress(chunk);
 * }</pre>
 *
 * <p>Memory: compression returns a new heap array owned by the caller. Decompression writes into
 * a destination segment the caller owns, or into a new heap array. The source segment is only
 * read and may be a memory-mapped file region. All methods are thread-safe and stateless.
 */
public final class Blosc2Codec {
  /** Largest chunk the convenience {@link #decompress(byte[])} will allocate for (1 GiB). */
  public static final int DEFAULT_ALLOCATION_LIMIT = 1 << 30;

  private Blosc2Codec() {}

  /** Compresses {@code src} (at most {@link ChunkHeader#MAX_NBYTES} bytes) into one chunk. */
  public static byte[] compress(MemorySegment src, CompressionParams params) {
    return ChunkEncoder.compress(src, params);
  }

  /** Compresses a heap array into one chunk. */
  public static byte[] compress(byte[] src, CompressionParams params) {
    return ChunkEncoder.compress(MemorySegment.ofArray(src), params);
  }

  /** Reads and validates a chunk header. */
  public static ChunkHeader header(MemorySegment chunk) {
    return ChunkHeader.read(chunk, "chunk");
  }

  /**
   * Decompresses the chunk at the start of {@code chunk} into {@code dst}, using up to
   * {@code nthreads} threads for its blocks; returns the number of bytes written. Segments from a
   * confined arena can only be used by their owner thread, so with those the call runs on the
   * calling thread alone.
   *
   * @throws Blosc2Exception when the chunk is corrupt or {@code dst} is too small
   */
  public static int decompress(MemorySegment chunk, MemorySegment dst, int nthreads) {
    ChunkDecoder d = new ChunkDecoder(chunk, "chunk");
    d.decodeAll(dst, Math.max(1, nthreads));
    return d.nbytes();
  }

  /** Single-threaded {@link #decompress(MemorySegment, MemorySegment, int)}. */
  public static int decompress(MemorySegment chunk, MemorySegment dst) {
    return decompress(chunk, dst, 1);
  }

  /**
   * Decompresses a chunk into a new array. Refuses chunks that declare more than
   * {@link #DEFAULT_ALLOCATION_LIMIT} bytes; use the segment overload with a destination you
   * allocate for those.
   */
  public static byte[] decompress(byte[] chunk) {
    return decompress(chunk, DEFAULT_ALLOCATION_LIMIT);
  }

  /** Decompresses a chunk into a new array of at most {@code maxBytes} bytes. */
  public static byte[] decompress(byte[] chunk, int maxBytes) {
    MemorySegment seg = MemorySegment.ofArray(chunk);
    ChunkDecoder d = new ChunkDecoder(seg, "chunk");
    if (d.nbytes() > maxBytes) {
      throw new Blosc2Exception("chunk: declares " + d.nbytes() + " uncompressed bytes, more than the allowed "
          + maxBytes + "; if the chunk is genuine, decompress into a MemorySegment you allocate");
    }
    byte[] out = new byte[d.nbytes()];
    d.decodeAll(MemorySegment.ofArray(out), 1);
    return out;
  }

  /**
   * Decompresses only the bytes {@code [from, from + len)} of a chunk into {@code dst}, decoding
   * just the blocks that overlap them (plus block 0 when the delta filter needs it).
   */
  public static void decompressRange(MemorySegment chunk, long from, long len, MemorySegment dst) {
    ChunkDecoder d = new ChunkDecoder(chunk, "chunk");
    if (from < 0 || len < 0 || from + len > d.nbytes()) {
      throw new Blosc2Exception("chunk: range [" + from + ", " + (from + len) + ") outside the chunk's "
          + d.nbytes() + " bytes");
    }
    if (len == 0) {
      return;
    }
    if (d.fillSpecial(dst, from, len)) {
      return;
    }
    int bs = d.blocksize;
    int b0 = (int) (from / bs);
    int b1 = (int) ((from + len - 1) / bs);
    ChunkDecoder.Scratch s = new ChunkDecoder.Scratch();
    for (int b = b0; b <= b1; b++) {
      long bStart = (long) b * bs;
      long lo = Math.max(from, bStart);
      long hi = Math.min(from + len, bStart + d.blockSize(b));
      if (d.h.memcpyed()) {
        MemorySegment.copy(d.chunk, d.h.headerSize() + lo, dst, lo - from, hi - lo);
      } else {
        byte[] blk = d.decodeBlock(b, s);
        MemorySegment.copy(blk, (int) (lo - bStart), dst, ValueLayout.JAVA_BYTE, lo - from, (int) (hi - lo));
      }
    }
  }
}
