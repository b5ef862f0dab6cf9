package io.omearrow.blosc2;

import io.airlift.compress.zstd.ZstdDecompressor;
import io.omearrow.blosc2.internal.BitShuffle;
import io.omearrow.blosc2.internal.BloscLz;
import io.omearrow.blosc2.internal.Lz4;
import io.omearrow.blosc2.internal.Shuffle;
import io.omearrow.blosc2.internal.SimpleFilters;
import io.omearrow.blosc2.internal.Workers;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decodes one chunk, or some of its blocks. An instance is bound to one chunk; the per-block work
 * uses a {@link Scratch} so that threads can decode different blocks at once.
 */
final class ChunkDecoder {
  final MemorySegment chunk;
  final ChunkHeader h;
  final String where;
  final int blocksize;
  final int nblocks;
  final int leftover;
  final Codec codec;
  private final boolean hasDelta;
  private final boolean anyFilter;
  private final int bstartsOffset;
  /** Variable-length blocks (chunk version 6): per-block sizes and output offsets. */
  private final int[] vlSizes;
  private final long[] vlOffsets;
  private volatile byte[] deltaRef;

  /** Per-thread buffers: compressed input, filtered block, second filter buffer. */
  static final class Scratch {
    byte[] in = new byte[0];
    byte[] a = new byte[0];
    byte[] b = new byte[0];
    Inflater inflater;
    ZstdDecompressor zstd;

    byte[] in(int n) {
      if (in.length < n) {
        in = new byte[n + 64];
      }
      return in;
    }

    byte[] stage = new byte[0];
    byte[] slab = new byte[0];

    long[] longSlab = new long[0];

    long[] longSlab(int n) {
      if (longSlab.length < n) {
        longSlab = new long[n];
      }
      return longSlab;
    }

    byte[] slab(int n) {
      if (slab.length < n) {
        slab = new byte[n];
      }
      return slab;
    }

    byte[] stage(int n) {
      if (stage.length < n) {
        stage = new byte[n];
      }
      return stage;
    }

    void ensure(int n) {
      if (a.length < n) {
        a = new byte[n];
        b = new byte[n];
      }
    }
  }

  ChunkDecoder(MemorySegment chunkSegment, String where) {
    this.where = where;
    this.h = ChunkHeader.read(chunkSegment, where);
    this.chunk = chunkSegment.asSlice(0, h.cbytes());
    ChunkHeader.Special sp = h.special();
    boolean regular = sp == ChunkHeader.Special.NONE && !h.memcpyed() && h.nbytes() > 0;
    boolean vl = regular && h.variableBlocks() && (chunk.get(ValueLayout.JAVA_BYTE, 30) & 1) != 0;
    this.blocksize = vl ? 0 : h.effectiveBlocksize();
    this.nblocks = vl ? h.blocksize() : h.nblocks();
    this.leftover = blocksize == 0 ? 0 : h.nbytes() % blocksize;
    this.codec = regular ? Codec.ofFormatCode(h.formatCode(), where) : null;
    boolean delta = false;
    boolean any = false;
    for (int i = 0; i < 6; i++) {
      int f = h.filters().get(i);
      if (f == 0 || f == Filter.TRUNC_PREC.id()) {
        continue;
      }
      if (regular && f != Filter.SHUFFLE.id() && f != Filter.BITSHUFFLE.id() && f != Filter.DELTA.id()
          && f != Filter.BYTEDELTA.id()) {
        throw new Blosc2Exception(where + ": filter id " + f + " in slot " + i + " is not supported "
            + "(supported: shuffle 1, bitshuffle 2, delta 3, trunc_prec 4, bytedelta 35)");
      }
      any = true;
      delta |= f == Filter.DELTA.id();
    }
    this.hasDelta = delta;
    this.anyFilter = any;
    int bo = h.headerSize();
    if (regular) {
      if (h.hasDictionary()) {
        throw new Blosc2Exception(where + ": chunk uses a compression dictionary, which this reader does not "
            + "implement; re-compress without use_dict");
      }
      long tableEnd = bo + 4L * nblocks;
      if (tableEnd > h.cbytes()) {
        throw new Blosc2Exception(where + ": block-start table of " + nblocks + " entries does not fit in the "
            + h.cbytes() + "-byte chunk (corrupt header: nbytes " + h.nbytes() + ", blocksize " + h.blocksize() + ")");
      }
    } else if (h.memcpyed() && sp == ChunkHeader.Special.NONE && (long) h.nbytes() + bo > h.cbytes()) {
      throw new Blosc2Exception(where + ": memcpyed chunk declares " + h.nbytes() + " bytes but holds only "
          + (h.cbytes() - bo) + " (corrupt header)");
    }
    if (regular && blocksize > MAX_BLOCKSIZE) {
      throw new Blosc2Exception(where + ": block size " + blocksize + " exceeds the Blosc2 limit of " + MAX_BLOCKSIZE
          + " bytes (corrupt header)");
    }
    this.bstartsOffset = bo;
    if (vl) {
      vlSizes = new int[nblocks];
      vlOffsets = new long[nblocks];
      long total = 0;
      for (int b = 0; b < nblocks; b++) {
        long start = chunk.get(ChunkHeader.LE_INT, bo + 4L * b);
        if (start < bo + 4L * nblocks || start + 4 > h.cbytes()) {
          throw new Blosc2Exception(where + ": variable-length block " + b + " starts at byte " + start
              + ", outside the chunk's " + h.cbytes() + " bytes (corrupt block-start table)");
        }
        int size = chunk.get(ChunkHeader.LE_INT, start);
        if (size < 0 || size > MAX_BLOCKSIZE) {
          throw new Blosc2Exception(where + ": variable-length block " + b + " declares " + size + " bytes");
        }
        vlSizes[b] = size;
        vlOffsets[b] = total;
        total += size;
      }
      if (total != h.nbytes()) {
        throw new Blosc2Exception(where + ": variable-length blocks add up to " + total + " bytes but the chunk "
            + "declares " + h.nbytes() + " (corrupt chunk)");
      }
    } else {
      vlSizes = null;
      vlOffsets = null;
    }
  }

  /** C-Blosc2's largest block (BLOSC2_MAXBLOCKSIZE); bounds the scratch a header can make us allocate. */
  static final int MAX_BLOCKSIZE = 536_866_816;

  int nbytes() {
    return h.nbytes();
  }

  int blockSize(int b) {
    if (vlSizes != null) {
      return vlSizes[b];
    }
    return (b == nblocks - 1 && leftover > 0) ? leftover : blocksize;
  }

  /** Where block {@code b} starts in the uncompressed chunk. */
  long blockOffset(int b) {
    return vlOffsets != null ? vlOffsets[b] : (long) b * blocksize;
  }

  /** Whether blocks have individual sizes (chunk version 6). */
  boolean variableBlocks() {
    return vlSizes != null;
  }

  boolean needsBlockZero() {
    return hasDelta && !h.memcpyed() && h.special() == ChunkHeader.Special.NONE;
  }

  /** Decodes the whole chunk into {@code dst} (at least nbytes long). */
  void decodeAll(MemorySegment dst, int nthreads) {
    if (dst.byteSize() < h.nbytes()) {
      throw new Blosc2Exception(where + ": destination of " + dst.byteSize() + " bytes is smaller than the chunk's "
          + h.nbytes() + " uncompressed bytes");
    }
    if (fillSpecial(dst, 0, h.nbytes())) {
      return;
    }
    if (h.memcpyed()) {
      MemorySegment.copy(chunk, h.headerSize(), dst, 0, h.nbytes());
      return;
    }
    int start = 0;
    if (hasDelta || vlSizes != null) {
      Scratch s = new Scratch();
      for (int b = 0; b < (vlSizes != null ? nblocks : 1); b++) {
        decodeBlockTo(b, s, dst, blockOffset(b));
      }
      start = vlSizes != null ? nblocks : 1;
    }
    int first = start;
    nthreads = Workers.usable(nthreads, chunk, dst);
    if (nthreads <= 1 || nblocks - first <= 1) {
      Scratch s = new Scratch();
      for (int b = first; b < nblocks; b++) {
        decodeBlockTo(b, s, dst, blockOffset(b));
      }
    } else {
      ThreadLocal<Scratch> tl = ThreadLocal.withInitial(Scratch::new);
      Workers.forEach(nblocks - first, nthreads, i -> {
        int b = first + i;
        decodeBlockTo(b, tl.get(), dst, blockOffset(b));
      });
    }
  }

  /** Fills special values; returns false for regular or memcpyed chunks. */
  boolean fillSpecial(MemorySegment dst, long from, long len) {
    switch (h.special()) {
      case NONE -> {
        return false;
      }
      case ZEROS, UNINIT -> dst.asSlice(0, len).fill((byte) 0);
      case NAN -> {
        byte[] v = switch (h.typesize()) {
          case 4 -> new byte[] {0, 0, (byte) 0xC0, 0x7F};
          case 8 -> new byte[] {0, 0, 0, 0, 0, 0, (byte) 0xF8, 0x7F};
          default -> throw new Blosc2Exception(where + ": NaN special chunk with typesize " + h.typesize()
              + " (only 4 and 8 are defined; corrupt header)");
        };
        repeat(dst, v, from, len);
      }
      case VALUE -> {
        int w = h.cbytes() - ChunkHeader.EXTENDED_SIZE;
        if (w <= 0) {
          throw new Blosc2Exception(where + ": repeated-value special chunk carries no value (cbytes " + h.cbytes() + ")");
        }
        byte[] v = chunk.asSlice(ChunkHeader.EXTENDED_SIZE, w).toArray(ValueLayout.JAVA_BYTE);
        repeat(dst, v, from, len);
      }
      default -> throw new IllegalStateException();
    }
    return true;
  }

  private static void repeat(MemorySegment dst, byte[] v, long from, long len) {
    byte[] buf = new byte[(int) Math.min(len + v.length, 1 << 16) / v.length * v.length + v.length];
    for (int i = 0; i < buf.length; i++) {
      buf[i] = v[i % v.length];
    }
    long pos = 0;
    int phase = (int) (from % v.length);
    while (pos < len) {
      int n = (int) Math.min(buf.length - phase, len - pos);
      MemorySegment.copy(buf, phase, dst, ValueLayout.JAVA_BYTE, pos, n);
      pos += n;
      phase = (phase + n) % v.length;
    }
  }

  /** Decodes block {@code b} of a regular or memcpyed chunk into {@code dst} at {@code dstOff}. */
  void decodeBlockTo(int b, Scratch s, MemorySegment dst, long dstOff) {
    int bsize = blockSize(b);
    if (h.memcpyed()) {
      MemorySegment.copy(chunk, h.headerSize() + (long) b * blocksize, dst, dstOff, bsize);
      return;
    }
    byte[] out = decodeBlock(b, s);
    MemorySegment.copy(out, 0, dst, ValueLayout.JAVA_BYTE, dstOff, bsize);
  }

  /**
   * The element size of the byte shuffle when that is the chunk's only filter to undo (trunc_prec
   * needs no undoing; 1 when there is nothing to undo), so that a caller may fuse the unshuffle
   * with its own copy through {@link #decodeBlockShuffled}; 0 otherwise (other filters, special,
   * memcpyed or variable-block chunks).
   */
  int shuffleOnlySize() {
    if (codec == null || vlSizes != null || h.memcpyed()) {
      return 0;
    }
    int size = 0;
    for (int i = 0; i < 6; i++) {
      int f = h.filters().get(i);
      if (f == Filter.SHUFFLE.id() && size == 0) {
        int meta = h.filtersMeta().get(i) & 0xFF;
        size = meta != 0 ? meta : h.typesize();
      } else if (f != 0 && f != Filter.TRUNC_PREC.id()) {
        return 0;
      }
    }
    return size == 0 ? 1 : size;
  }

  /**
   * Decodes block {@code b} of a chunk whose {@link #shuffleOnlySize()} is not 0 without undoing
   * the shuffle; the shuffled block is in the returned scratch array at 0.
   */
  byte[] decodeBlockShuffled(int b, Scratch s) {
    int bsize = blockSize(b);
    s.ensure(bsize);
    return decodeStreams(b, bsize, s);
  }

  /** Decodes block {@code b} of a regular chunk; the result is in the returned scratch array at 0. */
  byte[] decodeBlock(int b, Scratch s) {
    if (hasDelta && b > 0 && deltaRef == null) {
      synchronized (this) {
        if (deltaRef == null) {
          Scratch s0 = new Scratch();
          deltaRef = Arrays.copyOf(decodeBlock(0, s0), blockSize(0));
        }
      }
    }
    int bsize = blockSize(b);
    s.ensure(bsize);
    if (vlSizes != null) {
      return decodeVariableBlock(b, bsize, s);
    }
    byte[] raw = decodeStreams(b, bsize, s);
    byte[] out = anyFilter ? unfilter(b, bsize, s) : raw;
    if (b == 0 && hasDelta && deltaRef == null) {
      deltaRef = Arrays.copyOf(out, bsize);
    }
    return out;
  }

  /** Decodes the compressed streams of block {@code b} (fixed-size blocks) into {@code s.a}, filters still applied. */
  private byte[] decodeStreams(int b, int bsize, Scratch s) {
    boolean leftoverBlock = b == nblocks - 1 && leftover > 0;
    int nstreams = (!h.noSplit() && !leftoverBlock) ? h.typesize() : 1;
    if (bsize % nstreams != 0) {
      nstreams = 1;
    }
    int neblock = bsize / nstreams;
    int cbytes = h.cbytes();
    long pos = chunk.get(ChunkHeader.LE_INT, bstartsOffset + 4L * b);
    if (pos < bstartsOffset + 4L * nblocks || pos >= cbytes) {
      throw new Blosc2Exception(where + ": block " + b + " starts at byte " + pos + ", outside the chunk's "
          + cbytes + " bytes (corrupt block-start table)");
    }
    byte[] target = s.a;
    for (int j = 0; j < nstreams; j++) {
      if (pos + 4 > cbytes) {
        throw new Blosc2Exception(where + ": block " + b + " stream " + j + " header at byte " + pos
            + " runs past the chunk end (" + cbytes + ")");
      }
      int csize = chunk.get(ChunkHeader.LE_INT, pos);
      pos += 4;
      int to = j * neblock;
      if (csize == 0) {
        Arrays.fill(target, to, to + neblock, (byte) 0);
      } else if (csize < 0) {
        if (pos >= cbytes) {
          throw new Blosc2Exception(where + ": block " + b + " run-length token at byte " + pos + " is missing");
        }
        int token = chunk.get(ValueLayout.JAVA_BYTE, pos) & 0xFF;
        pos += 1;
        if ((token & 1) == 0 || -csize > 255 || csize == Integer.MIN_VALUE) {
          throw new Blosc2Exception(where + ": block " + b + " has an unknown run encoding (csize " + csize
              + ", token " + token + ")");
        }
        Arrays.fill(target, to, to + neblock, (byte) (-csize));
      } else {
        if (csize > cbytes - pos) {
          throw new Blosc2Exception(where + ": block " + b + " stream " + j + " declares " + csize
              + " compressed bytes but only " + (cbytes - pos) + " remain in the chunk (a chunk size lies)");
        }
        if (csize == neblock) {
          MemorySegment.copy(chunk, ValueLayout.JAVA_BYTE, pos, target, to, neblock);
        } else {
          byte[] in = s.in(csize);
          MemorySegment.copy(chunk, ValueLayout.JAVA_BYTE, pos, in, 0, csize);
          decodeStream(in, csize, target, to, neblock, s, b);
        }
        pos += csize;
      }
    }
    return target;
  }

  private byte[] decodeVariableBlock(int b, int bsize, Scratch s) {
    long pos = chunk.get(ChunkHeader.LE_INT, bstartsOffset + 4L * b) + 4L;
    long end = h.cbytes();
    for (int k = 0; k < nblocks; k++) {
      long other = chunk.get(ChunkHeader.LE_INT, bstartsOffset + 4L * k);
      if (other >= pos && other < end) {
        end = other;
      }
    }
    int csize = (int) (end - pos);
    if (csize == bsize) {
      MemorySegment.copy(chunk, ValueLayout.JAVA_BYTE, pos, s.a, 0, bsize);
    } else if (csize == 0 && bsize == 0) {
      return s.a;
    } else {
      byte[] in = s.in(csize);
      MemorySegment.copy(chunk, ValueLayout.JAVA_BYTE, pos, in, 0, csize);
      decodeStream(in, csize, s.a, 0, bsize, s, b);
    }
    return anyFilter ? unfilter(b, bsize, s) : s.a;
  }

  private void decodeStream(byte[] in, int csize, byte[] out, int to, int n, Scratch s, int b) {
    try {
      switch (codec) {
        case LZ4, LZ4HC -> Lz4.decompress(in, 0, csize, out, to, n);
        case BLOSCLZ -> BloscLz.decompress(in, 0, csize, out, to, n);
        case ZSTD -> {
          if (s.zstd == null) {
            s.zstd = new ZstdDecompressor();
          }
          int got = s.zstd.decompress(in, 0, csize, out, to, n);
          if (got != n) {
            throw new IllegalStateException("Zstd frame decoded to " + got + " bytes, expected " + n);
          }
        }
        case ZLIB -> {
          if (s.inflater == null) {
            s.inflater = new Inflater();
          }
          Inflater inf = s.inflater;
          inf.reset();
          inf.setInput(in, 0, csize);
          int got = 0;
          while (got < n && !inf.finished()) {
            int k = inf.inflate(out, to + got, n - got);
            if (k == 0 && (inf.needsInput() || inf.needsDictionary())) {
              break;
            }
            got += k;
          }
          if (got != n || !inf.finished()) {
            throw new IllegalStateException("zlib stream decoded to " + got + " bytes, expected " + n);
          }
        }
      }
    } catch (Blosc2Exception e) {
      throw e;
    } catch (DataFormatException | RuntimeException e) {
      throw new Blosc2Exception(where + ": block " + b + ": corrupt " + codec + " data: " + e.getMessage(), e);
    }
  }

  private byte[] unfilter(int b, int bsize, Scratch s) {
    byte[] cur = s.a;
    byte[] other = s.b;
    int ts = h.typesize();
    for (int i = 5; i >= 0; i--) {
      int f = h.filters().get(i);
      int meta = h.filtersMeta().get(i) & 0xFF;
      switch (f) {
        case 1 -> {
          Shuffle.unshuffle(meta != 0 ? meta : ts, cur, 0, other, 0, bsize);
          byte[] t = cur;
          cur = other;
          other = t;
        }
        case 2 -> {
          BitShuffle.unshuffle(ts, cur, 0, other, 0, bsize);
          byte[] t = cur;
          cur = other;
          other = t;
        }
        case 3 -> SimpleFilters.deltaDecode(ts, cur, 0, b == 0 ? null : deltaRef, 0, bsize);
        case 35 -> SimpleFilters.byteDeltaDecode(meta != 0 ? meta : ts, cur, 0, bsize);
        default -> { }
      }
    }
    return cur;
  }
}
