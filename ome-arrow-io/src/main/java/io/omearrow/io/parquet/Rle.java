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
  static void decodeDictionary(MemorySegment src, long pos, long end, int bitWidth, int count, MemorySegment dict, short[] dict16,
      int dictSize, int width, MemorySegment dst, long dstPos, String where) {
    checkWidth(bitWidth, where);
    Scratch scratch = SCRATCH.get();
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
        int i = 0;
        if (width == 2 && dict16 != null && bitWidth <= 16 && dict16.length >= 1 << bitWidth) {
          // 16-bit pixels: unpack from a copy of the run into a short[] with plain array loops, then one bulk copy out
          int runBytes = (int) bytes;
          if (scratch.in.length < runBytes + 8) {
            scratch.in = new byte[runBytes + 8];
          }
          if (scratch.out.length < n) {
            scratch.out = new short[Math.max(n, 1024)];
          }
          MemorySegment.copy(src, ValueLayout.JAVA_BYTE, pos, scratch.in, 0, runBytes);
          unpack16(scratch.in, bitWidth, dict16, dictSize, scratch.out, n, where);
          MemorySegment.copy(scratch.out, 0, dst, SHORT, out, n);
          i = n;
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

  /** Per-thread work arrays of the 16-bit dictionary path (a page's run is at most a few hundred kB). */
  private static final class Scratch {
    byte[] in = new byte[0];
    short[] out = new short[0];
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private static final java.lang.invoke.VarHandle LONG_ARR =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final java.lang.invoke.VarHandle SHORT_ARR =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

  /**
   * Unpacks n indices of bitWidth bits from {@code in} (8 bytes of slack after the run) and looks
   * them up. The largest index is checked once after the loop, which keeps the loop free
   * of branches; {@code dict} is padded to {@code 1 << bitWidth} entries so the lookups stay in
   * bounds until then.
   */
  private static void unpack16(byte[] in, int bitWidth, short[] dict, int dictSize, short[] out, int n, String where) {
    int max = 0;
    if (bitWidth == 16) {
      for (int i = 0; i < n; i++) {
        int idx = (short) SHORT_ARR.get(in, 2 * i) & 0xFFFF;
        max = Math.max(max, idx);
        out[i] = dict[idx];
      }
    } else {
      int mask = (1 << bitWidth) - 1;
      for (int i = 0; i < n; i++) {
        int bitPos = i * bitWidth;
        int idx = (int) ((long) LONG_ARR.get(in, bitPos >>> 3) >>> (bitPos & 7)) & mask;
        max = Math.max(max, idx);
        out[i] = dict[idx];
      }
    }
    if (max >= dictSize) {
      int mask = (1 << bitWidth) - 1;
      for (int i = 0; i < n; i++) {
        int bitPos = i * bitWidth;
        int idx = (int) ((long) LONG_ARR.get(in, bitPos >>> 3) >>> (bitPos & 7)) & mask;
        if (idx >= dictSize) {
          throw badIndex(idx, dictSize, where);
        }
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
