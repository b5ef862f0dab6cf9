package io.omearrow.blosc2;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A reader over one Blosc2 contiguous frame ({@code .b2frame}, {@code .b2nd}, {@code .mla}):
 * header, fixed metalayers, the chunk-offsets index, the trailer with its variable-length
 * metalayers (vlmeta), and the chunks, which are decoded only when asked for.
 *
 * <pre>{@code
 * try (Frame f = Frame.open(Path.of("image.mla"))) {
 *   byte[] meta = f.vlmeta("mlarray");
 *   f.decompressChunk(0, dst, 1);
 * }
 * }</pre>
 *
 * <p>Memory: {@link #open(Path)} maps the file read-only into a shared arena that this object
 * owns and releases on {@link #close()}; segments it hands out are views into the mapping and
 * must not be used after close. {@link #wrap(MemorySegment, String)} reads memory the caller owns
 * and keeps owning. Reading is thread-safe.
 */
public final class Frame implements AutoCloseable {
  static final ValueLayout.OfInt BE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
  static final ValueLayout.OfLong BE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
  static final ValueLayout.OfShort BE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
  static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  static final byte[] MAGIC = "b2frame\0".getBytes(StandardCharsets.US_ASCII);
  /** Index entries this reader accepts (2^24 chunks, a 128 MiB offsets table). */
  static final long MAX_CHUNKS = 1L << 24;
  /** Largest vlmeta value this reader decompresses (256 MiB). */
  static final int MAX_VLMETA = 256 << 20;

  private final MemorySegment seg;
  private final Arena arena;
  private final String name;
  private final FrameHeader header;
  private final Map<String, MemorySegment> metalayers;
  private final Map<String, MemorySegment> vlmeta;
  private final long[] offsets;

  private Frame(MemorySegment seg, Arena arena, String name) {
    this.seg = seg;
    this.arena = arena;
    this.name = name;
    try {
      this.header = readHeader();
      this.metalayers = Collections.unmodifiableMap(readMetalayers());
      this.vlmeta = Collections.unmodifiableMap(readTrailer());
      this.offsets = readOffsets();
    } catch (IndexOutOfBoundsException e) {
      throw new Blosc2Exception(name + ": a field points outside the frame (" + e.getMessage()
          + "); the file is truncated or corrupt", e);
    }
  }

  /** Maps a frame file read-only; close the frame to unmap it. */
  public static Frame open(Path path) {
    Arena arena = Arena.ofShared();
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      MemorySegment m = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
      return new Frame(m, arena, path.toString());
    } catch (IOException e) {
      arena.close();
      throw new Blosc2Exception(path + ": cannot read the frame: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      arena.close();
      throw e;
    }
  }

  /** A frame over memory the caller owns (heap or native); {@code name} appears in errors. */
  public static Frame wrap(MemorySegment frame, String name) {
    return new Frame(frame, null, name);
  }

  /** A frame over a heap array. */
  public static Frame wrap(byte[] frame) {
    return wrap(MemorySegment.ofArray(frame), "frame");
  }

  /** The name used in error messages (the path for opened files). */
  public String name() {
    return name;
  }

  /** The header fields. */
  public FrameHeader header() {
    return header;
  }

  /** The whole frame's bytes (a view; valid until close). */
  public MemorySegment segment() {
    return seg.asSlice(0, header.frameLen());
  }

  private Blosc2Exception corrupt(long offset, String what) {
    return new Blosc2Exception(name + ": " + what + " at byte " + offset + " (not a Blosc2 frame, or a corrupt one)");
  }

  private int u8(long off) {
    return seg.get(ValueLayout.JAVA_BYTE, off) & 0xFF;
  }

  private void expect(long off, int marker, String what) {
    if (off >= seg.byteSize() || u8(off) != marker) {
      throw corrupt(off, "expected msgpack marker 0x" + Integer.toHexString(marker) + " for " + what);
    }
  }

  private FrameHeader readHeader() {
    if (seg.byteSize() < 87) {
      throw new Blosc2Exception(name + ": " + seg.byteSize() + " bytes is too short for a Blosc2 frame header (87 bytes)");
    }
    expect(0, 0x9E, "the header array");
    expect(1, 0xA8, "the magic string");
    for (int i = 0; i < 8; i++) {
      if (u8(2 + i) != (MAGIC[i] & 0xFF)) {
        throw corrupt(2, "bad magic (expected \"b2frame\")");
      }
    }
    expect(10, 0xD2, "header_len");
    long headerLen = seg.get(BE_INT, 11);
    expect(15, 0xCF, "frame_len");
    long frameLen = seg.get(BE_LONG, 16);
    if (frameLen < 0 || frameLen > seg.byteSize()) {
      throw new Blosc2Exception(name + ": header says the frame is " + frameLen + " bytes but only "
          + seg.byteSize() + " are present (truncated file or corrupt header)");
    }
    if (headerLen < 87 || headerLen > frameLen) {
      throw corrupt(11, "header length " + headerLen + " outside [87, " + frameLen + "]");
    }
    expect(24, 0xA4, "the flags");
    int general = u8(25);
    int version = general & 0x0F;
    if (version > 3) {
      throw new Blosc2Exception(name + ": frame format version " + version + " is newer than this reader (up to 3)");
    }
    if (((general >>> 4) & 3) != 1) {
      throw corrupt(25, "unsupported offset width in the general flags 0x" + Integer.toHexString(general));
    }
    if (u8(26) != 0) {
      throw new Blosc2Exception(name + ": frame type " + u8(26) + " is a sparse (directory) frame; only "
          + "contiguous frames are supported");
    }
    int codecByte = u8(27);
    int splitMode = (u8(28) & 3) + 1;
    expect(29, 0xD3, "nbytes");
    long nbytes = seg.get(BE_LONG, 30);
    expect(38, 0xD3, "cbytes");
    long cbytes = seg.get(BE_LONG, 39);
    expect(47, 0xD2, "typesize");
    int typesize = seg.get(BE_INT, 48);
    expect(52, 0xD2, "blocksize");
    int blocksize = seg.get(BE_INT, 53);
    expect(57, 0xD2, "chunksize");
    int chunksize = seg.get(BE_INT, 58);
    if (nbytes < 0 || cbytes < 0 || typesize < 1 || blocksize < 0 || chunksize < 0) {
      throw corrupt(29, "negative size field (nbytes " + nbytes + ", cbytes " + cbytes + ", typesize " + typesize
          + ", blocksize " + blocksize + ", chunksize " + chunksize + ")");
    }
    if (cbytes > frameLen - headerLen) {
      throw new Blosc2Exception(name + ": header says the chunks take " + cbytes + " bytes but only "
          + (frameLen - headerLen) + " follow the header (corrupt header or truncated file)");
    }
    int hasVl = u8(68);
    if (hasVl != 0xC2 && hasVl != 0xC3) {
      throw corrupt(68, "expected a msgpack boolean for has-vlmeta");
    }
    expect(69, 0xD8, "the filter fixext");
    Integer[] f = new Integer[6];
    Integer[] fm = new Integer[6];
    for (int i = 0; i < 6; i++) {
      f[i] = u8(71 + i);
      fm[i] = (int) seg.get(ValueLayout.JAVA_BYTE, 79 + i);
    }
    return new FrameHeader(headerLen, frameLen, version, codecByte & 0x0F, codecByte >>> 4, splitMode, nbytes, cbytes,
        typesize, blocksize, chunksize, hasVl == 0xC3, List.of(f), List.of(fm));
  }

  /** Parses a name/offset map followed by an array of bin values; offsets are relative to {@code base}. */
  private Map<String, MemorySegment> readNamedBins(long mapPos, long base, long limit, String what) {
    Map<String, MemorySegment> out = new LinkedHashMap<>();
    int mk = u8(mapPos);
    int n;
    long p;
    if (mk == 0xDE) {
      n = Short.toUnsignedInt(seg.get(BE_SHORT, mapPos + 1));
      p = mapPos + 3;
    } else if ((mk & 0xF0) == 0x80) {
      n = mk & 0x0F;
      p = mapPos + 1;
    } else {
      throw corrupt(mapPos, "expected the " + what + " map");
    }
    if (n > 8192) {
      throw corrupt(mapPos, n + " " + what + " entries (at most 8192 allowed)");
    }
    for (int i = 0; i < n; i++) {
      int s = u8(p);
      if ((s & 0xE0) != 0xA0) {
        throw corrupt(p, "expected a short string for a " + what + " name");
      }
      int len = s & 0x1F;
      String key = new String(seg.asSlice(p + 1, len).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
      p += 1 + len;
      expect(p, 0xD2, what + " offset");
      long off = base + seg.get(BE_INT, p + 1);
      p += 5;
      if (off < base || off + 5 > limit) {
        throw corrupt(p - 4, what + " '" + key + "' offset points outside [" + base + ", " + limit + ")");
      }
      if (u8(off) != 0xC6) {
        throw corrupt(off, "expected a bin32 value for " + what + " '" + key + "'");
      }
      long len32 = Integer.toUnsignedLong(seg.get(BE_INT, off + 1));
      if (len32 > limit - off - 5) {
        throw corrupt(off, what + " '" + key + "' declares " + len32 + " bytes, more than the " + (limit - off - 5)
            + " available");
      }
      out.put(key, seg.asSlice(off + 5, len32));
    }
    return out;
  }

  private Map<String, MemorySegment> readMetalayers() {
    if (header.headerLen() <= 87) {
      return Map.of();
    }
    expect(87, 0x93, "the metalayer section");
    expect(88, 0xCD, "the metalayer index size");
    return readNamedBins(91, 0, header.headerLen(), "metalayer");
  }

  private Map<String, MemorySegment> readTrailer() {
    long frameLen = header.frameLen();
    long minTrailer = 35;
    if (frameLen - header.headerLen() - header.cbytes() < minTrailer) {
      throw new Blosc2Exception(name + ": no room for the offsets index and trailer after " + header.cbytes()
          + " chunk bytes (truncated file or corrupt header)");
    }
    expect(frameLen - 23, 0xCE, "the trailer length");
    long trailerLen = Integer.toUnsignedLong(seg.get(BE_INT, frameLen - 22));
    long t = frameLen - trailerLen;
    if (trailerLen < minTrailer || t < header.headerLen() + header.cbytes()) {
      throw corrupt(frameLen - 22, "trailer length " + trailerLen + " does not fit the frame");
    }
    expect(t, 0x94, "the trailer array");
    if (u8(t + 1) != 1) {
      throw corrupt(t + 1, "unknown trailer version " + u8(t + 1));
    }
    expect(t + 2, 0x93, "the vlmeta section");
    expect(t + 3, 0xCD, "the vlmeta index size");
    return readNamedBins(t + 6, t, frameLen - 23, "vlmeta");
  }

  private long[] readOffsets() {
    long pos = header.headerLen() + header.cbytes();
    MemorySegment idx = seg.asSlice(pos, header.frameLen() - pos);
    String where = name + ": offsets index at byte " + pos;
    ChunkDecoder d = new ChunkDecoder(idx, where);
    long nchunks;
    if (header.chunksize() > 0) {
      nchunks = header.nbytes() == 0 ? 0 : (header.nbytes() + header.chunksize() - 1) / header.chunksize();
      if (nchunks * 8 != d.nbytes()) {
        throw new Blosc2Exception(where + ": holds " + d.nbytes() / 8 + " offsets but the header implies " + nchunks
            + " chunks (nbytes " + header.nbytes() + " / chunksize " + header.chunksize() + "; corrupt frame)");
      }
    } else {
      nchunks = d.nbytes() / 8;
    }
    if (nchunks > MAX_CHUNKS) {
      throw new Blosc2Exception(where + ": " + nchunks + " chunks is more than this reader supports (" + MAX_CHUNKS + ")");
    }
    long[] out = new long[(int) nchunks];
    d.decodeAll(MemorySegment.ofArray(out), 1);
    if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
      for (int i = 0; i < out.length; i++) {
        out[i] = Long.reverseBytes(out[i]);
      }
    }
    return out;
  }

  /** Names of the fixed metalayers, in file order. */
  public Set<String> metalayerNames() {
    return metalayers.keySet();
  }

  /** A fixed metalayer's bytes (a copy), or null when absent. */
  public byte[] metalayer(String key) {
    MemorySegment m = metalayers.get(key);
    return m == null ? null : m.toArray(ValueLayout.JAVA_BYTE);
  }

  /** Names of the variable-length metalayers, in file order. */
  public Set<String> vlmetaNames() {
    return vlmeta.keySet();
  }

  /** A vlmeta value, decompressed (for python-blosc2 files, a msgpack document), or null when absent. */
  public byte[] vlmeta(String key) {
    MemorySegment m = vlmeta.get(key);
    if (m == null) {
      return null;
    }
    ChunkDecoder d = new ChunkDecoder(m, name + ": vlmeta '" + key + "'");
    if (d.nbytes() > MAX_VLMETA) {
      throw new Blosc2Exception(name + ": vlmeta '" + key + "' declares " + d.nbytes() + " bytes, more than the "
          + MAX_VLMETA + " this reader accepts");
    }
    byte[] out = new byte[d.nbytes()];
    d.decodeAll(MemorySegment.ofArray(out), 1);
    return out;
  }

  /** Number of chunks. */
  public int nchunks() {
    return offsets.length;
  }

  /** The raw offset of chunk {@code i}: non-negative relative to the header end, or a special code. */
  public long chunkOffset(int i) {
    checkIndex(i);
    return offsets[i];
  }

  private void checkIndex(int i) {
    if (i < 0 || i >= offsets.length) {
      throw new IndexOutOfBoundsException("chunk " + i + " out of range [0, " + offsets.length + ") in " + name);
    }
  }

  /** Expected uncompressed size of chunk {@code i} (the last may be shorter), or -1 if chunks vary. */
  public long chunkNbytes(int i) {
    int cs = header.chunksize();
    if (cs == 0) {
      return -1;
    }
    long rem = header.nbytes() - (long) i * cs;
    return Math.min(cs, rem);
  }

  /**
   * What a special offset stands for, or {@link ChunkHeader.Special#NONE} when the chunk is stored.
   */
  public ChunkHeader.Special special(int i) {
    long off = chunkOffset(i);
    if (off >= 0) {
      return ChunkHeader.Special.NONE;
    }
    int code = (int) ((off >>> 56) & 0x7F);
    return switch (code) {
      case 1 -> ChunkHeader.Special.ZEROS;
      case 2 -> ChunkHeader.Special.NAN;
      case 4 -> ChunkHeader.Special.UNINIT;
      default -> throw new Blosc2Exception(name + ": chunk " + i + " has unknown special offset 0x"
          + Long.toHexString(off) + " (corrupt offsets index)");
    };
  }

  /**
   * The stored bytes of chunk {@code i} as a view into the frame, or null for a special offset.
   * The view starts at the chunk header and ends at its declared compressed size.
   */
  public MemorySegment chunk(int i) {
    if (special(i) != ChunkHeader.Special.NONE) {
      return null;
    }
    long off = offsets[i];
    long areaEnd = header.headerLen() + header.cbytes();
    long start = header.headerLen() + off;
    if (off > header.cbytes() - 16) {
      throw new Blosc2Exception(name + ": chunk " + i + " offset " + off + " points past the chunk area ("
          + header.cbytes() + " bytes; corrupt offsets index)");
    }
    MemorySegment area = seg.asSlice(start, areaEnd - start);
    ChunkHeader h = ChunkHeader.read(area, name + ": chunk " + i + " at byte " + start);
    return area.asSlice(0, h.cbytes());
  }

  /** A decoder for chunk {@code i} with its size checked against the header; null for special offsets. */
  ChunkDecoder decoder(int i) {
    MemorySegment c = chunk(i);
    if (c == null) {
      return null;
    }
    String where = name + ": chunk " + i + " at byte " + (c.address() - seg.address());
    ChunkDecoder d = new ChunkDecoder(c, where);
    long expected = chunkNbytes(i);
    if (expected >= 0 && d.nbytes() != expected) {
      throw new Blosc2Exception(where + ": decompresses to " + d.nbytes() + " bytes but the frame's chunks are "
          + expected + " bytes (corrupt chunk header)");
    }
    return d;
  }

  /**
   * Decompresses chunk {@code i} into {@code dst} (special offsets are synthesized) using up to
   * {@code nthreads} threads; returns the bytes written.
   */
  public long decompressChunk(int i, MemorySegment dst, int nthreads) {
    ChunkDecoder d = decoder(i);
    if (d != null) {
      d.decodeAll(dst, nthreads);
      return d.nbytes();
    }
    long n = chunkNbytes(i);
    if (n < 0) {
      throw new Blosc2Exception(name + ": chunk " + i + " is special but the frame has variable chunk sizes");
    }
    fillSpecial(special(i), header.typesize(), dst.asSlice(0, n));
    return n;
  }

  static void fillSpecial(ChunkHeader.Special s, int typesize, MemorySegment dst) {
    if (s == ChunkHeader.Special.NAN) {
      if (typesize == 4) {
        for (long p = 0; p + 4 <= dst.byteSize(); p += 4) {
          dst.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), p, 0x7FC00000);
        }
      } else if (typesize == 8) {
        for (long p = 0; p + 8 <= dst.byteSize(); p += 8) {
          dst.set(LE_LONG, p, 0x7FF8000000000000L);
        }
      } else {
        throw new Blosc2Exception("NaN special chunk for typesize " + typesize + " (only 4 and 8 are defined)");
      }
    } else {
      dst.fill((byte) 0);
    }
  }

  /** Releases the file mapping, if this frame owns one. */
  @Override
  public void close() {
    if (arena != null) {
      arena.close();
    }
  }
}
