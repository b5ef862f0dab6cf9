package io.omearrow.io.mlarray;

import io.omearrow.blosc2.B2ndLayout;
import io.omearrow.blosc2.B2ndMeta;
import io.omearrow.blosc2.B2ndWriter;
import io.omearrow.blosc2.Blosc2Codec;
import io.omearrow.blosc2.CompressionParams;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * An mlarray file being filled region by region ({@link MlArray#create}). Written chunks are kept
 * compressed in memory; {@link #close()} writes the frame, with chunks never written stored as
 * "uninitialized" (they read as zeros, as in Python). Not thread-safe.
 */
public final class MlArrayWriter implements AutoCloseable {
  private final Path path;
  private final B2ndMeta geometry;
  private final CompressionParams params;
  private MlArrayMeta meta;
  private final Map<Long, byte[]> chunks = new TreeMap<>();
  private boolean closed;

  MlArrayWriter(Path path, B2ndMeta geometry, CompressionParams params, MlArrayMeta meta) {
    this.path = path;
    this.geometry = geometry;
    this.params = params;
    this.meta = meta;
  }

  /** Geometry of the array being written. */
  public B2ndMeta geometry() {
    return geometry;
  }

  /** The metadata that will be written. */
  public MlArrayMeta meta() {
    return meta;
  }

  /** Replaces the metadata (shape and storage settings are kept from the array). */
  public void meta(MlArrayMeta m) {
    m.validate(geometry.ndim(), path.toString());
    this.meta = MlArray.withGeometry(m, geometry, this.meta.blosc2().patchSize(), params);
  }

  /** Writes {@code src} (dense, C order) into {@code [start, stop)}, recompressing touched chunks. */
  public void write(long[] start, long[] stop, MemorySegment src) {
    if (closed) {
      throw new IllegalStateException(path + ": writer is closed");
    }
    int nd = geometry.ndim();
    if (start.length != nd || stop.length != nd) {
      throw new IllegalArgumentException("region rank differs from the array's " + nd + " dimensions");
    }
    long bytes = geometry.itemsize();
    long[] c0 = new long[nd];
    long[] c1 = new long[nd];
    int[] cs = geometry.chunks();
    for (int d = 0; d < nd; d++) {
      if (start[d] < 0 || stop[d] < start[d] || stop[d] > geometry.shape(d)) {
        throw new IllegalArgumentException("region [" + Arrays.toString(start) + ", " + Arrays.toString(stop)
            + ") is outside the array shape " + Arrays.toString(geometry.shape()));
      }
      bytes *= stop[d] - start[d];
      c0[d] = start[d] / cs[d];
      c1[d] = stop[d] == start[d] ? c0[d] - 1 : (stop[d] - 1) / cs[d];
      if (c1[d] < c0[d]) {
        return;
      }
    }
    if (src.byteSize() < bytes) {
      throw new IllegalArgumentException("source of " + src.byteSize() + " bytes is smaller than the region's " + bytes);
    }
    byte[] buf = new byte[geometry.chunkBytes()];
    MemorySegment chunk = MemorySegment.ofArray(buf);
    long[] c = c0.clone();
    while (true) {
      long idx = B2ndLayout.chunkIndex(geometry, c);
      byte[] old = chunks.get(idx);
      if (old != null) {
        Blosc2Codec.decompress(MemorySegment.ofArray(old), chunk);
      } else {
        Arrays.fill(buf, (byte) 0);
      }
      B2ndLayout.regionToChunk(geometry, idx, src, start, stop, chunk);
      chunks.put(idx, Blosc2Codec.compress(chunk, params));
      if (!B2ndLayout.advance(c, c0, c1)) {
        return;
      }
    }
  }

  /** Writes the file: chunks in order, unwritten ones as uninitialized, then the metadata. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    Path tmp = MlArray.tempBeside(path);
    try {
      try (B2ndWriter w = B2ndWriter.create(tmp, geometry, params)) {
        for (long i = 0; i < geometry.nchunks(); i++) {
          byte[] c = chunks.get(i);
          if (c == null) {
            w.appendUninitialized();
          } else {
            w.appendCompressed(c);
          }
        }
        w.vlmeta(MlArrayMeta.VLMETA_KEY, meta.encodeVlmeta());
      }
      MlArray.moveInto(tmp, path);
    } finally {
      MlArray.deleteQuietly(tmp);
    }
  }
}
