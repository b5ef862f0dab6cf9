package io.omearrow.io.parquet;

import io.omearrow.core.FormatException;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The Parquet RLE / bit-packed hybrid encoding, decoded in bulk: RLE runs become array fills and
 * bit-packed groups are unpacked eight values at a time. Used for repetition and definition
 * levels (into bytes) and dictionary indices (into ints).
 */
final class Rle {
  private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private Rle() {}

  /** Bits needed for values 0..max. */
  static int bitWidth(int max) {
    return 32 - Integer.numberOfLeadingZeros(max);
  }

  /**
   * Decodes {@code count} levels from {@code src[pos..end)} into {@code out[outPos..]}.
   *
   * @return the position after the consumed bytes
   */
  static int decodeLevels(MemorySegment src, long pos, long end, int bitWidth, byte[] out, int outPos, int count, String where) {
    return (int) decodeLevels(src, pos, end, bitWidth, out, outPos, count, -1, where);
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

  /**
   * As above, also counting the decoded levels equal to {@code target}: returns
   * {@code (count << 32) | endPosition}.
   */
  static long decodeLevels(MemorySegment src, long pos, long end, int bitWidth, byte[] out, int outPos, int count, int target,
      String where) {
    int done = 0;
    long matches = 0;
    int valueBytes = (bitWidth + 7) >>> 3;
    long[] next = new long[1];
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
        java.util.Arrays.fill(out, outPos + done, outPos + done + n, (byte) v);
        if (v == target) {
          matches += n;
        }
        done += n;
      } else {
        long groups = header >>> 1;
        long bytes = groups * bitWidth;
        if (pos + bytes > end) {
          throw new FormatException(where + ": truncated bit-packed run");
        }
        int n = (int) Math.min(groups * 8, count - done);
        int mask = (1 << bitWidth) - 1;
        long bitPos = pos * 8;
        for (int i = 0; i < n; i++) {
          long byteIdx = bitPos >>> 3;
          int bit = (int) (bitPos & 7);
          int word = (src.get(ValueLayout.JAVA_BYTE, byteIdx) & 0xFF)
              | (byteIdx + 1 < end ? (src.get(ValueLayout.JAVA_BYTE, byteIdx + 1) & 0xFF) << 8 : 0);
          int lv = (word >>> bit) & mask;
          out[outPos + done + i] = (byte) lv;
          matches += lv == target ? 1 : 0;
          bitPos += bitWidth;
        }
        done += n;
        pos += bytes;
      }
    }
    return matches << 32 | pos;
  }

  /** Decodes {@code count} dictionary indices (bit width up to 32) into {@code out}. */
  static void decodeInts(MemorySegment src, long pos, long end, int bitWidth, int[] out, int count, String where) {
    checkWidth(bitWidth, where);
    int done = 0;
    int valueBytes = (bitWidth + 7) >>> 3;
    long[] next = new long[1];
    long mask = bitWidth == 32 ? 0xFFFFFFFFL : (1L << bitWidth) - 1;
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
        long bitPos = pos * 8;
        for (int i = 0; i < n; i++) {
          out[done + i] = (int) unpackOne(src, bitPos, end, mask);
          bitPos += bitWidth;
        }
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

  /** One bit-packed value at {@code bitPos}: one unaligned 8-byte load unless within 8 bytes of {@code end}. */
  private static long unpackOne(MemorySegment src, long bitPos, long end, long mask) {
    long byteIdx = bitPos >>> 3;
    int bit = (int) (bitPos & 7);
    if (byteIdx + 8 <= end) {
      return (src.get(LONG_LE, byteIdx) >>> bit) & mask;
    }
    long word = 0;
    for (int k = 0; byteIdx + k < end && k < 8; k++) {
      word |= (long) (src.get(ValueLayout.JAVA_BYTE, byteIdx + k) & 0xFF) << (8 * k);
    }
    return (word >>> bit) & mask;
  }

  /**
   * Decodes {@code count} dictionary indices and writes the dictionary values they select
   * ({@code width} bytes each, from {@code dict}) straight to {@code dst} at {@code dstPos}: RLE
   * runs become fills, bit-packed runs are unpacked with one 8-byte load per index. Every index is
   * checked against {@code dictSize}.
   */
  static void decodeDictionary(MemorySegment src, long pos, long end, int bitWidth, int count, MemorySegment dict, int dictSize,
      int width, MemorySegment dst, long dstPos, String where) {
    checkWidth(bitWidth, where);
    int done = 0;
    int valueBytes = (bitWidth + 7) >>> 3;
    long[] next = new long[1];
    long mask = bitWidth == 32 ? 0xFFFFFFFFL : (1L << bitWidth) - 1;
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
          throw new FormatException(where + ": dictionary index " + v + " out of range [0, " + dictSize + ")");
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
        long bitPos = pos * 8;
        long out = dstPos + (long) done * width;
        // the fast loop needs 8 readable bytes after the last index it loads
        long safe = end - 8 - pos < 0 ? 0 : Math.min(n, ((end - 8 - pos) * 8) / bitWidth + 1);
        int i = 0;
        switch (width) {
          case 2 -> {
            for (; i < safe; i++) {
              long idx = (src.get(LONG_LE, bitPos >>> 3) >>> (bitPos & 7)) & mask;
              if (idx >= dictSize) {
                throw badIndex(idx, dictSize, where);
              }
              dst.set(SHORT, out + 2L * i, dict.get(SHORT, 2 * idx));
              bitPos += bitWidth;
            }
          }
          case 1 -> {
            for (; i < safe; i++) {
              long idx = (src.get(LONG_LE, bitPos >>> 3) >>> (bitPos & 7)) & mask;
              if (idx >= dictSize) {
                throw badIndex(idx, dictSize, where);
              }
              dst.set(ValueLayout.JAVA_BYTE, out + i, dict.get(ValueLayout.JAVA_BYTE, idx));
              bitPos += bitWidth;
            }
          }
          default -> { }
        }
        for (; i < n; i++) {
          long idx = unpackOne(src, bitPos, end, mask);
          if (idx >= dictSize) {
            throw badIndex(idx, dictSize, where);
          }
          MemorySegment.copy(dict, idx * width, dst, out + (long) i * width, width);
          bitPos += bitWidth;
        }
        done += n;
        pos += bytes;
      }
    }
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
