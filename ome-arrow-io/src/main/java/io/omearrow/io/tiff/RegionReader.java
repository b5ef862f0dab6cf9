package io.omearrow.io.tiff;

import io.omearrow.core.FormatException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.DataFormatException;

/**
 * Reads a rectangle of one sample of one IFD into a caller's segment (row-major, packed,
 * little-endian), touching only the strips or tiles that overlap it. Uncompressed full-width
 * strips are read straight from the file into the destination; other blocks are read and decoded
 * into off-heap scratch buffers that live for one call. Stateless: safe from many threads.
 */
final class RegionReader {
  private static final ValueLayout.OfShort LE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private RegionReader() {}

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
    for (int r = row0; r <= row1; r++) {
      for (int c = col0; c <= col1; c++) {
        maxCompressed = Math.max(maxCompressed, ifd.byteCounts()[ifd.blockIndex(s, c, r)]);
      }
    }
    long blockBytes = ifd.blockBytes();
    if (maxCompressed > TiffFile.MAX_BLOCK_BYTES) {
      throw file.fail("a block of IFD " + ifd.index() + " holds " + maxCompressed + " bytes, too large to read");
    }
    try (Arena arena = Arena.ofConfined(); TiffCodec.State state = new TiffCodec.State()) {
      MemorySegment comp = arena.allocate(Math.max(1, maxCompressed), 64);
      MemorySegment block = arena.allocate(blockBytes, 64);
      for (int r = row0; r <= row1; r++) {
        for (int c = col0; c <= col1; c++) {
          int bi = ifd.blockIndex(s, c, r);
          int bx0 = c * bw;
          int by0 = r * bh;
          int usedRows = Math.min(bh, ifd.height() - by0);
          boolean le = decodeBlock(file, ifd, bi, usedRows, comp, block, state);
          int ix0 = Math.max(x, bx0);
          int ix1 = Math.min(x + w, bx0 + bw);
          int iy0 = Math.max(y, by0);
          int iy1 = Math.min(y + h, by0 + bh);
          copyRows(ifd, s, block, ix0 - bx0, iy0 - by0, ix1 - ix0, iy1 - iy0, dst, (long) (iy0 - y) * w + (ix0 - x), w, item,
              swap && !le);
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
   * Reads and decodes block {@code bi} into {@code block}, undoing the predictor.
   *
   * @return true when the decoded block is already little-endian (floating-point predictor)
   */
  private static boolean decodeBlock(TiffFile file, Ifd ifd, int bi, int usedRows, MemorySegment comp, MemorySegment block,
      TiffCodec.State state) {
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
      file.readFully(ifd.offsets()[bi], block.asSlice(0, need).asByteBuffer());
    } else {
      ByteBuffer src = comp.asSlice(0, count).asByteBuffer();
      file.readFully(ifd.offsets()[bi], src);
      src.flip();
      ByteBuffer out = block.asByteBuffer();
      int produced;
      try {
        produced = TiffCodec.decode(ifd.compression(), src, out, state);
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
    if (ifd.predictor() == 2) {
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
