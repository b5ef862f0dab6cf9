package io.omearrow.io.parquet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Unpacking of the bit-packed runs of Parquet's RLE / bit-packed hybrid encoding: values of
 * {@code w} bits (0..32), least significant bit first, in groups of eight that fill exactly
 * {@code w} bytes. Whole groups are read with unaligned 64-bit loads whose offsets and shifts
 * within a group depend only on {@code w}, so they are computed once per run and the loop body
 * has no per-value bit arithmetic; values near the end of the memory are read byte by byte.
 *
 * <p>Callers pass {@code limit}, the end of readable memory (normally the segment size, which may
 * lie beyond the run: loads may read bytes past the run, whose bits are shifted and masked away).
 * The fused dictionary gather writes the looked-up values straight to native memory and returns
 * the largest index it met, for the caller to check once against the dictionary size.
 */
final class BitUnpack {
  private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private BitUnpack() {}

  /** The 8 little-endian bytes at {@code at}, zero-filled from {@code limit} on. */
  static long window(MemorySegment src, long at, long limit) {
    if (at + 8 <= limit) {
      return src.get(LONG_LE, at);
    }
    long v = 0;
    for (int k = 0; k < 8 && at + k < limit; k++) {
      v |= (src.get(ValueLayout.JAVA_BYTE, at + k) & 0xFFL) << (8 * k);
    }
    return v;
  }

  /** Value {@code i} of a run of {@code w}-bit values starting at byte {@code p}. */
  static int value(MemorySegment src, long p, long i, int w, long limit) {
    long bit = i * w;
    long mask = (1L << w) - 1;
    return (int) ((window(src, p + (bit >>> 3), limit) >>> (bit & 7)) & mask);
  }

  /** Whole groups from byte {@code p} whose loads (up to {@code reach + 8} bytes into a group) stay below {@code limit}. */
  private static int safeGroups(long p, int groups, int w, int reach, long limit) {
    long room = limit - p - reach - 8;
    if (room < 0) {
      return 0;
    }
    return w == 0 ? groups : (int) Math.min(groups, room / w + 1);
  }

  /** Unpacks {@code n} values of {@code w} bits (0..32) from byte {@code p} into {@code out[off..]}. */
  static void ints(MemorySegment src, long p, long limit, int w, int[] out, int off, int n) {
    int groups = n >>> 3;
    int fast = safeGroups(p, groups, w, (7 * w) >>> 3, limit);
    long mask = (1L << w) - 1;
    int o1 = w >>> 3;
    int o2 = (2 * w) >>> 3;
    int o3 = (3 * w) >>> 3;
    int o4 = (4 * w) >>> 3;
    int o5 = (5 * w) >>> 3;
    int o6 = (6 * w) >>> 3;
    int o7 = (7 * w) >>> 3;
    int s1 = w & 7;
    int s2 = (2 * w) & 7;
    int s3 = (3 * w) & 7;
    int s4 = (4 * w) & 7;
    int s5 = (5 * w) & 7;
    int s6 = (6 * w) & 7;
    int s7 = (7 * w) & 7;
    for (int g = 0; g < fast; g++) {
      long at = p + (long) g * w;
      int o = off + 8 * g;
      out[o] = (int) (src.get(LONG_LE, at) & mask);
      out[o + 1] = (int) ((src.get(LONG_LE, at + o1) >>> s1) & mask);
      out[o + 2] = (int) ((src.get(LONG_LE, at + o2) >>> s2) & mask);
      out[o + 3] = (int) ((src.get(LONG_LE, at + o3) >>> s3) & mask);
      out[o + 4] = (int) ((src.get(LONG_LE, at + o4) >>> s4) & mask);
      out[o + 5] = (int) ((src.get(LONG_LE, at + o5) >>> s5) & mask);
      out[o + 6] = (int) ((src.get(LONG_LE, at + o6) >>> s6) & mask);
      out[o + 7] = (int) ((src.get(LONG_LE, at + o7) >>> s7) & mask);
    }
    for (int i = 8 * fast; i < n; i++) {
      out[off + i] = value(src, p, i, w, limit);
    }
  }

  /** Unpacks {@code n} values of {@code w} bits (0..8) into bytes: one 64-bit load per group of 8. */
  static void bytes(MemorySegment src, long p, long limit, int w, byte[] out, int off, int n) {
    int groups = n >>> 3;
    int fast = safeGroups(p, groups, w, 0, limit);
    int mask = (1 << w) - 1;
    for (int g = 0; g < fast; g++) {
      long v = src.get(LONG_LE, p + (long) g * w);
      int o = off + 8 * g;
      out[o] = (byte) (v & mask);
      out[o + 1] = (byte) ((v >>> w) & mask);
      out[o + 2] = (byte) ((v >>> 2 * w) & mask);
      out[o + 3] = (byte) ((v >>> 3 * w) & mask);
      out[o + 4] = (byte) ((v >>> 4 * w) & mask);
      out[o + 5] = (byte) ((v >>> 5 * w) & mask);
      out[o + 6] = (byte) ((v >>> 6 * w) & mask);
      out[o + 7] = (byte) ((v >>> 7 * w) & mask);
    }
    for (int i = 8 * fast; i < n; i++) {
      out[off + i] = (byte) value(src, p, i, w, limit);
    }
  }

  /**
   * Unpacks {@code n} indices of {@code w} bits (1..16) and writes {@code dict[index]} as 16-bit
   * little-endian values to {@code dst} at {@code q}. {@code dict} must have {@code 1 << w}
   * entries at least (padding beyond the real dictionary is fine: the caller checks the returned
   * largest index). A group's first four values come from one 64-bit load and the last four
   * from a second one, and the eight results leave as two 64-bit stores.
   *
   * @return the largest index unpacked (0 when n is 0)
   */
  static int gather16(MemorySegment src, long p, long limit, int w, short[] dict, MemorySegment dst, long q, int n) {
    int groups = n >>> 3;
    int hiAt = (4 * w) >>> 3;
    int hiShift = (4 * w) & 7;
    int fast = safeGroups(p, groups, w, hiAt, limit);
    int mask = (1 << w) - 1;
    int w2 = 2 * w;
    int w3 = 3 * w;
    int max = 0;
    for (int g = 0; g < fast; g++) {
      long at = p + (long) g * w;
      long lo = src.get(LONG_LE, at);
      long hi = src.get(LONG_LE, at + hiAt) >>> hiShift;
      int i0 = (int) lo & mask;
      int i1 = (int) (lo >>> w) & mask;
      int i2 = (int) (lo >>> w2) & mask;
      int i3 = (int) (lo >>> w3) & mask;
      int i4 = (int) hi & mask;
      int i5 = (int) (hi >>> w) & mask;
      int i6 = (int) (hi >>> w2) & mask;
      int i7 = (int) (hi >>> w3) & mask;
      // a tree of maxima keeps the loop-carried chain to one step per group
      max = Math.max(max, Math.max(Math.max(Math.max(i0, i1), Math.max(i2, i3)), Math.max(Math.max(i4, i5), Math.max(i6, i7))));
      long at16 = q + 16L * g;
      dst.set(LONG_LE, at16, (dict[i0] & 0xFFFFL) | (dict[i1] & 0xFFFFL) << 16 | (dict[i2] & 0xFFFFL) << 32 | (long) dict[i3] << 48);
      dst.set(LONG_LE, at16 + 8, (dict[i4] & 0xFFFFL) | (dict[i5] & 0xFFFFL) << 16 | (dict[i6] & 0xFFFFL) << 32 | (long) dict[i7] << 48);
    }
    for (int i = 8 * fast; i < n; i++) {
      int idx = value(src, p, i, w, limit);
      max = Math.max(max, idx);
      dst.set(SHORT_LE, q + 2L * i, dict[idx]);
    }
    return max;
  }
}
