package io.omearrow.io.tiff;

import io.omearrow.core.FormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * An open TIFF or BigTIFF file (either byte order): the parsed chain of IFDs and a
 * {@link FileChannel} read only with positional reads, so any number of threads may read blocks at
 * once. Every offset and count in the file is checked against the file length while parsing, so
 * corrupt files fail here with a {@link FormatException} naming the file, before anything is
 * allocated from a declared size.
 *
 * <p>Memory: holds the channel and the (small, on-heap) IFD tables; {@link #close()} releases the
 * channel. Counts every byte it reads ({@link #bytesRead()}), which tests use to prove laziness.
 */
public final class TiffFile implements AutoCloseable {
  /** Largest decoded block the reader accepts (it must fit one scratch buffer). */
  static final long MAX_BLOCK_BYTES = Integer.MAX_VALUE - 64;
  private static final int MAX_IFDS = 1_000_000;

  private final Path path;
  private final FileChannel channel;
  private final long size;
  private final ByteOrder order;
  private final boolean bigTiff;
  private final List<Ifd> ifds;
  private final LongAdder bytesRead = new LongAdder();

  private TiffFile(Path path, FileChannel channel) {
    this.path = path;
    this.channel = channel;
    try {
      this.size = channel.size();
      if (size < 8) {
        throw fail("file is " + size + " bytes long, too short for a TIFF header");
      }
      ByteBuffer head = read(0, (int) Math.min(16, size));
      int b0 = head.get(0);
      int b1 = head.get(1);
      if (b0 == 'I' && b1 == 'I') {
        order = ByteOrder.LITTLE_ENDIAN;
      } else if (b0 == 'M' && b1 == 'M') {
        order = ByteOrder.BIG_ENDIAN;
      } else {
        throw fail("not a TIFF file (the first bytes are not 'II' or 'MM')");
      }
      head.order(order);
      int magic = head.getShort(2) & 0xFFFF;
      long first;
      if (magic == 42) {
        bigTiff = false;
        first = head.getInt(4) & 0xFFFFFFFFL;
      } else if (magic == 43) {
        bigTiff = true;
        if (size < 16) {
          throw fail("file is " + size + " bytes long, too short for a BigTIFF header");
        }
        if (head.getShort(4) != 8) {
          throw fail("BigTIFF offset size is " + head.getShort(4) + ", expected 8");
        }
        first = head.getLong(8);
      } else {
        throw fail("bad TIFF magic number " + magic + " (expected 42 for TIFF or 43 for BigTIFF)");
      }
      this.ifds = List.copyOf(parseChain(first));
    } catch (IOException e) {
      throw fail("read failed: " + e.getMessage());
    }
  }

  /**
   * Opens and parses a TIFF file.
   *
   * @throws FormatException when it is missing, unreadable, not a TIFF or corrupt
   */
  public static TiffFile open(Path path) {
    FileChannel ch;
    try {
      ch = FileChannel.open(path, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new FormatException("cannot read TIFF '" + path + "': file not found");
    } catch (IOException e) {
      throw new FormatException("cannot read TIFF '" + path + "': " + e.getMessage(), e);
    }
    try {
      return new TiffFile(path, ch);
    } catch (RuntimeException e) {
      closeQuietly(ch);
      throw e;
    }
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException ignored) {
      // the original error is the one to report
    }
  }

  public Path path() {
    return path;
  }

  public long size() {
    return size;
  }

  public ByteOrder order() {
    return order;
  }

  public boolean isBigTiff() {
    return bigTiff;
  }

  /** The IFDs in chain order. */
  public List<Ifd> ifds() {
    return ifds;
  }

  /** Bytes read from the file since it was opened (header and IFDs included). */
  public long bytesRead() {
    return bytesRead.sum();
  }

  /** A FormatException naming this file. */
  FormatException fail(String problem) {
    return new FormatException("cannot read TIFF '" + path + "': " + problem);
  }

  /** Reads exactly {@code dst.remaining()} bytes at {@code pos} (positional: thread-safe). */
  void readFully(long pos, ByteBuffer dst) {
    int want = dst.remaining();
    if (pos < 0 || pos + want > size) {
      throw fail("read of " + want + " bytes at offset " + pos + " runs past the end of the file (" + size + " bytes)");
    }
    try {
      long p = pos;
      while (dst.hasRemaining()) {
        int n = channel.read(dst, p);
        if (n < 0) {
          throw fail("file is truncated at offset " + p);
        }
        p += n;
      }
    } catch (IOException e) {
      throw fail("read failed at offset " + pos + ": " + e.getMessage());
    }
    bytesRead.add(want);
  }

  private ByteBuffer read(long pos, int len) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(len).order(order);
    readFully(pos, b);
    return b.flip();
  }

  private List<Ifd> parseChain(long first) throws IOException {
    List<Ifd> out = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    long off = first;
    while (off != 0) {
      if (!seen.add(off)) {
        throw fail("IFD chain loops back to offset " + off + " after " + out.size() + " IFDs");
      }
      if (out.size() >= MAX_IFDS) {
        throw fail("more than " + MAX_IFDS + " IFDs");
      }
      off = parseIfd(off, out);
    }
    if (out.isEmpty()) {
      throw fail("the file holds no image (first IFD offset is 0)");
    }
    return out;
  }

  /** Parses the IFD at {@code off}, appends it, returns the next offset. */
  private long parseIfd(long off, List<Ifd> out) throws IOException {
    int index = out.size();
    int countSize = bigTiff ? 8 : 2;
    int entrySize = bigTiff ? 20 : 12;
    if (off < 0 || off + countSize > size) {
      throw fail("IFD " + index + " offset " + off + " is past the end of the file (" + size + " bytes)");
    }
    ByteBuffer cb = read(off, countSize);
    long n = bigTiff ? cb.getLong(0) : cb.getShort(0) & 0xFFFF;
    long tableBytes = n * entrySize + (bigTiff ? 8 : 4);
    if (n < 0 || n > (size - off - countSize) / entrySize || off + countSize + tableBytes > size) {
      throw fail("IFD " + index + " at offset " + off + " declares " + n + " entries, more than the file holds");
    }
    ByteBuffer t = read(off + countSize, (int) tableBytes);
    Fields f = new Fields();
    for (int i = 0; i < n; i++) {
      int e = i * entrySize;
      int tag = t.getShort(e) & 0xFFFF;
      int type = t.getShort(e + 2) & 0xFFFF;
      long count = bigTiff ? t.getLong(e + 4) : t.getInt(e + 4) & 0xFFFFFFFFL;
      f.put(index, tag, type, count, t, e + (bigTiff ? 12 : 8));
    }
    long next = bigTiff ? t.getLong((int) (n * entrySize)) : t.getInt((int) (n * entrySize)) & 0xFFFFFFFFL;
    out.add(f.toIfd(index));
    return next;
  }

  /** The tags of one IFD that the reader uses, collected while walking its entries. */
  private final class Fields {
    long width = -1;
    long height = -1;
    long[] bits = {1};
    long spp = 1;
    long sampleFormat = 1;
    long compression = 1;
    long predictor = 1;
    long planar = 1;
    long rowsPerStrip = 0xFFFFFFFFL;
    long tileWidth = -1;
    long tileLength = -1;
    long[] stripOffsets;
    long[] stripCounts;
    long[] tileOffsets;
    long[] tileCounts;
    String description;

    void put(int ifd, int tag, int type, long count, ByteBuffer entries, int valuePos) throws IOException {
      switch (tag) {
        case 256 -> width = first(ifd, tag, type, count, entries, valuePos);
        case 257 -> height = first(ifd, tag, type, count, entries, valuePos);
        case 258 -> bits = ints(ifd, tag, type, count, entries, valuePos);
        case 259 -> compression = first(ifd, tag, type, count, entries, valuePos);
        case 270 -> description = ascii(ifd, tag, type, count, entries, valuePos);
        case 273 -> stripOffsets = ints(ifd, tag, type, count, entries, valuePos);
        case 277 -> spp = first(ifd, tag, type, count, entries, valuePos);
        case 278 -> rowsPerStrip = first(ifd, tag, type, count, entries, valuePos);
        case 279 -> stripCounts = ints(ifd, tag, type, count, entries, valuePos);
        case 284 -> planar = first(ifd, tag, type, count, entries, valuePos);
        case 317 -> predictor = first(ifd, tag, type, count, entries, valuePos);
        case 322 -> tileWidth = first(ifd, tag, type, count, entries, valuePos);
        case 323 -> tileLength = first(ifd, tag, type, count, entries, valuePos);
        case 324 -> tileOffsets = ints(ifd, tag, type, count, entries, valuePos);
        case 325 -> tileCounts = ints(ifd, tag, type, count, entries, valuePos);
        case 339 -> sampleFormat = first(ifd, tag, type, count, entries, valuePos);
        default -> { }
      }
    }

    Ifd toIfd(int index) {
      String where = "IFD " + index;
      if (width <= 0 || height <= 0) {
        throw fail(where + " has image size " + width + " x " + height + " (ImageWidth/ImageLength missing or 0)");
      }
      if (width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
        throw fail(where + " has absurd image size " + width + " x " + height);
      }
      if (spp < 1 || spp > 65535) {
        throw fail(where + " has SamplesPerPixel " + spp);
      }
      for (long b : bits) {
        if (b != bits[0]) {
          throw fail(where + " has samples of different BitsPerSample " + java.util.Arrays.toString(bits) + "; not supported");
        }
      }
      int bps = (int) Math.min(bits[0], 1 << 20);
      if (Ifd.pixelType((int) Math.min(sampleFormat, 99), bps) == null) {
        throw fail(where + " has " + bits[0] + "-bit samples of SampleFormat " + sampleFormat
            + "; supported: 8/16/32/64-bit unsigned or signed integers, 32/64-bit floats");
      }
      if (!TiffCodec.isSupported(compression)) {
        throw fail(where + " uses compression " + compression + " (" + TiffCodec.name(compression) + "), which this reader does not support; "
            + "supported: " + TiffCodec.supportedList());
      }
      if (predictor != 1 && predictor != 2 && predictor != 3) {
        throw fail(where + " uses predictor " + predictor + "; supported: 1 (none), 2 (horizontal), 3 (floating point)");
      }
      if (predictor == 3 && sampleFormat != 3) {
        throw fail(where + " uses the floating-point predictor on integer samples");
      }
      if (planar != 1 && planar != 2) {
        throw fail(where + " has PlanarConfiguration " + planar + " (expected 1 or 2)");
      }
      boolean tiled = tileOffsets != null || tileWidth >= 0 || tileLength >= 0;
      long bw;
      long bh;
      long[] offs;
      long[] counts;
      if (tiled) {
        if (tileWidth <= 0 || tileLength <= 0) {
          throw fail(where + " has tile size " + tileWidth + " x " + tileLength + " (must be positive)");
        }
        bw = tileWidth;
        bh = tileLength;
        offs = tileOffsets;
        counts = tileCounts;
      } else {
        if (rowsPerStrip <= 0) {
          throw fail(where + " has RowsPerStrip 0");
        }
        bw = width;
        bh = Math.min(rowsPerStrip, height);
        offs = stripOffsets;
        counts = stripCounts;
      }
      String kind = tiled ? "tile" : "strip";
      if (bw > Integer.MAX_VALUE || bh > Integer.MAX_VALUE) {
        throw fail(where + " has absurd " + kind + " size " + bw + " x " + bh);
      }
      long sib = planar == 2 ? 1 : spp;
      long blockBytes = bw * bh;
      if (blockBytes > MAX_BLOCK_BYTES / sib / (bps / 8)) {
        throw fail(where + " has " + kind + "s of " + bw + " x " + bh + " x " + sib + " samples, too large to decode");
      }
      if (offs == null) {
        throw fail(where + " has no " + (tiled ? "TileOffsets" : "StripOffsets"));
      }
      long across = (width + bw - 1) / bw;
      long down = (height + bh - 1) / bh;
      long expected = across * down * (planar == 2 ? spp : 1);
      if (offs.length < expected) {
        throw fail(where + " has " + offs.length + " " + kind + " offsets for " + width + " x " + height
            + " pixels in " + kind + "s of " + bw + " x " + bh + "; expected " + expected);
      }
      if (counts == null) {
        if (compression != 1) {
          throw fail(where + " has no " + (tiled ? "TileByteCounts" : "StripByteCounts"));
        }
        counts = new long[offs.length];
        java.util.Arrays.fill(counts, bw * bh * sib * (bps / 8));
      }
      if (counts.length < expected) {
        throw fail(where + " has " + counts.length + " " + kind + " byte counts; expected " + expected);
      }
      for (int i = 0; i < expected; i++) {
        if (counts[i] < 0 || offs[i] < 0 || (counts[i] > 0 && offs[i] + counts[i] > size)) {
          throw fail(kind + " " + i + " of IFD " + index + " (offset " + offs[i] + ", " + counts[i]
              + " bytes) runs past the end of the file (" + size + " bytes)");
        }
      }
      return new Ifd(index, (int) width, (int) height, (int) spp, bps, (int) sampleFormat, (int) compression, (int) predictor,
          (int) planar, (int) bw, (int) bh, tiled, offs, counts, description);
    }
  }

  private static int typeSize(int type) {
    return switch (type) {
      case 1, 2, 6, 7 -> 1;
      case 3, 8 -> 2;
      case 4, 9, 11, 13 -> 4;
      case 5, 10, 12, 16, 17, 18 -> 8;
      default -> 0;
    };
  }

  /** The raw bytes of an entry's value: inline in the entry, or at the offset it holds. */
  private ByteBuffer valueBytes(int ifd, int tag, int type, long count, ByteBuffer entries, int valuePos) throws IOException {
    int ts = typeSize(type);
    if (ts == 0) {
      throw fail("tag " + tag + " of IFD " + ifd + " has unknown field type " + type);
    }
    if (count < 0 || count > size / ts + 1) {
      throw fail("tag " + tag + " of IFD " + ifd + " declares " + count + " values, more than the file holds");
    }
    long total = count * ts;
    int inline = bigTiff ? 8 : 4;
    if (total <= inline) {
      ByteBuffer b = ByteBuffer.allocate(inline).order(order);
      b.put(0, entries, valuePos, inline);
      return b;
    }
    long off = bigTiff ? entries.getLong(valuePos) : entries.getInt(valuePos) & 0xFFFFFFFFL;
    if (off < 0 || off + total > size) {
      throw fail("tag " + tag + " of IFD " + ifd + " points to offset " + off + " (" + total
          + " bytes), past the end of the file (" + size + " bytes)");
    }
    return read(off, (int) total);
  }

  private long[] ints(int ifd, int tag, int type, long count, ByteBuffer entries, int valuePos) throws IOException {
    ByteBuffer b = valueBytes(ifd, tag, type, count, entries, valuePos);
    long[] v = new long[(int) count];
    for (int i = 0; i < count; i++) {
      v[i] = switch (type) {
        case 1, 7 -> b.get(i) & 0xFF;
        case 6 -> b.get(i);
        case 3 -> b.getShort(i * 2) & 0xFFFF;
        case 8 -> b.getShort(i * 2);
        case 4, 13 -> b.getInt(i * 4) & 0xFFFFFFFFL;
        case 9 -> b.getInt(i * 4);
        case 16, 17, 18 -> b.getLong(i * 8);
        default -> throw fail("tag " + tag + " of IFD " + ifd + " has non-integer field type " + type);
      };
    }
    return v;
  }

  private long first(int ifd, int tag, int type, long count, ByteBuffer entries, int valuePos) throws IOException {
    if (count < 1) {
      throw fail("tag " + tag + " of IFD " + ifd + " has no value");
    }
    return ints(ifd, tag, type, count, entries, valuePos)[0];
  }

  private String ascii(int ifd, int tag, int type, long count, ByteBuffer entries, int valuePos) throws IOException {
    if (type != 2 && type != 1 && type != 7) {
      throw fail("tag " + tag + " of IFD " + ifd + " has field type " + type + ", expected ASCII");
    }
    ByteBuffer b = valueBytes(ifd, tag, type, count, entries, valuePos);
    byte[] a = new byte[(int) count];
    b.get(0, a);
    int len = a.length;
    while (len > 0 && a[len - 1] == 0) {
      len--;
    }
    return new String(a, 0, len, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    closeQuietly(channel);
  }
}
