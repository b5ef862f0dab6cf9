package io.omearrow.io.tiff;

import io.omearrow.core.FormatException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import java.util.zip.DataFormatException;

/**
 * Reads a rectangle of one sample of one IFD into a caller's segment (row-major, packed,
 * little-endian), touching only the strips or tiles that overlap it. Uncompressed full-width
 * strips are read straight from the file into the destination; other blocks are read and decoded
 * into off-heap scratch buffers. Scratch up to {@link #CACHED_SCRATCH_LIMIT} is kept per thread and
 * reused across calls (automatic arena, freed with the thread); larger scratch lives for one call.
 * A region of several compressed blocks is decoded on the common fork-join pool. Safe from many
 * threads.
 */
final class RegionReader {
  private static final long PARALLEL_SCRATCH_LIMIT = 1L << 30;
  /** Blocks up to this size are always accepted; larger ones must be explained by their compressed size. */
  private static final long MAX_PLAIN_SCRATCH = 64L << 20;
  /** Largest decoded/compressed ratio accepted for blocks above {@link #MAX_PLAIN_SCRATCH}. */
  private static final long MAX_RATIO = 20_000;
  private static final ValueLayout.OfShort LE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  /** Largest scratch buffer kept per thread between calls; bigger blocks get call-scoped memory. */
  private static final long CACHED_SCRATCH_LIMIT = 16L << 20;
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private RegionReader() {}

  /** A thread's reusable native scratch: slot 2i is compressed bytes, slot 2i+1 a decoded block. */
  private static final class Scratch {
    private MemorySegment[] slots = new MemorySegment[0];

    /**
     * A segment of at least {@code size} bytes (contents undefined) for slot {@code i}: kept and
     * reused when small enough, otherwise allocated in {@code callArena}.
     */
    MemorySegment get(int i, long size, Arena callArena) {
      if (size > CACHED_SCRATCH_LIMIT) {
        return callArena.allocate(size, 64);
      }
      if (slots.length <= i) {
        slots = java.util.Arrays.copyOf(slots, i + 1);
      }
      MemorySegment s = slots[i];
      if (s == null || s.byteSize() < size) {
        s = Arena.ofAuto().allocate(Math.max(size, s == null ? 0 : s.byteSize()), 64);
        slots[i] = s;
      }
      return s.asSlice(0, size);
    }
  }

  /** Reads sample {@code s} of {@code ifd}, region x..x+w, y..y+h, into {@code dst} at offset 0. */
  static void read(TiffFile file, Ifd ifd, int s, int x, int y, int w, int h, MemorySegment dst) {
    int item = ifd.bitsPerSample() / 8;
    boolean swap = file.order() != ByteOrder.LITTLE_ENDIAN && item > 1;
    if (ifd.compression() == TiffCodec.NONE && !ifd.tiled() && ifd.samplesInBlock() == 1 && x == 0 && w == ifd.width()) {
      readDirect(file, ifd, s, y, h, dst, item, swap);
      return;
    }
    int bw = ifd.blockWidth();
    int bh = ifd.blockHeight();
    int col0 = x / bw;
    int col1 = (x + w - 1) / bw;
    int row0 = y / bh;
    int row1 = (y + h - 1) / bh;
    long maxCompressed = 0;
    long blockBytes = ifd.blockBytes();
    for (int r = row0; r <= row1; r++) {
      for (int c = col0; c <= col1; c++) {
        int bi = ifd.blockIndex(s, c, r);
        long count = ifd.byteCounts()[bi];
        maxCompressed = Math.max(maxCompressed, count);
        // refuse before allocating scratch for a block whose declared size its stored bytes cannot explain
        if (ifd.compression() == TiffCodec.NONE && count > 0 && count < ifd.blockRowBytes() * usedRows(ifd, r)) {
          throw file.fail((ifd.tiled() ? "tile " : "strip ") + bi + " of IFD " + ifd.index() + " holds " + count
              + " bytes, fewer than the " + ifd.blockRowBytes() * usedRows(ifd, r) + " its " + usedRows(ifd, r) + " rows need");
        }
        if (ifd.compression() != TiffCodec.NONE && count > 0 && blockBytes > MAX_PLAIN_SCRATCH && blockBytes / count > MAX_RATIO) {
          throw file.fail((ifd.tiled() ? "tile " : "strip ") + bi + " of IFD " + ifd.index() + " would decode to " + blockBytes
              + " bytes from " + count + " compressed bytes; refusing such a block");
        }
      }
    }
    if (ifd.compression() == TiffCodec.NONE) {
      maxCompressed = 0; // uncompressed blocks are read straight into the block buffer
    }
    if (maxCompressed > TiffFile.MAX_BLOCK_BYTES) {
      throw file.fail("a block of IFD " + ifd.index() + " holds " + maxCompressed + " bytes, too large to read");
    }
    int blocks = (row1 - row0 + 1) * (col1 - col0 + 1);
    int workers = Math.min(blocks, ForkJoinPool.getCommonPoolParallelism() + 1);
    if (!"false".equals(System.getProperty(TiffSource.PARALLEL_DECODE_PROPERTY)) && ifd.compression() != TiffCodec.NONE && blocks >= 4 && workers > 1
        && blockBytes * workers <= PARALLEL_SCRATCH_LIMIT) {
      readParallel(file, ifd, s, x, y, w, h, dst, item, swap, maxCompressed, workers);
      return;
    }
    try (Arena arena = Arena.ofConfined()) {
      Scratch scratch = SCRATCH.get();
      MemorySegment comp = scratch.get(0, Math.max(1, maxCompressed), arena);
      MemorySegment block = scratch.get(1, blockBytes, arena);
      for (int r = row0; r <= row1; r++) {
        for (int c = col0; c <= col1; c++) {
          int by0 = r * bh;
          boolean le = decodeBlock(file, ifd, ifd.blockIndex(s, c, r), usedRows(ifd, r), Math.max(y, by0) - by0,
              Math.min(y + h, by0 + bh) - by0, comp, block);
          place(file, ifd, s, c, r, block, x, y, w, h, dst, item, swap && !le);
        }
      }
    }
  }

  private static int usedRows(Ifd ifd, int blockRow) {
    return Math.min(ifd.blockHeight(), ifd.height() - blockRow * ifd.blockHeight());
  }

  /**
   * True when the horizontal predictor is undone while placing a block rather than in the block
   * itself, which saves one pass over the decoded bytes (one sample per block, compressed).
   */
  private static boolean fusedPredictor(Ifd ifd) {
    return ifd.predictor() == 2 && ifd.compression() != TiffCodec.NONE && ifd.samplesInBlock() == 1;
  }

  /** Copies the part of decoded block (c, r) that lies in the region into {@code dst}. */
  private static void place(TiffFile file, Ifd ifd, int s, int c, int r, MemorySegment block, int x, int y, int w, int h, MemorySegment dst, int item,
      boolean swap) {
    int bx0 = c * ifd.blockWidth();
    int by0 = r * ifd.blockHeight();
    int ix0 = Math.max(x, bx0);
    int ix1 = Math.min(x + w, bx0 + ifd.blockWidth());
    int iy0 = Math.max(y, by0);
    int iy1 = Math.min(y + h, by0 + ifd.blockHeight());
    if (fusedPredictor(ifd)) {
      Predictors.undoHorizontalInto(block, ifd.blockWidth(), iy0 - by0, iy1 - iy0, item, file.order(), ix0 - bx0, ix1 - ix0, dst,
          ((long) (iy0 - y) * w + (ix0 - x)) * item, (long) w * item);
      return;
    }
    copyRows(ifd, s, block, ix0 - bx0, iy0 - by0, ix1 - ix0, iy1 - iy0, dst, (long) (iy0 - y) * w + (ix0 - x), w, item, swap);
  }

  /**
   * Decodes the region's compressed blocks on the common fork-join pool. When {@code dst} may be
   * written from any thread (global, automatic or shared memory, such as an Arrow buffer) and the
   * blocks are small enough for per-thread scratch, each worker decodes and places blocks on its
   * own, with no synchronisation but the final join. Otherwise blocks are decoded in waves, each
   * worker into its own scratch block, and the caller's thread copies them into {@code dst}, which
   * may be confined to it.
   */
  private static void readParallel(TiffFile file, Ifd ifd, int s, int x, int y, int w, int h, MemorySegment dst, int item,
      boolean swap, long maxCompressed, int workers) {
    int bw = ifd.blockWidth();
    int bh = ifd.blockHeight();
    int col0 = x / bw;
    int cols = (x + w - 1) / bw - col0 + 1;
    int row0 = y / bh;
    int blocks = cols * ((y + h - 1) / bh - row0 + 1);
    // the calling thread's scratch (automatic arena, so the workers may use it); only scratch too
    // large to keep needs a shared arena, whose close is costly
    boolean cached = Math.max(maxCompressed, ifd.blockBytes()) <= CACHED_SCRATCH_LIMIT;
    if (cached && dst.isAccessibleBy(Thread.ofVirtual().unstarted(() -> { }))) {
      IntStream.range(0, blocks).parallel().forEach(k -> {
        Scratch scratch = SCRATCH.get();
        MemorySegment comp = scratch.get(0, Math.max(1, maxCompressed), null);
        MemorySegment block = scratch.get(1, ifd.blockBytes(), null);
        int r = row0 + k / cols;
        int c = col0 + k % cols;
        int used = usedRows(ifd, r);
        boolean le = decodeBlock(file, ifd, ifd.blockIndex(s, c, r), used, 0, used, comp, block);
        place(file, ifd, s, c, r, block, x, y, w, h, dst, item, swap && !le);
      });
      return;
    }
    try (Arena arena = cached ? Arena.ofConfined() : Arena.ofShared()) {
      Scratch scratch = SCRATCH.get();
      MemorySegment[] comp = new MemorySegment[workers];
      MemorySegment[] block = new MemorySegment[workers];
      boolean[] le = new boolean[workers];
      for (int i = 0; i < workers; i++) {
        comp[i] = scratch.get(2 * i, Math.max(1, maxCompressed), arena);
        block[i] = scratch.get(2 * i + 1, ifd.blockBytes(), arena);
      }
      for (int wave = 0; wave < blocks; wave += workers) {
        int first = wave;
        int n = Math.min(workers, blocks - wave);
        IntStream.range(0, n).parallel().forEach(i -> {
          int k = first + i;
          int r = row0 + k / cols;
          int used = usedRows(ifd, r);
          le[i] = decodeBlock(file, ifd, ifd.blockIndex(s, col0 + k % cols, r), used, 0, used, comp[i], block[i]);
        });
        for (int i = 0; i < n; i++) {
          int k = first + i;
          place(file, ifd, s, col0 + k % cols, row0 + k / cols, block[i], x, y, w, h, dst, item, swap && !le[i]);
        }
      }
    }
  }

  /** Uncompressed full-width strips of one sample: file bytes go straight into {@code dst}. */
  private static void readDirect(TiffFile file, Ifd ifd, int s, int y, int h, MemorySegment dst, int item, boolean swap) {
    long rowBytes = (long) ifd.width() * item;
    int bh = ifd.blockHeight();
    for (int r = y; r < y + h; ) {
      int strip = r / bh;
      int stripEnd = Math.min((strip + 1) * bh, y + h);
      int bi = ifd.blockIndex(s, 0, strip);
      long inStrip = (long) (r - strip * bh) * rowBytes;
      long len = (long) (stripEnd - r) * rowBytes;
      long dstOff = (long) (r - y) * rowBytes;
      if (ifd.byteCounts()[bi] == 0) {
        dst.asSlice(dstOff, len).fill((byte) 0);
      } else {
        if (inStrip + len > ifd.byteCounts()[bi]) {
          throw file.fail("strip " + bi + " of IFD " + ifd.index() + " holds " + ifd.byteCounts()[bi]
              + " bytes, fewer than its " + Math.min(bh, ifd.height() - strip * bh) + " rows of " + rowBytes + " bytes need");
        }
        long pos = ifd.offsets()[bi] + inStrip;
        for (long done = 0; done < len; ) {
          int n = (int) Math.min(len - done, 1 << 30);
          file.readFully(pos + done, dst.asSlice(dstOff + done, n).asByteBuffer());
          done += n;
        }
        if (swap) {
          swapInPlace(dst.asSlice(dstOff, len), item);
        }
      }
      r = stripEnd;
    }
  }

  /**
   * Reads and decodes block {@code bi} into {@code block}, undoing the predictor. An uncompressed
   * block is read only for its rows {@code rowFrom} to {@code rowTo}; a compressed one is decoded whole.
   *
   * @return true when the decoded block is already little-endian (floating-point predictor)
   */
  private static boolean decodeBlock(TiffFile file, Ifd ifd, int bi, int usedRows, int rowFrom, int rowTo, MemorySegment comp,
      MemorySegment block) {
    long count = ifd.byteCounts()[bi];
    long rowBytes = ifd.blockRowBytes();
    long need = rowBytes * usedRows;
    String kind = ifd.tiled() ? "tile " : "strip ";
    if (count == 0) {
      block.fill((byte) 0);
      return false;
    }
    if (ifd.compression() == TiffCodec.NONE) {
      if (count < need) {
        throw file.fail(kind + bi + " of IFD " + ifd.index() + " holds " + count + " bytes, fewer than the " + need
            + " its " + usedRows + " rows need");
      }
      long from = rowFrom * rowBytes;
      file.readFully(ifd.offsets()[bi] + from, block.asSlice(from, (rowTo - rowFrom) * rowBytes).asByteBuffer());
      return false; // uncompressed blocks carry no predictor
    } else {
      ByteBuffer src = comp.asSlice(0, count).asByteBuffer();
      file.readFully(ifd.offsets()[bi], src);
      src.flip();
      ByteBuffer out = block.asByteBuffer();
      int produced;
      try {
        produced = TiffCodec.decode(ifd.compression(), src, out);
      } catch (IOException | DataFormatException | RuntimeException e) {
        if (e instanceof FormatException fe) {
          throw fe;
        }
        throw file.fail(kind + bi + " of IFD " + ifd.index() + " is corrupt (" + TiffCodec.name(ifd.compression()) + "): "
            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
      }
      if (produced < need) {
        throw file.fail(kind + bi + " of IFD " + ifd.index() + " decodes to " + produced + " bytes, fewer than the " + need
            + " its " + usedRows + " rows need");
      }
    }
    if (ifd.predictor() == 2 && !fusedPredictor(ifd)) {
      Predictors.undoHorizontal(block, ifd.blockWidth(), usedRows, ifd.samplesInBlock(), ifd.bitsPerSample() / 8, file.order());
    } else if (ifd.predictor() == 3) {
      Predictors.undoFloatingPoint(block, ifd.blockWidth(), usedRows, ifd.samplesInBlock(), ifd.bitsPerSample() / 8);
      return true;
    }
    return false;
  }

  /** Copies a w x h rectangle of sample {@code s} out of a decoded block into {@code dst}. */
  private static void copyRows(Ifd ifd, int s, MemorySegment block, int bx, int by, int w, int h, MemorySegment dst,
      long dstPixel, int dstStride, int item, boolean swap) {
    int sib = ifd.samplesInBlock();
    int sampleInBlock = sib == 1 ? 0 : s;
    long rowBytes = ifd.blockRowBytes();
    ValueLayout srcLayout = layout(item, swap ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    ValueLayout dstLayout = layout(item, ByteOrder.LITTLE_ENDIAN);
    for (int r = 0; r < h; r++) {
      long so = (by + r) * rowBytes + ((long) bx * sib + sampleInBlock) * item;
      long d = (dstPixel + (long) r * dstStride) * item;
      if (sib == 1) {
        MemorySegment.copy(block, srcLayout, so, dst, dstLayout, d, w);
      } else {
        copyStrided(block, so, (long) sib * item, dst, d, w, item, swap);
      }
    }
  }

  private static void copyStrided(MemorySegment src, long so, long stride, MemorySegment dst, long d, int n, int item, boolean swap) {
    switch (item) {
      case 1 -> {
        for (int i = 0; i < n; i++) {
          dst.set(ValueLayout.JAVA_BYTE, d + i, src.get(ValueLayout.JAVA_BYTE, so + i * stride));
        }
      }
      case 2 -> {
        for (int i = 0; i < n; i++) {
          short v = src.get(LE16, so + i * stride);
          dst.set(LE16, d + 2L * i, swap ? Short.reverseBytes(v) : v);
        }
      }
      case 4 -> {
        for (int i = 0; i < n; i++) {
          int v = src.get(LE32, so + i * stride);
          dst.set(LE32, d + 4L * i, swap ? Integer.reverseBytes(v) : v);
        }
      }
      default -> {
        for (int i = 0; i < n; i++) {
          long v = src.get(LE64, so + i * stride);
          dst.set(LE64, d + 8L * i, swap ? Long.reverseBytes(v) : v);
        }
      }
    }
  }

  static ValueLayout layout(int item, ByteOrder order) {
    return switch (item) {
      case 1 -> ValueLayout.JAVA_BYTE;
      case 2 -> ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(order);
      case 4 -> ValueLayout.JAVA_INT_UNALIGNED.withOrder(order);
      default -> ValueLayout.JAVA_LONG_UNALIGNED.withOrder(order);
    };
  }

  /** Reverses the byte order of every element of {@code seg} in place. */
  static void swapInPlace(MemorySegment seg, int item) {
    MemorySegment.copy(seg, layout(item, ByteOrder.BIG_ENDIAN), 0, seg, layout(item, ByteOrder.LITTLE_ENDIAN), 0,
        seg.byteSize() / item);
  }
}
