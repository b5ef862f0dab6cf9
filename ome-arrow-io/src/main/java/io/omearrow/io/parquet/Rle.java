package io.omearrow.io.parquet;

import io.omearrow.core.FormatException;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The Parquet RLE / bit-packed hybrid encoding, decoded in bulk: RLE runs become fills (or a
 * single sparse entry in {@link Levels}), bit-packed runs go through {@link BitUnpack}. Used for
 * repetition and definition levels, dictionary indices (into ints for binary dictionaries) and
 * dictionary-encoded values (looked up straight into the Arrow buffer); also the writer's
 * encoders.
 */
final class Rle {
  private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private Rle() {}

  /** Bits needed for values 0..max. */
  static int bitWidth(int max) {
    return 32 - Integer.numberOfLeadingZeros(max);
  }

  /** Reads a ULEB128 run header at {@code pos}: returns the header; {@code next[0]} gets the position after it. */
  private static long runHeader(MemorySegment src, long pos, long end, long[] next, String where) {
    long header = 0;
    int shift = 0;
    while (true) {
      if (pos >= end || shift > 35) {
        throw new FormatException(where + ": corrupt RLE run header");
      }
      int b = src.get(ValueLayout.JAVA_BYTE, pos++) & 0xFF;
      header |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        next[0] = pos;
        return header;
      }
      shift += 7;
    }
  }

  private static int runValue(MemorySegment src, long pos, int valueBytes) {
    int v = 0;
    for (int i = 0; i < valueBytes; i++) {
      v |= (src.get(ValueLayout.JAVA_BYTE, pos + i) & 0xFF) << (8 * i);
    }
    return v;
  }

  /** Bit-packed levels are unpacked through a small array of this many entries. */
  private static final int LEVEL_BLOCK = 4096;

  /**
   * Decodes {@code count} levels from {@code src[pos..end)} and appends them to {@code out}: RLE
   * runs as runs (nothing per entry while they hold the common level), bit-packed groups a block at
   * a time.
   *
   * @return how many of the decoded levels equal {@code out}'s common level
   */
  static int decodeLevels(MemorySegment src, long pos, long end, int bitWidth, Levels out, int count, String where) {
    int done = 0;
    int same = 0;
    int valueBytes = (bitWidth + 7) >>> 3;
    long[] next = new long[1];
    byte[] block = null;
    while (done < count) {
      if (pos >= end) {
        throw new FormatException(where + ": level data ends after " + done + " of " + count + " values");
      }
      long header = runHeader(src, pos, end, next, where);
      pos = next[0];
      if ((header & 1) == 0) {
        long run = header >>> 1;
        if (pos + valueBytes > end) {
          throw new FormatException(where + ": truncated RLE run");
        }
        int v = runValue(src, pos, valueBytes);
        pos += valueBytes;
        if (v > 127 || (bitWidth < 8 && v >= 1 << bitWidth)) {
          throw new FormatException(where + ": level " + v + " out of range");
        }
        int n = (int) Math.min(run, count - done);
        same += out.appendRun(v, n);
        done += n;
      } else {
        long groups = header >>> 1;
        long bytes = groups * bitWidth;
        if (pos + bytes > end) {
          throw new FormatException(where + ": truncated bit-packed run");
        }
        if (bitWidth > 8) {
          throw new FormatException(where + ": level bit width " + bitWidth + " out of range");
        }
        int n = (int) Math.min(groups * 8, count - done);
        if (block == null) {
          block = new byte[Math.min(LEVEL_BLOCK, (n + 7) & ~7)];
        }
        for (int b = 0; b < n; b += block.length) {
          int m = Math.min(block.length, n - b);
          // the block length is a multiple of 8, so each block starts on a byte
          BitUnpack.bytes(src, pos + (long) (b >>> 3) * bitWidth, end, bitWidth, block, 0, m);
          same += out.append(block, 0, m);
        }
        done += n;
        pos += bytes;
      }
    }
    return same;
  }

  /** Decodes {@code count} dictionary indices (bit width up to 32) into {@code out}. */
  static void decodeInts(MemorySegment src, long pos, long end, int bitWidth, int[] out, int count, String where) {
    checkWidth(bitWidth, where);
    int done = 0;
    int valueBytes = (bitWidth + 7) >>> 3;
    long[] next = new long[1];
    while (done < count) {
      if (pos >= end) {
        throw new FormatException(where + ": dictionary indices end after " + done + " of " + count + " values");
      }
      long header = runHeader(src, pos, end, next, where);
      pos = next[0];
      if ((header & 1) == 0) {
        if (pos + valueBytes > end) {
          throw new FormatException(where + ": truncated RLE run");
        }
        int v = runValue(src, pos, valueBytes);
        pos += valueBytes;
        int n = (int) Math.min(header >>> 1, count - done);
        java.util.Arrays.fill(out, done, done + n, v);
        done += n;
      } else {
        long groups = header >>> 1;
        long bytes = groups * bitWidth;
        if (pos + bytes > end) {
          throw new FormatException(where + ": truncated bit-packed run");
        }
        int n = (int) Math.min(groups * 8, count - done);
        BitUnpack.ints(src, pos, end, bitWidth, out, done, n);
        done += n;
        pos += bytes;
      }
    }
  }

  private static void checkWidth(int bitWidth, String where) {
    if (bitWidth < 0 || bitWidth > 32) {
      throw new FormatException(where + ": dictionary index bit width " + bitWidth + " out of range");
    }
  }

  /** Indices per block of the general dictionary path (unpacked into a small int array, then looked up). */
  private static final int BLOCK = 1024;

  /**
   * Decodes {@code count} dictionary indices and writes the dictionary values they select
   * ({@code width} bytes each, from {@code dict}) straight to {@code dst} at {@code dstPos}: RLE
   * runs become fills; bit-packed runs of 16-bit values are unpacked and looked up in one pass
   * ({@link BitUnpack#gather16}), other widths a block at a time. Every index is checked against
   * {@code dictSize}; {@code dict16}, when given, is the dictionary as shorts padded to 65536
   * entries.
   */
  static void decodeDictionary(MemorySegment src, long pos, long end, int bitWidth, int count, MemorySegment dict, short[] dict16,
      int dictSize, int width, MemorySegment dst, long dstPos, String where) {
    checkWidth(bitWidth, where);
    int done = 0;
    int valueBytes = (bitWidth + 7) >>> 3;
    long[] next = new long[1];
    int[] block = null;
    while (done < count) {
      if (pos >= end) {
        throw new FormatException(where + ": dictionary indices end after " + done + " of " + count + " values");
      }
      long header = runHeader(src, pos, end, next, where);
      pos = next[0];
      if ((header & 1) == 0) {
        if (pos + valueBytes > end) {
          throw new FormatException(where + ": truncated RLE run");
        }
        long v = runValue(src, pos, valueBytes) & 0xFFFFFFFFL;
        pos += valueBytes;
        if (v >= dictSize) {
          throw badIndex(v, dictSize, where);
        }
        int n = (int) Math.min(header >>> 1, count - done);
        fill(dst, dstPos + (long) done * width, dict, v * width, width, n);
        done += n;
      } else {
        long groups = header >>> 1;
        long bytes = groups * bitWidth;
        if (pos + bytes > end) {
          throw new FormatException(where + ": truncated bit-packed run");
        }
        int n = (int) Math.min(groups * 8, count - done);
        long out = dstPos + (long) done * width;
        // loads may run past the run and the page (never past the memory): those bits are masked away
        long limit = src.byteSize();
        if (width == 2 && dict16 != null && bitWidth >= 1 && bitWidth <= 16) {
          if (BitUnpack.gather16(src, pos, limit, bitWidth, dict16, dst, out, n) >= dictSize) {
            throw firstBadIndex(src, pos, limit, bitWidth, n, dictSize, where);
          }
        } else {
          if (block == null) {
            block = new int[BLOCK];
          }
          for (int b = 0; b < n; b += BLOCK) {
            int m = Math.min(BLOCK, n - b);
            // b is a multiple of 8, so the block starts on a byte
            BitUnpack.ints(src, pos + (long) (b >>> 3) * bitWidth, limit, bitWidth, block, 0, m);
            gather(block, m, dict, dictSize, width, dst, out + (long) b * width, where);
          }
        }
        done += n;
        pos += bytes;
      }
    }
  }

  /** Looks up {@code n} indices (checked) and writes their values to {@code dst} at {@code at}. */
  private static void gather(int[] idx, int n, MemorySegment dict, int dictSize, int width, MemorySegment dst, long at, String where) {
    for (int i = 0; i < n; i++) {
      if (Integer.compareUnsigned(idx[i], dictSize) >= 0) {
        throw badIndex(idx[i] & 0xFFFFFFFFL, dictSize, where);
      }
    }
    switch (width) {
      case 1 -> {
        for (int i = 0; i < n; i++) {
          dst.set(ValueLayout.JAVA_BYTE, at + i, dict.get(ValueLayout.JAVA_BYTE, idx[i]));
        }
      }
      case 4 -> {
        for (int i = 0; i < n; i++) {
          dst.set(ValueLayout.JAVA_INT_UNALIGNED, at + 4L * i, dict.get(ValueLayout.JAVA_INT_UNALIGNED, 4L * idx[i]));
        }
      }
      case 8 -> {
        for (int i = 0; i < n; i++) {
          dst.set(LONG_LE, at + 8L * i, dict.get(LONG_LE, 8L * idx[i]));
        }
      }
      default -> {
        for (int i = 0; i < n; i++) {
          MemorySegment.copy(dict, (long) idx[i] * width, dst, at + (long) i * width, width);
        }
      }
    }
  }

  /** The error for the first index of a bit-packed run that is not below {@code dictSize}. */
  private static FormatException firstBadIndex(MemorySegment src, long pos, long limit, int bitWidth, int n, int dictSize, String where) {
    for (int i = 0; i < n; i++) {
      int idx = BitUnpack.value(src, pos, i, bitWidth, limit);
      if (idx >= dictSize) {
        return badIndex(idx, dictSize, where);
      }
    }
    throw new IllegalStateException("no index of the run is out of range");
  }

  private static FormatException badIndex(long idx, int size, String where) {
    return new FormatException(where + ": dictionary index " + idx + " out of range [0, " + size + ")");
  }

  private static void fill(MemorySegment dst, long at, MemorySegment dict, long from, int width, int n) {
    switch (width) {
      case 1 -> dst.asSlice(at, n).fill(dict.get(ValueLayout.JAVA_BYTE, from));
      case 2 -> {
        short v = dict.get(SHORT, from);
        for (int i = 0; i < n; i++) {
          dst.set(SHORT, at + 2L * i, v);
        }
      }
      case 4 -> {
        int v = dict.get(ValueLayout.JAVA_INT_UNALIGNED, from);
        for (int i = 0; i < n; i++) {
          dst.set(ValueLayout.JAVA_INT_UNALIGNED, at + 4L * i, v);
        }
      }
      case 8 -> {
        long v = dict.get(LONG_LE, from);
        for (int i = 0; i < n; i++) {
          dst.set(LONG_LE, at + 8L * i, v);
        }
      }
      default -> {
        for (int i = 0; i < n; i++) {
          MemorySegment.copy(dict, from, dst, at + (long) i * width, width);
        }
      }
    }
  }

  /** Encodes levels as RLE runs only (a valid hybrid stream; levels are long runs in practice). */
  static void encodeLevels(byte[] levels, int from, int to, int bitWidth, ByteArrayOutputStream out) {
    int valueBytes = (bitWidth + 7) >>> 3;
    int i = from;
    while (i < to) {
      byte v = levels[i];
      int j = i + 1;
      while (j < to && levels[j] == v) {
        j++;
      }
      writeVarint(out, (long) (j - i) << 1);
      for (int k = 0; k < valueBytes; k++) {
        out.write(k == 0 ? v : 0);
      }
      i = j;
    }
  }

  /** Encodes dictionary indices as bit-packed groups of eight (padded with zeros). */
  static void encodeIndices(int[] idx, int from, int to, int bitWidth, ByteArrayOutputStream out) {
    int count = to - from;
    int groups = (count + 7) / 8;
    writeVarint(out, ((long) groups << 1) | 1);
    long acc = 0;
    int bits = 0;
    for (int i = 0; i < groups * 8; i++) {
      long v = i < count ? idx[from + i] & 0xFFFFFFFFL : 0;
      acc |= v << bits;
      bits += bitWidth;
      while (bits >= 8) {
        out.write((int) (acc & 0xFF));
        acc >>>= 8;
        bits -= 8;
      }
    }
    if (bits > 0) {
      out.write((int) (acc & 0xFF));
    }
  }

  static void writeVarint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }
}
