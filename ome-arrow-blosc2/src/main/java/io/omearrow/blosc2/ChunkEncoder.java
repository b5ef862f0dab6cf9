package io.omearrow.blosc2;

import io.airlift.compress.zstd.ZstdCompressor;
import io.omearrow.blosc2.internal.BitShuffle;
import io.omearrow.blosc2.internal.BloscLz;
import io.omearrow.blosc2.internal.Lz4;
import io.omearrow.blosc2.internal.Shuffle;
import io.omearrow.blosc2.internal.SimpleFilters;
import io.omearrow.blosc2.internal.Workers;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.Deflater;

/** Compresses one chunk with the extended 32-byte header, as C-Blosc2 5.x chunks look. */
final class ChunkEncoder {
  private ChunkEncoder() {}

  /** Per-block result: the stream bytes (csize prefixes included) and whether all streams were zero. */
  private record Block(byte[] bytes, int len, boolean zero) {}

  static byte[] compress(MemorySegment src, CompressionParams p) {
    long n = src.byteSize();
    if (n > ChunkHeader.MAX_NBYTES) {
      throw new Blosc2Exception("cannot compress " + n + " bytes into one chunk: the limit is "
          + ChunkHeader.MAX_NBYTES + " bytes; split the data into several chunks (a frame or b2nd array)");
    }
    int nbytes = (int) n;
    int typesize = p.typesize() > 255 ? 1 : p.typesize();
    int blocksize = blocksize(p, nbytes, typesize);
    boolean split = split(p, typesize, blocksize);
    int flags = 0x05 | (p.codec().formatCode() << 5) | (split ? 0 : 0x10) | (p.uses(Filter.DELTA) ? 0x08 : 0);
    if (p.clevel() == 0 || nbytes < ChunkHeader.EXTENDED_SIZE) {
      return memcpyed(src, nbytes, blocksize, flags, typesize, p);
    }
    int nblocks = (int) ((nbytes + (long) blocksize - 1) / blocksize);
    byte[] ref = p.uses(Filter.DELTA) ? src.asSlice(0, blocksize).toArray(ValueLayout.JAVA_BYTE) : null;
    Block[] blocks = new Block[nblocks];
    int leftover = nbytes % blocksize;
    Workers.forEach(nblocks, Workers.usable(p.nthreads(), src), b -> {
      int bsize = (b == nblocks - 1 && leftover > 0) ? leftover : blocksize;
      boolean leftoverBlock = b == nblocks - 1 && leftover > 0;
      int nstreams = split && !leftoverBlock && bsize % typesize == 0 ? typesize : 1;
      blocks[b] = compressBlock(src, (long) b * blocksize, bsize, b, nstreams, typesize, p, ref);
    });
    long total = ChunkHeader.EXTENDED_SIZE + 4L * nblocks;
    boolean allZero = true;
    for (Block b : blocks) {
      total += b.len;
      allZero &= b.zero;
    }
    if (allZero) {
      byte[] out = new byte[ChunkHeader.EXTENDED_SIZE];
      header(out, flags, typesize, nbytes, blocksize, out.length, p);
      out[31] = 0x10;
      return out;
    }
    if (total > (long) nbytes + ChunkHeader.EXTENDED_SIZE) {
      return memcpyed(src, nbytes, blocksize, flags, typesize, p);
    }
    byte[] out = new byte[(int) total];
    header(out, flags, typesize, nbytes, blocksize, (int) total, p);
    ByteBuffer bb = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    int pos = ChunkHeader.EXTENDED_SIZE + 4 * nblocks;
    for (int b = 0; b < nblocks; b++) {
      bb.putInt(ChunkHeader.EXTENDED_SIZE + 4 * b, pos);
      System.arraycopy(blocks[b].bytes, 0, out, pos, blocks[b].len);
      pos += blocks[b].len;
    }
    return out;
  }

  static int blocksize(CompressionParams p, int nbytes, int typesize) {
    int bs;
    if (p.blocksize() > 0) {
      bs = p.blocksize();
    } else {
      bs = switch (p.codec()) {
        case LZ4HC, ZSTD, ZLIB -> p.clevel() >= 6 ? 256 * 1024 : 128 * 1024;
        default -> p.clevel() >= 6 ? 64 * 1024 : 32 * 1024;
      };
      if (bs > typesize) {
        bs -= bs % typesize;
      }
    }
    return Math.max(1, Math.min(bs, nbytes));
  }

  static boolean split(CompressionParams p, int typesize, int blocksize) {
    return switch (p.splitMode()) {
      case ALWAYS -> true;
      case NEVER -> false;
      case AUTO, FORWARD_COMPAT -> (p.codec() == Codec.BLOSCLZ || p.codec() == Codec.LZ4
          || (p.codec() == Codec.ZSTD && p.clevel() <= 5))
          && (p.uses(Filter.SHUFFLE) || p.uses(Filter.BYTEDELTA)) && typesize <= 16 && blocksize / typesize >= 32;
    };
  }

  private static byte[] memcpyed(MemorySegment src, int nbytes, int blocksize, int flags, int typesize,
      CompressionParams p) {
    byte[] out = new byte[ChunkHeader.EXTENDED_SIZE + nbytes];
    // Filters are not applied to memcpyed data, so they are not recorded either.
    header(out, flags | 0x02, typesize, nbytes, blocksize, out.length, null);
    MemorySegment.copy(src, ValueLayout.JAVA_BYTE, 0, out, ChunkHeader.EXTENDED_SIZE, nbytes);
    out[22] = (byte) p.codec().id();
    return out;
  }

  private static void header(byte[] out, int flags, int typesize, int nbytes, int blocksize, int cbytes,
      CompressionParams p) {
    ByteBuffer bb = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    out[0] = 5;
    out[1] = 1;
    out[2] = (byte) flags;
    out[3] = (byte) typesize;
    bb.putInt(4, nbytes);
    bb.putInt(8, blocksize);
    bb.putInt(12, cbytes);
    if (p != null) {
      for (int i = 0; i < 6; i++) {
        out[16 + i] = (byte) p.filters().get(i).id();
        out[24 + i] = (byte) (int) p.filtersMeta().get(i);
      }
      out[22] = (byte) p.codec().id();
    }
  }

  private static Block compressBlock(MemorySegment src, long off, int bsize, int b, int nstreams, int typesize,
      CompressionParams p, byte[] ref) {
    byte[] cur = src.asSlice(off, bsize).toArray(ValueLayout.JAVA_BYTE);
    byte[] other = new byte[bsize];
    for (int i = 0; i < 6; i++) {
      Filter f = p.filters().get(i);
      int meta = p.filtersMeta().get(i);
      switch (f) {
        case NOSHUFFLE -> {
          continue;
        }
        case SHUFFLE -> Shuffle.shuffle((meta & 0xFF) != 0 ? meta & 0xFF : typesize, cur, 0, other, 0, bsize);
        case BITSHUFFLE -> BitShuffle.shuffle(typesize, cur, 0, other, 0, bsize);
        case DELTA -> SimpleFilters.deltaEncode(typesize, cur, 0, b == 0 ? null : ref, 0, other, 0, bsize);
        case TRUNC_PREC -> SimpleFilters.truncPrec(p.typesize(), (byte) meta, cur, 0, other, 0, bsize);
        case BYTEDELTA -> SimpleFilters.byteDeltaEncode((meta & 0xFF) != 0 ? meta & 0xFF : typesize, cur, 0, other, 0, bsize);
      }
      byte[] t = cur;
      cur = other;
      other = t;
    }
    int neblock = bsize / nstreams;
    byte[] out = new byte[bsize + 4 * nstreams];
    int pos = 0;
    boolean allZero = true;
    for (int j = 0; j < nstreams; j++) {
      int from = j * neblock;
      if (isZero(cur, from, neblock)) {
        putInt(out, pos, 0);
        pos += 4;
        continue;
      }
      allZero = false;
      int room = Math.min(neblock - 1, out.length - pos - 4);
      int c = room <= 0 ? -1 : compressStream(p, cur, from, neblock, out, pos + 4, room);
      if (c <= 0 || c >= neblock) {
        putInt(out, pos, neblock);
        System.arraycopy(cur, from, out, pos + 4, neblock);
        pos += 4 + neblock;
      } else {
        putInt(out, pos, c);
        pos += 4 + c;
      }
    }
    return new Block(out, pos, allZero);
  }

  private static boolean isZero(byte[] a, int from, int len) {
    for (int i = from, end = from + len; i < end; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static void putInt(byte[] a, int pos, int v) {
    a[pos] = (byte) v;
    a[pos + 1] = (byte) (v >>> 8);
    a[pos + 2] = (byte) (v >>> 16);
    a[pos + 3] = (byte) (v >>> 24);
  }

  /** Compresses one stream; returns its length, or -1 when it does not fit in {@code room}. */
  private static int compressStream(CompressionParams p, byte[] in, int from, int len, byte[] out, int to, int room) {
    return switch (p.codec()) {
      case LZ4 -> Lz4.compress(in, from, len, out, to, room, 0);
      case LZ4HC -> Lz4.compress(in, from, len, out, to, room, 1 << Math.min(p.clevel(), 9));
      case BLOSCLZ -> BloscLz.compress(in, from, len, out, to, room);
      case ZSTD -> {
        ZstdCompressor z = new ZstdCompressor();
        byte[] tmp = new byte[z.maxCompressedLength(len)];
        int c = z.compress(in, from, len, tmp, 0, tmp.length);
        if (c > room) {
          yield -1;
        }
        System.arraycopy(tmp, 0, out, to, c);
        yield c;
      }
      case ZLIB -> {
        Deflater d = new Deflater(Math.max(1, p.clevel()));
        try {
          d.setInput(in, from, len);
          d.finish();
          int c = d.deflate(out, to, room);
          yield d.finished() ? c : -1;
        } finally {
          d.end();
        }
      }
    };
  }
}
