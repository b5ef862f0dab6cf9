package io.omearrow.io.parquet;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A test encoder of the RLE / bit-packed hybrid encoding, written bit by bit as the format
 * describes it (independent of the reader's code), plus the matching simple reference unpacker.
 * A stream is a list of runs; only its last run may end inside a group, whose padding (random
 * values of the full width) a reader must ignore.
 */
final class HybridStream {
  private final int width;
  private final Random random;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final List<Integer> values = new ArrayList<>();

  HybridStream(int width, long seed) {
    this.width = width;
    this.random = new Random(seed);
  }

  List<Integer> values() {
    return values;
  }

  int count() {
    return values.size();
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  /** An RLE run of {@code n} copies of {@code v}. */
  HybridStream rle(int v, int n) {
    varint((long) n << 1);
    for (int k = 0; k < (width + 7) / 8; k++) {
      out.write((v >>> (8 * k)) & 0xFF);
    }
    for (int i = 0; i < n; i++) {
      values.add(v);
    }
    return this;
  }

  /**
   * A bit-packed run of these values, padded with zeros to a whole group: inside a stream the
   * padding values are values too, so they are recorded.
   */
  HybridStream packed(int... vs) {
    int[] all = java.util.Arrays.copyOf(vs, (vs.length + 7) / 8 * 8);
    run(all, all.length);
    return this;
  }

  /**
   * The last run of a stream: bit-packed, padded with random values of the full width that a
   * reader must neither return nor check (the stream's count ends before them).
   */
  HybridStream last(int... vs) {
    int[] all = java.util.Arrays.copyOf(vs, (vs.length + 7) / 8 * 8);
    for (int i = vs.length; i < all.length; i++) {
      all[i] = random.nextInt();
    }
    run(all, vs.length);
    return this;
  }

  private void run(int[] all, int recorded) {
    varint(((long) all.length / 8 << 1) | 1);
    long mask = width == 0 ? 0 : (width == 32 ? 0xFFFFFFFFL : (1L << width) - 1);
    long[] packed = new long[all.length];
    for (int i = 0; i < all.length; i++) {
      packed[i] = all[i] & mask;
    }
    byte[] b = pack(packed, width);
    out.write(b, 0, b.length);
    for (int i = 0; i < recorded; i++) {
      values.add((int) packed[i]);
    }
  }

  /** Random values below {@code bound} in one bit-packed run (zero padding recorded). */
  HybridStream packedRandom(int n, long bound) {
    return packed(random(n, bound));
  }

  /** Random values below {@code bound} as the last run (random padding not recorded). */
  HybridStream lastRandom(int n, long bound) {
    return last(random(n, bound));
  }

  private int[] random(int n, long bound) {
    int[] vs = new int[n];
    for (int i = 0; i < n; i++) {
      vs[i] = (int) (bound <= 0 ? 0 : (random.nextLong() & Long.MAX_VALUE) % bound);
    }
    return vs;
  }

  private void varint(long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  /** Packs values LSB first, bit by bit. */
  static byte[] pack(long[] vs, int width) {
    byte[] b = new byte[(int) (((long) vs.length * width + 7) / 8)];
    long bit = 0;
    for (long v : vs) {
      for (int k = 0; k < width; k++, bit++) {
        if ((v >>> k & 1) != 0) {
          b[(int) (bit >>> 3)] |= (byte) (1 << (bit & 7));
        }
      }
    }
    return b;
  }

  /** Reads value {@code i} of {@code width} bits, bit by bit. */
  static long unpack(byte[] b, int off, long i, int width) {
    long v = 0;
    for (int k = 0; k < width; k++) {
      long bit = i * width + k;
      if ((b[off + (int) (bit >>> 3)] >>> (bit & 7) & 1) != 0) {
        v |= 1L << k;
      }
    }
    return v;
  }

  /** {@code bytes} in a native segment at offset {@code at}, followed by {@code slack} bytes of 0xA5. */
  static MemorySegment place(Arena arena, byte[] bytes, int at, int slack) {
    MemorySegment s = arena.allocate(at + bytes.length + slack, 8);
    s.fill((byte) 0xA5);
    MemorySegment.copy(bytes, 0, s, ValueLayout.JAVA_BYTE, at, bytes.length);
    return s;
  }
}
