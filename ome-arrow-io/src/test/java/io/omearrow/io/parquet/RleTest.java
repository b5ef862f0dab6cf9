package io.omearrow.io.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.omearrow.core.FormatException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hybrid streams (RLE runs and bit-packed runs, partial last groups, run boundaries) decoded as
 * dictionary indices into every output width and as levels, against the values the test
 * encoder wrote; out-of-range indices and truncated runs give their exact errors.
 */
class RleTest {
  private static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  /** Runs of every kind for indices below {@code size}. */
  private static HybridStream stream(int width, int size, long seed) {
    return new HybridStream(width, seed)
        .packedRandom(512, size)
        .rle(size - 1, 37)
        .packedRandom(13, size)
        .rle(0, 1)
        .packedRandom(8, size)
        .packedRandom(1001, size)
        .rle(size / 2, 600)
        .lastRandom(3, size);
  }

  /** A dictionary of {@code size} values of {@code width} bytes: value i is i * 2654435761 truncated. */
  private static MemorySegment dictionary(Arena arena, int size, int width) {
    MemorySegment d = arena.allocate((long) size * width + 8);
    for (long i = 0; i < size; i++) {
      long v = i * 2654435761L + 17;
      for (int k = 0; k < width; k++) {
        d.set(ValueLayout.JAVA_BYTE, i * width + k, (byte) (v >>> (8 * k)));
      }
    }
    return d;
  }

  private static short[] padded16(MemorySegment dict, int size) {
    short[] d = new short[65536];
    for (int i = 0; i < size; i++) {
      d[i] = dict.get(SHORT_LE, 2L * i);
    }
    return d;
  }

  private static long valueAt(MemorySegment s, long at, int width) {
    return switch (width) {
      case 1 -> s.get(ValueLayout.JAVA_BYTE, at) & 0xFFL;
      case 2 -> s.get(SHORT_LE, at) & 0xFFFFL;
      case 4 -> s.get(INT_LE, at) & 0xFFFFFFFFL;
      default -> s.get(LONG_LE, at);
    };
  }

  private static void checkDictionary(int bitWidth, int size, int width, boolean with16, int slack) {
    try (Arena arena = Arena.ofConfined()) {
      HybridStream hs = stream(bitWidth, size, bitWidth * 31L + width);
      byte[] bytes = hs.bytes();
      MemorySegment src = HybridStream.place(arena, bytes, 3, slack);
      MemorySegment dict = dictionary(arena, size, width);
      short[] d16 = with16 ? padded16(dict, size) : null;
      int n = hs.count();
      MemorySegment dst = arena.allocate((long) (n + 2) * width);
      dst.fill((byte) 0x77);
      Rle.decodeDictionary(src, 3, 3 + bytes.length, bitWidth, n, dict, d16, size, width, dst, width, "test");
      List<Integer> idx = hs.values();
      for (int i = 0; i < n; i++) {
        assertEquals(valueAt(dict, (long) idx.get(i) * width, width), valueAt(dst, (long) (i + 1) * width, width),
            "bit width " + bitWidth + ", value width " + width + ", index " + i);
      }
      long untouched = valueAt(dst, 0, width);
      assertEquals(untouched, valueAt(dst, (long) (n + 1) * width, width), "nothing written after the values");
    }
  }

  @Test
  void dictionaryIndicesOfEveryWidthInto16BitValues() {
    for (int w = 1; w <= 16; w++) {
      int size = w == 1 ? 2 : (1 << w) - 3; // not a power of two: padding entries exist
      checkDictionary(w, size, 2, true, 0);
      checkDictionary(w, size, 2, true, 32);
      checkDictionary(w, size, 2, false, 0); // the block path
    }
  }

  @Test
  void dictionaryIndicesIntoOtherValueWidths() {
    for (int w = 1; w <= 20; w++) {
      int size = Math.min(1 << w, 70000) - (w > 1 ? 1 : 0);
      for (int width : new int[] {1, 4, 8}) {
        checkDictionary(w, size, width, false, 8);
      }
    }
  }

  @Test
  void zeroBitWidthSelectsTheOnlyEntry() {
    try (Arena arena = Arena.ofConfined()) {
      HybridStream hs = new HybridStream(0, 1).rle(0, 5).last(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
      byte[] b = hs.bytes();
      MemorySegment src = HybridStream.place(arena, b, 0, 0);
      MemorySegment dict = dictionary(arena, 1, 2);
      MemorySegment dst = arena.allocate(30);
      Rle.decodeDictionary(src, 0, b.length, 0, 15, dict, padded16(dict, 1), 1, 2, dst, 0, "test");
      for (int i = 0; i < 15; i++) {
        assertEquals(17, dst.get(SHORT_LE, 2L * i));
      }
    }
  }

  @Test
  void outOfRangeIndicesNameTheFirstBadOne() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment dict = dictionary(arena, 100, 2);
      short[] d16 = padded16(dict, 100);
      int[] values = new int[40];
      values[17] = 101;
      values[30] = 127;
      byte[] b = new HybridStream(7, 1).last(values).bytes();
      MemorySegment src = HybridStream.place(arena, b, 0, 16);
      MemorySegment dst = arena.allocate(80);
      String m = assertThrows(FormatException.class,
          () -> Rle.decodeDictionary(src, 0, b.length, 7, 40, dict, d16, 100, 2, dst, 0, "page 3")).getMessage();
      assertEquals("page 3: dictionary index 101 out of range [0, 100)", m);
      m = assertThrows(FormatException.class,
          () -> Rle.decodeDictionary(src, 0, b.length, 7, 40, dict, null, 100, 2, dst, 0, "page 3")).getMessage();
      assertEquals("page 3: dictionary index 101 out of range [0, 100)", m);
      byte[] rle = new HybridStream(7, 1).rle(100, 3).bytes();
      MemorySegment rs = HybridStream.place(arena, rle, 0, 0);
      m = assertThrows(FormatException.class,
          () -> Rle.decodeDictionary(rs, 0, rle.length, 7, 3, dict, d16, 100, 2, dst, 0, "page 4")).getMessage();
      assertEquals("page 4: dictionary index 100 out of range [0, 100)", m);
    }
  }

  @Test
  void truncatedRunsAreReported() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment dict = dictionary(arena, 100, 2);
      byte[] b = new HybridStream(7, 1).packedRandom(64, 100).bytes();
      MemorySegment src = HybridStream.place(arena, b, 0, 64);
      MemorySegment dst = arena.allocate(256);
      String m = assertThrows(FormatException.class,
          () -> Rle.decodeDictionary(src, 0, b.length - 1, 7, 64, dict, padded16(dict, 100), 100, 2, dst, 0, "p")).getMessage();
      assertEquals("p: truncated bit-packed run", m);
      m = assertThrows(FormatException.class,
          () -> Rle.decodeDictionary(src, 0, b.length, 7, 65, dict, padded16(dict, 100), 100, 2, dst, 0, "p")).getMessage();
      assertEquals("p: dictionary indices end after 64 of 65 values", m);
      m = assertThrows(FormatException.class,
          () -> Rle.decodeDictionary(src, 0, b.length, 33, 64, dict, null, 100, 2, dst, 0, "p")).getMessage();
      assertEquals("p: dictionary index bit width 33 out of range", m);
    }
  }

  @Test
  void indicesDecodeForBinaryDictionaries() {
    try (Arena arena = Arena.ofConfined()) {
      for (int w = 0; w <= 32; w += 1) {
        HybridStream hs = w == 0 ? new HybridStream(0, 2).rle(0, 9).last(0, 0, 0) : stream(w, (int) Math.min(1L << w, Integer.MAX_VALUE), w);
        byte[] b = hs.bytes();
        MemorySegment src = HybridStream.place(arena, b, 0, 0);
        int[] out = new int[hs.count()];
        Rle.decodeInts(src, 0, b.length, w, out, out.length, "p");
        for (int i = 0; i < out.length; i++) {
          assertEquals((int) hs.values().get(i), out[i], "w=" + w + " i=" + i);
        }
      }
    }
  }

  @Test
  void levelsDecodeIntoBothFormsAndCountTheCommonLevel() {
    try (Arena arena = Arena.ofConfined()) {
      for (int w = 1; w <= 3; w++) {
        int max = (1 << w) - 1;
        // page 1: nearly all at the maximum (the sparse form)
        HybridStream p1 = new HybridStream(w, w).rle(0, 1).rle(max, 5000).packed(0, max, max, 1, max, max, max, max, max, 0, max).rle(max, 3);
        // page 2: enough other levels to switch to one byte per entry
        HybridStream p2 = new HybridStream(w, w + 100);
        for (int i = 0; i < 700; i++) {
          p2.packedRandom(9, max + 1);
        }
        p2.rle(0, 4000).rle(max, 17);
        Levels levels = new Levels(max, 100);
        byte[] b1 = p1.bytes();
        int same = Rle.decodeLevels(HybridStream.place(arena, b1, 0, 0), 0, b1.length, w, levels, p1.count(), "p");
        assertEquals(p1.values().stream().filter(v -> v == max).count(), same);
        assertEquals(false, levels.isDense(), "few exceptions stay sparse");
        checkLevels(levels, p1.values(), w);
        byte[] b2 = p2.bytes();
        same = Rle.decodeLevels(HybridStream.place(arena, b2, 2, 8), 2, 2 + b2.length, w, levels, p2.count(), "p");
        assertEquals(p2.values().stream().filter(v -> v == max).count(), same);
        assertEquals(true, levels.isDense(), "many exceptions turn dense");
        List<Integer> all = new java.util.ArrayList<>(p1.values());
        all.addAll(p2.values());
        checkLevels(levels, all, w);
      }
    }
  }

  @Test
  void levelErrorsAreReported() {
    try (Arena arena = Arena.ofConfined()) {
      byte[] b = new HybridStream(2, 1).rle(3, 4).bytes();
      MemorySegment s = HybridStream.place(arena, b, 0, 0);
      assertEquals("p: level data ends after 4 of 5 values",
          assertThrows(FormatException.class, () -> Rle.decodeLevels(s, 0, b.length, 2, new Levels(3, 5), 5, "p")).getMessage());
      byte[] bad = new HybridStream(2, 1).rle(4, 4).bytes(); // 4 needs 3 bits
      MemorySegment bs = HybridStream.place(arena, bad, 0, 0);
      assertEquals("p: level 4 out of range",
          assertThrows(FormatException.class, () -> Rle.decodeLevels(bs, 0, bad.length, 2, new Levels(3, 5), 4, "p")).getMessage());
      byte[] packed = new HybridStream(2, 1).packedRandom(16, 4).bytes();
      MemorySegment ps = HybridStream.place(arena, packed, 0, 0);
      assertEquals("p: truncated bit-packed run",
          assertThrows(FormatException.class, () -> Rle.decodeLevels(ps, 0, packed.length - 1, 2, new Levels(3, 5), 16, "p")).getMessage());
    }
  }

  private static void checkLevels(Levels levels, List<Integer> expected, int w) {
    assertEquals(expected.size(), levels.size());
    for (int i = 0; i < expected.size(); i++) {
      assertEquals((int) expected.get(i), levels.get(i), "entry " + i);
    }
    for (int depth = 0; depth < (1 << w); depth++) {
      int next = levels.nextAtMost(0, depth);
      for (int i = 0; i < expected.size(); i++) {
        if (expected.get(i) <= depth) {
          assertEquals(i, next, "depth " + depth);
          next = levels.nextAtMost(i + 1, depth);
        }
      }
      assertEquals(expected.size(), next, "depth " + depth + " ends at the size");
    }
    byte[] a = levels.array();
    for (int i = 0; i < expected.size(); i++) {
      assertEquals((int) expected.get(i), a[i], "array entry " + i);
    }
  }
}
