package io.omearrow.blosc2;

import io.omearrow.blosc2.internal.Boxes;
import java.lang.foreign.MemorySegment;

/**
 * Moves elements between a dense C-order region of a b2nd array and one chunk buffer (the
 * uncompressed chunk: blocks in C order of the block grid, elements in C order inside a block).
 * Stateless helpers; the caller owns all segments.
 */
public final class B2ndLayout {
  private B2ndLayout() {}

  /** The chunk-grid coordinates of chunk {@code index} (C order). */
  public static long[] chunkCoords(B2ndMeta m, long index) {
    int nd = m.ndim();
    long[] c = new long[nd];
    for (int d = nd - 1; d >= 0; d--) {
      long n = m.chunksAlong(d);
      c[d] = index % n;
      index /= n;
    }
    return c;
  }

  /** The linear (C order) index of the chunk at grid coordinates {@code c}. */
  public static long chunkIndex(B2ndMeta m, long[] c) {
    long idx = 0;
    for (int d = 0; d < m.ndim(); d++) {
      idx = idx * m.chunksAlong(d) + c[d];
    }
    return idx;
  }

  /**
   * Copies the part of {@code region} (a dense array covering {@code [start, stop)}) that falls in
   * chunk {@code index} into {@code chunkBuf}; other bytes of the chunk buffer are left as they are.
   */
  public static void regionToChunk(B2ndMeta m, long index, MemorySegment region, long[] start, long[] stop,
      MemorySegment chunkBuf) {
    transfer(m, index, region, start, stop, chunkBuf, true);
  }

  /** Copies the part of chunk {@code index} that falls in {@code [start, stop)} into the dense {@code region}. */
  public static void chunkToRegion(B2ndMeta m, long index, MemorySegment chunkBuf, long[] start, long[] stop,
      MemorySegment region) {
    transfer(m, index, region, start, stop, chunkBuf, false);
  }

  private static void transfer(B2ndMeta m, long index, MemorySegment region, long[] start, long[] stop,
      MemorySegment chunkBuf, boolean toChunk) {
    int nd = m.ndim();
    int[] cs = m.chunks();
    int[] bs = m.blocks();
    int[] ext = m.extChunks();
    long[] c = chunkCoords(m, index);
    long[] lo = new long[nd];
    long[] hi = new long[nd];
    long[] regionShape = new long[nd];
    long[] b0 = new long[nd];
    long[] b1 = new long[nd];
    long[] bpc = new long[nd];
    for (int d = 0; d < nd; d++) {
      long o = c[d] * cs[d];
      lo[d] = Math.max(start[d], o);
      hi[d] = Math.min(Math.min(stop[d], o + cs[d]), m.shape(d));
      if (lo[d] >= hi[d]) {
        return;
      }
      regionShape[d] = stop[d] - start[d];
      b0[d] = (lo[d] - o) / bs[d];
      b1[d] = (hi[d] - 1 - o) / bs[d];
      bpc[d] = ext[d] / bs[d];
    }
    long blockBytes = m.blockBytes();
    long[] blockShape = new long[nd];
    for (int d = 0; d < nd; d++) {
      blockShape[d] = bs[d];
    }
    long[] b = b0.clone();
    long[] bo = new long[nd];
    long[] ilo = new long[nd];
    long[] box = new long[nd];
    long[] inBlock = new long[nd];
    long[] inRegion = new long[nd];
    while (true) {
      long blin = 0;
      for (int d = 0; d < nd; d++) {
        blin = blin * bpc[d] + b[d];
        bo[d] = c[d] * cs[d] + b[d] * bs[d];
        ilo[d] = Math.max(lo[d], bo[d]);
        box[d] = Math.min(hi[d], bo[d] + bs[d]) - ilo[d];
        inBlock[d] = ilo[d] - bo[d];
        inRegion[d] = ilo[d] - start[d];
      }
      long base = blin * blockBytes;
      if (toChunk) {
        Boxes.copy(region, 0, regionShape, inRegion, chunkBuf, base, blockShape, inBlock, box, m.itemsize());
      } else {
        Boxes.copy(chunkBuf, base, blockShape, inBlock, region, 0, regionShape, inRegion, box, m.itemsize());
      }
      if (!advance(b, b0, b1)) {
        return;
      }
    }
  }

  /**
   * Steps an n-dimensional index through the box {@code [lo, hi]} (both inclusive), last axis
   * fastest; returns false, with the index back at {@code lo}, once the box is exhausted.
   */
  public static boolean advance(long[] idx, long[] lo, long[] hi) {
    for (int d = idx.length - 1; d >= 0; d--) {
      if (++idx[d] <= hi[d]) {
        return true;
      }
      idx[d] = lo[d];
    }
    return false;
  }
}
