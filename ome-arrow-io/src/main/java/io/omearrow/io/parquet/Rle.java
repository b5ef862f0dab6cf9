package io.omearrow.io.parquet;

import io.omearrow.core.FormatException;
import java.io.ByteArrayOutputStream;

/**
 * The Parquet RLE / bit-packed hybrid encoding, decoded in bulk: RLE runs become array fills and
 * bit-packed groups are unpacked eight values at a time. Used for repetition and definition
 * levels (into bytes) and dictionary indices (into ints).
 */
final class Rle {
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
  static int decodeLevels(byte[] src, int pos, int end, int bitWidth, byte[] out, int outPos, int count, String where) {
    int done = 0;
    int valueBytes = (bitWidth + 7) >>> 3;
    while (done < count) {
      if (pos >= end) {
        throw new FormatException(where + ": level data ends after " + done + " of " + count + " values");
      }
      long header = 0;
      int shift = 0;
      while (true) {
        if (pos >= end || shift > 35) {
          throw new FormatException(where + ": corrupt RLE run header");
        }
        int b = src[pos++] & 0xFF;
        header |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          break;
        }
        shift += 7;
      }
      if ((header & 1) == 0) {
        long run = header >>> 1;
        if (pos + valueBytes > end) {
          throw new FormatException(where + ": truncated RLE run");
        }
        int v = 0;
        for (int i = 0; i < valueBytes; i++) {
          v |= (src[pos++] & 0xFF) << (8 * i);
        }
        if (v > 127 || (bitWidth < 8 && v >= 1 << bitWidth)) {
          throw new FormatException(where + ": level " + v + " out of range");
        }
        int n = (int) Math.min(run, count - done);
        java.util.Arrays.fill(out, outPos + done, outPos + done + n, (byte) v);
        done += n;
      } else {
        long groups = header >>> 1;
        long bytes = groups * bitWidth;
        if (pos + bytes > end) {
          throw new FormatException(where + ": truncated bit-packed run");
        }
        long values = groups * 8;
        int n = (int) Math.min(values, count - done);
        int mask = (1 << bitWidth) - 1;
        long bitPos = (long) pos * 8;
        for (int i = 0; i < n; i++) {
          int byteIdx = (int) (bitPos >>> 3);
          int bit = (int) (bitPos & 7);
          int word = (src[byteIdx] & 0xFF) | (byteIdx + 1 < end ? (src[byteIdx + 1] & 0xFF) << 8 : 0);
          out[outPos + done + i] = (byte) ((word >>> bit) & mask);
          bitPos += bitWidth;
        }
        done += n;
        pos += (int) bytes;
      }
    }
    return pos;
  }

  /** Decodes {@code count} dictionary indices (bit width up to 32) into {@code out}. */
  static void decodeInts(byte[] src, int pos, int end, int bitWidth, int[] out, int count, String where) {
    if (bitWidth < 0 || bitWidth > 32) {
      throw new FormatException(where + ": dictionary index bit width " + bitWidth + " out of range");
    }
    int done = 0;
    int valueBytes = (bitWidth + 7) >>> 3;
    while (done < count) {
      if (pos >= end) {
        throw new FormatException(where + ": dictionary indices end after " + done + " of " + count + " values");
      }
      long header = 0;
      int shift = 0;
      while (true) {
        if (pos >= end || shift > 35) {
          throw new FormatException(where + ": corrupt RLE run header");
        }
        int b = src[pos++] & 0xFF;
        header |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          break;
        }
        shift += 7;
      }
      if ((header & 1) == 0) {
        long run = header >>> 1;
        if (pos + valueBytes > end) {
          throw new FormatException(where + ": truncated RLE run");
        }
        int v = 0;
        for (int i = 0; i < valueBytes; i++) {
          v |= (src[pos++] & 0xFF) << (8 * i);
        }
        int n = (int) Math.min(run, count - done);
        java.util.Arrays.fill(out, done, done + n, v);
        done += n;
      } else {
        long groups = header >>> 1;
        long bytes = groups * bitWidth;
        if (pos + bytes > end) {
          throw new FormatException(where + ": truncated bit-packed run");
        }
        int n = (int) Math.min(groups * 8, count - done);
        unpack(src, pos, end, bitWidth, out, done, n);
        done += n;
        pos += (int) bytes;
      }
    }
  }

  private static void unpack(byte[] src, int pos, int end, int bw, int[] out, int outPos, int n) {
    if (bw == 0) {
      java.util.Arrays.fill(out, outPos, outPos + n, 0);
      return;
    }
    long mask = bw == 32 ? 0xFFFFFFFFL : (1L << bw) - 1;
    long bitPos = (long) pos * 8;
    for (int i = 0; i < n; i++) {
      int byteIdx = (int) (bitPos >>> 3);
      int bit = (int) (bitPos & 7);
      long word = 0;
      int need = (bit + bw + 7) >>> 3;
      for (int k = 0; k < need && byteIdx + k < end; k++) {
        word |= (long) (src[byteIdx + k] & 0xFF) << (8 * k);
      }
      out[outPos + i] = (int) ((word >>> bit) & mask);
      bitPos += bw;
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
  static void encodeIndices(int[] idx, int count, int bitWidth, ByteArrayOutputStream out) {
    int groups = (count + 7) / 8;
    writeVarint(out, ((long) groups << 1) | 1);
    long acc = 0;
    int bits = 0;
    for (int i = 0; i < groups * 8; i++) {
      long v = i < count ? idx[i] & 0xFFFFFFFFL : 0;
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
