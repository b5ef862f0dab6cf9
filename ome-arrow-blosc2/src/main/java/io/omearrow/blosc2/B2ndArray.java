package io.omearrow.blosc2;

import io.omearrow.blosc2.internal.Boxes;
import io.omearrow.blosc2.internal.Shuffle;
import io.omearrow.blosc2.internal.Workers;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A lazily read n-dimensional b2nd array stored in a Blosc2 frame ({@code .b2nd}, {@code .mla}).
 * Reading a region decompresses only the chunks it touches, and inside each chunk only the
 * blocks it touches, straight into the caller's destination.
 *
 * <pre>{@code
 * try (B2ndArray a = B2ndArray.open(Path.of("scan.mla"))) {
 *   long[] start = {10, 0, 0}, stop = {11, 512, 512};
 *   try (Arena arena = Arena.ofConfined()) {
 *     MemorySegment plane = arena.allocate(a.regionBytes(start, stop));
 *     a.readRegion(start, stop, plane);
 *   }
 * }
 * }</pre>
 *
 * <p>Memory: the array owns its {@link Frame} (a read-only file mapping when opened from a path)
 * and releases it on {@link #close()}. Destinations belong to the caller; elements are written in
 * C order in the dtype's own byte order. Reading is thread-safe.
 */
public final class B2ndArray implements AutoCloseable {
  private final Frame frame;
  private final B2ndMeta meta;

  private B2ndArray(Frame frame) {
    this.frame = frame;
    byte[] m = frame.metalayer("b2nd");
    if (m == null) {
      throw new Blosc2Exception(frame.name() + ": the frame has no \"b2nd\" metalayer, so it is not an n-dimensional "
          + "array (metalayers: " + frame.metalayerNames() + ")");
    }
    this.meta = B2ndMeta.decode(m, frame.header().typesize(), frame.name());
    if (meta.itemsize() != frame.header().typesize()) {
      throw new Blosc2Exception(frame.name() + ": dtype '" + meta.dtype() + "' has " + meta.itemsize()
          + "-byte items but the frame's typesize is " + frame.header().typesize());
    }
    long expected = meta.nchunks();
    if (frame.nchunks() != expected) {
      throw new Blosc2Exception(frame.name() + ": shape " + Arrays.toString(meta.shape()) + " with chunks "
          + Arrays.toString(meta.chunks()) + " needs " + expected + " chunks but the frame holds " + frame.nchunks());
    }
    if (expected > 0 && frame.header().chunksize() != meta.chunkBytes()) {
      throw new Blosc2Exception(frame.name() + ": frame chunksize " + frame.header().chunksize()
          + " differs from the b2nd chunk buffer size " + meta.chunkBytes() + " (corrupt header)");
    }
  }

  /** Opens (memory-maps) a b2nd or mla file. */
  public static B2ndArray open(Path path) {
    Frame f = Frame.open(path);
    try {
      return new B2ndArray(f);
    } catch (RuntimeException e) {
      f.close();
      throw e;
    }
  }

  /** An array over a frame; the array takes ownership and closes the frame on {@link #close()}. */
  public static B2ndArray of(Frame frame) {
    return new B2ndArray(frame);
  }

  /** The frame holding the array. */
  public Frame frame() {
    return frame;
  }

  /** Geometry and dtype. */
  public B2ndMeta meta() {
    return meta;
  }

  /** The shape. */
  public long[] shape() {
    return meta.shape();
  }

  /** The chunk shape. */
  public int[] chunks() {
    return meta.chunks();
  }

  /** The block shape. */
  public int[] blocks() {
    return meta.blocks();
  }

  /** The NumPy dtype string. */
  public String dtype() {
    return meta.dtype();
  }

  /** Bytes per element. */
  public int itemsize() {
    return meta.itemsize();
  }

  /** A decompressed vlmeta value or null. */
  public byte[] vlmeta(String key) {
    return frame.vlmeta(key);
  }

  /** Bytes a region {@code [start, stop)} occupies when read densely. */
  public long regionBytes(long[] start, long[] stop) {
    checkRegion(start, stop);
    long n = meta.itemsize();
    for (int d = 0; d < start.length; d++) {
      n = Math.multiplyExact(n, stop[d] - start[d]);
    }
    return n;
  }

  private void checkRegion(long[] start, long[] stop) {
    if (start.length != meta.ndim() || stop.length != meta.ndim()) {
      throw new IllegalArgumentException("region rank " + start.length + "/" + stop.length + " differs from the array's "
          + meta.ndim() + " dimensions");
    }
    for (int d = 0; d < start.length; d++) {
      if (start[d] < 0 || stop[d] < start[d] || stop[d] > meta.shape(d)) {
        throw new IllegalArgumentException("region [" + Arrays.toString(start) + ", " + Arrays.toString(stop)
            + ") is outside the array shape " + Arrays.toString(meta.shape()) + " on axis " + d);
      }
    }
  }

  /** Reads the whole array into {@code dst} on the calling thread. */
  public void readAll(MemorySegment dst) {
    readRegion(new long[meta.ndim()], meta.shape(), dst, 1);
  }

  /** Reads {@code [start, stop)} into {@code dst} (C order, dense) on the calling thread. */
  public void readRegion(long[] start, long[] stop, MemorySegment dst) {
    readRegion(start, stop, dst, 1);
  }

  /**
   * Reads {@code [start, stop)} into {@code dst}, decoding touched chunks on up to {@code nthreads}
   * threads (1 = calling thread only; a confined destination forces 1).
   */
  public void readRegion(long[] start, long[] stop, MemorySegment dst, int nthreads) {
    long bytes = regionBytes(start, stop);
    if (dst.byteSize() < bytes) {
      throw new IllegalArgumentException("destination of " + dst.byteSize() + " bytes is smaller than the region's "
          + bytes + " bytes");
    }
    if (bytes == 0) {
      return;
    }
    int nd = meta.ndim();
    int[] cs = meta.chunks();
    long[] c0 = new long[nd];
    long[] c1 = new long[nd];
    for (int d = 0; d < nd; d++) {
      c0[d] = start[d] / cs[d];
      c1[d] = (stop[d] - 1) / cs[d];
    }
    List<long[]> touched = new ArrayList<>();
    long[] c = c0.clone();
    do {
      touched.add(c.clone());
    } while (B2ndLayout.advance(c, c0, c1));
    int threads = Workers.usable(nthreads, dst, frame.segment());
    ThreadLocal<ChunkDecoder.Scratch> scratch = ThreadLocal.withInitial(ChunkDecoder.Scratch::new);
    if (threads <= 1 || touched.size() >= threads) {
      Workers.forEach(touched.size(), threads, i -> readChunkPart(touched.get(i), start, stop, dst, scratch, 1));
    } else {
      // Fewer chunks than threads: decode each chunk's blocks in parallel instead.
      for (long[] chunk : touched) {
        readChunkPart(chunk, start, stop, dst, scratch, threads);
      }
    }
  }

  private void readChunkPart(long[] c, long[] start, long[] stop, MemorySegment dst,
      ThreadLocal<ChunkDecoder.Scratch> scratch, int blockThreads) {
    ChunkDecoder.Scratch s = scratch.get();
    int nd = meta.ndim();
    int[] cs = meta.chunks();
    int[] bs = meta.blocks();
    int[] ext = meta.extChunks();
    int idx = (int) B2ndLayout.chunkIndex(meta, c);
    long[] lo = new long[nd];
    long[] hi = new long[nd];
    long[] regionShape = new long[nd];
    long[] b0 = new long[nd];
    long[] b1 = new long[nd];
    long[] bpc = new long[nd];
    long[] blockShape = new long[nd];
    for (int d = 0; d < nd; d++) {
      long o = c[d] * cs[d];
      lo[d] = Math.max(start[d], o);
      hi[d] = Math.min(Math.min(stop[d], o + cs[d]), meta.shape(d));
      regionShape[d] = stop[d] - start[d];
      b0[d] = (lo[d] - o) / bs[d];
      b1[d] = (hi[d] - 1 - o) / bs[d];
      bpc[d] = ext[d] / bs[d];
      blockShape[d] = bs[d];
    }
    int blockBytes = meta.blockBytes();
    ChunkDecoder dec = frame.decoder(idx);
    MemorySegment filled = null;
    if (dec == null || dec.h.special() != ChunkHeader.Special.NONE) {
      filled = MemorySegment.ofArray(new byte[blockBytes]);
      if (dec == null) {
        Frame.fillSpecial(frame.special(idx), meta.itemsize(), filled);
      } else {
        dec.fillSpecial(filled, 0, blockBytes);
      }
    } else if (!dec.h.memcpyed() && dec.blocksize != blockBytes) {
      throw new Blosc2Exception(dec.where + ": block size " + dec.blocksize + " differs from the b2nd block of "
          + blockBytes + " bytes (blocks " + Arrays.toString(bs) + " x " + meta.itemsize() + "); corrupt or foreign file");
    }
    if (filled == null && readWholeBlocks(c, lo, hi, start, regionShape, dec, dst, scratch, blockThreads)) {
      return;
    }
    // Regular chunks: gather the chunk's part of the region in a heap staging box first, so the
    // destination gets a few long runs instead of one short run per block row.
    long[] boxShape = new long[nd];
    long boxBytes = meta.itemsize();
    for (int d = 0; d < nd; d++) {
      boxShape[d] = hi[d] - lo[d];
      boxBytes *= boxShape[d];
    }
    boolean stage = filled == null && !dec.h.memcpyed() && boxBytes <= Integer.MAX_VALUE;
    byte[] staging = stage ? s.stage((int) boxBytes) : null;
    List<long[]> blockList = new ArrayList<>();
    long[] b = b0.clone();
    do {
      blockList.add(b.clone());
    } while (B2ndLayout.advance(b, b0, b1));
    MemorySegment special = filled;
    int threads = filled == null && !dec.h.memcpyed() ? blockThreads : 1;
    Workers.forEach(blockList.size(), threads, k -> {
      long[] bk = blockList.get(k);
      long[] ilo = new long[nd];
      long[] box = new long[nd];
      long[] inBlock = new long[nd];
      long[] inRegion = new long[nd];
      long[] inBox = new long[nd];
      long blin = 0;
      for (int d = 0; d < nd; d++) {
        blin = blin * bpc[d] + bk[d];
        long bo = c[d] * cs[d] + bk[d] * bs[d];
        ilo[d] = Math.max(lo[d], bo);
        box[d] = Math.min(hi[d], bo + bs[d]) - ilo[d];
        inBlock[d] = ilo[d] - bo;
        inRegion[d] = ilo[d] - start[d];
        inBox[d] = ilo[d] - lo[d];
      }
      if (special != null) {
        Boxes.copy(special, 0, blockShape, inBlock, dst, 0, regionShape, inRegion, box, meta.itemsize());
      } else if (dec.h.memcpyed()) {
        Boxes.copy(dec.chunk, dec.h.headerSize() + blin * blockBytes, blockShape, inBlock, dst, 0, regionShape,
            inRegion, box, meta.itemsize());
      } else if (stage) {
        Boxes.copy(dec.decodeBlock((int) blin, scratch.get()), 0, blockShape, inBlock, staging, 0, boxShape, inBox,
            box, meta.itemsize());
      } else {
        Boxes.copy(dec.decodeBlock((int) blin, scratch.get()), 0, blockShape, inBlock, dst, 0, regionShape, inRegion,
            box, meta.itemsize());
      }
    });
    if (stage) {
      long[] zero = new long[nd];
      long[] at = new long[nd];
      for (int d = 0; d < nd; d++) {
        at[d] = lo[d] - start[d];
      }
      Boxes.copy(staging, 0, boxShape, zero, dst, 0, regionShape, at, boxShape, meta.itemsize());
    }
  }

  /**
   * The fast path of a chunk whose part of the region is made of whole blocks and whose only
   * filter is a byte shuffle (or none), as in a whole-array read. The blocks that share their
   * coordinates on all but the last axis form a slab (one block high, the chunk part wide); each
   * block is decoded and unshuffled straight into its place in a heap slab, which then goes to the
   * destination as rows of the slab's full width: writing a large destination in long rows
   * measured about twice as fast as scattering short block rows into it (the store misses
   * dominate), and the slab stays in cache. Returns false, having written nothing, when the
   * chunk does not qualify.
   */
  private boolean readWholeBlocks(long[] c, long[] lo, long[] hi, long[] start, long[] regionShape, ChunkDecoder dec,
      MemorySegment dst, ThreadLocal<ChunkDecoder.Scratch> scratch, int blockThreads) {
    int nd = meta.ndim();
    int[] cs = meta.chunks();
    int[] bs = meta.blocks();
    int itemsize = meta.itemsize();
    int t = dec.shuffleOnlySize();
    long rowBytes = (long) bs[nd - 1] * itemsize;
    if (t == 0 || rowBytes % t != 0 || dec.h.memcpyed() || dec.nbytes() != meta.chunkBytes()) {
      return false;
    }
    long[] b0 = new long[nd];
    long[] b1 = new long[nd];
    for (int d = 0; d < nd; d++) {
      long o = c[d] * cs[d];
      if ((lo[d] - o) % bs[d] != 0 || (hi[d] - o) % bs[d] != 0) {
        return false;
      }
      b0[d] = (lo[d] - o) / bs[d];
      b1[d] = (hi[d] - o) / bs[d] - 1;
    }
    int across = (int) (b1[nd - 1] - b0[nd - 1] + 1);
    long slabPitchL = across * rowBytes;
    long rowsL = 1;
    for (int d = 0; d < nd - 1; d++) {
      rowsL *= bs[d];
    }
    if (rowsL * slabPitchL > Integer.MAX_VALUE - 64) {
      return false;
    }
    int slabPitch = (int) slabPitchL;
    int rows = (int) rowsL;
    // Byte strides of the dense region, and where each row of a slab starts relative to the slab's origin.
    long[] stride = new long[nd];
    long st = itemsize;
    for (int d = nd - 1; d >= 0; d--) {
      stride[d] = st;
      st *= regionShape[d];
    }
    long[] rowOffsets = new long[rows];
    long[] r = new long[nd];
    long[] rLo = new long[nd];
    long[] rHi = new long[nd];
    for (int d = 0; d < nd - 1; d++) {
      rHi[d] = bs[d] - 1;
    }
    for (int k = 0; k < rows; k++) {
      long off = 0;
      for (int d = 0; d < nd - 1; d++) {
        off += r[d] * stride[d];
      }
      rowOffsets[k] = off;
      B2ndLayout.advance(r, rLo, rHi);
    }
    // One slab per block coordinate on the outer axes.
    long[] s0 = b0.clone();
    long[] s1 = b1.clone();
    s1[nd - 1] = s0[nd - 1];
    List<long[]> slabs = new ArrayList<>();
    long[] sl = s0.clone();
    do {
      slabs.add(sl.clone());
    } while (B2ndLayout.advance(sl, s0, s1));
    int[] ext = meta.extChunks();
    int rowElems = (int) (rowBytes / t);
    boolean longRows = t == 2 && rowElems % 4 == 0 && (long) rows * rowElems <= Shuffle.TWO_BYTE_BLOCK_LIMIT;
    Workers.forEach(slabs.size(), blockThreads, k -> {
      long[] bk = slabs.get(k);
      ChunkDecoder.Scratch s = scratch.get();
      long blin0 = 0;
      long base = 0;
      for (int d = 0; d < nd; d++) {
        blin0 = blin0 * (ext[d] / bs[d]) + bk[d];
        base += (c[d] * cs[d] + bk[d] * bs[d] - start[d]) * stride[d];
      }
      MemorySegment from;
      if (longRows) {
        // two-byte elements in rows of whole longs: unshuffle into longs, skipping a byte copy-out
        long[] ls = s.longSlab(rows * slabPitch / 8);
        for (int j = 0; j < across; j++) {
          byte[] shuffled = dec.decodeBlockShuffled((int) (blin0 + j), s);
          Shuffle.unshuffleRows2(shuffled, 0, rows, rowElems, ls, (int) (j * rowBytes / 8), slabPitch / 8);
        }
        from = MemorySegment.ofArray(ls);
      } else {
        byte[] slab = s.slab(rows * slabPitch);
        for (int j = 0; j < across; j++) {
          byte[] shuffled = dec.decodeBlockShuffled((int) (blin0 + j), s);
          Shuffle.unshuffleRows(t, shuffled, 0, rows, rowElems, slab, (int) (j * rowBytes), slabPitch);
        }
        from = MemorySegment.ofArray(slab);
      }
      for (int q = 0; q < rows; q++) {
        MemorySegment.copy(from, (long) q * slabPitch, dst, base + rowOffsets[q], slabPitch);
      }
    });
    return true;
  }

  /** Decompresses chunk {@code index} as stored (the extended, padded chunk buffer) into {@code dst}. */
  public void readChunk(long index, MemorySegment dst) {
    frame.decompressChunk(Math.toIntExact(index), dst, 1);
  }

  /** Closes the frame (unmapping the file when this array opened it). */
  @Override
  public void close() {
    frame.close();
  }
}
