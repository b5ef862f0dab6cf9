package io.omearrow.blosc2;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a b2nd array to a frame file, chunk by chunk in C order, so at most one uncompressed
 * chunk is held at a time.
 *
 * <pre>{@code
 * B2ndMeta meta = B2ndMeta.of(new long[] {2048, 2048}, new int[] {512, 512}, new int[] {128, 64}, "<u2");
 * B2ndWriter.write(path, meta, CompressionParams.mlarrayDefaults(2), pixels, Map.of());
 * }</pre>
 *
 * <p>Memory: source segments stay the caller's; the writer owns a file channel until close.
 * Not thread-safe (compression of one chunk's blocks may use {@code params.nthreads()} threads).
 */
public final class B2ndWriter implements AutoCloseable {
  private final B2ndMeta meta;
  private final FrameWriter frame;
  private final long nchunks;

  private B2ndWriter(B2ndMeta meta, FrameWriter frame) {
    this.meta = meta;
    this.frame = frame;
    this.nchunks = meta.nchunks();
  }

  /**
   * Creates the file. The parameters' type size and block size are replaced by the array's item
   * size and block bytes, as b2nd requires.
   */
  public static B2ndWriter create(Path path, B2ndMeta meta, CompressionParams params) {
    CompressionParams p = forArray(meta, params);
    FrameWriter f = FrameWriter.create(path, p, meta.nchunks() == 0 ? 0 : meta.chunkBytes(),
        Map.of("b2nd", meta.encode()));
    return new B2ndWriter(meta, f);
  }

  /** The parameters used for this geometry's chunks. */
  public static CompressionParams forArray(B2ndMeta meta, CompressionParams params) {
    return params.withTypesize(meta.itemsize()).withBlocksize(meta.blockBytes());
  }

  /** Geometry being written. */
  public B2ndMeta meta() {
    return meta;
  }

  /** Index of the next chunk to append. */
  public long nextChunk() {
    return frame.nchunks();
  }

  /** Compresses and appends the next chunk from its full (extended, padded) chunk buffer. */
  public void appendChunk(MemorySegment chunkBuffer) {
    checkRoom();
    if (chunkBuffer.byteSize() != meta.chunkBytes()) {
      throw new IllegalArgumentException("chunk buffer is " + chunkBuffer.byteSize() + " bytes, expected "
          + meta.chunkBytes());
    }
    frame.append(chunkBuffer);
  }

  /** Appends an already compressed chunk (whose block size must be the array's block bytes). */
  public void appendCompressed(byte[] chunk) {
    checkRoom();
    frame.appendCompressed(chunk);
  }

  /** Appends a chunk that was never written (reads as zeros; python-blosc2 calls it uninitialized). */
  public void appendUninitialized() {
    checkRoom();
    frame.appendSpecial(ChunkHeader.Special.UNINIT, meta.chunkBytes());
  }

  private void checkRoom() {
    if (frame.nchunks() >= nchunks) {
      throw new IllegalStateException("all " + nchunks + " chunks of the array are already written");
    }
  }

  /** Sets a vlmeta value (stored compressed in the trailer). */
  public void vlmeta(String key, byte[] value) {
    frame.vlmeta(key, value);
  }

  /** Finishes the file; every chunk must have been appended. */
  @Override
  public void close() {
    if (frame.nchunks() != nchunks) {
      long missing = nchunks - frame.nchunks();
      for (long i = 0; i < missing; i++) {
        frame.appendSpecial(ChunkHeader.Special.UNINIT, meta.chunkBytes());
      }
    }
    frame.close();
  }

  /**
   * Writes a whole array from a dense C-order segment ({@code meta.elements() * itemsize} bytes,
   * e.g. an Arrow buffer wrapped with {@code MemorySegment.ofAddress(addr).reinterpret(len)}).
   */
  public static void write(Path path, B2ndMeta meta, CompressionParams params, MemorySegment src,
      Map<String, byte[]> vlmeta) {
    long need = meta.elements() * meta.itemsize();
    if (src.byteSize() < need) {
      throw new IllegalArgumentException("source of " + src.byteSize() + " bytes is smaller than the array's "
          + need + " bytes");
    }
    long[] start = new long[meta.ndim()];
    long[] stop = meta.shape();
    try (B2ndWriter w = create(path, meta, params)) {
      vlmeta.forEach(w::vlmeta);
      byte[] buf = new byte[meta.nchunks() == 0 ? 0 : meta.chunkBytes()];
      MemorySegment chunk = MemorySegment.ofArray(buf);
      for (long i = 0; i < meta.nchunks(); i++) {
        if (isEdge(meta, i)) {
          java.util.Arrays.fill(buf, (byte) 0);
        }
        B2ndLayout.regionToChunk(meta, i, src, start, stop, chunk);
        w.appendChunk(chunk);
      }
    }
  }

  /** Whether chunk {@code i} has padding (so stale bytes must be cleared). */
  static boolean isEdge(B2ndMeta m, long i) {
    long[] c = B2ndLayout.chunkCoords(m, i);
    int[] cs = m.chunks();
    int[] ext = m.extChunks();
    for (int d = 0; d < m.ndim(); d++) {
      if (cs[d] != ext[d] || (c[d] + 1) * cs[d] > m.shape(d)) {
        return true;
      }
    }
    return false;
  }
}
