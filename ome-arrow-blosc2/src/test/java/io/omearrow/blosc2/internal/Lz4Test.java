package io.omearrow.blosc2.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The LZ4 block decoder's fast path (short sequences) and its fallbacks, against our compressors. */
class Lz4Test {
  /** Short literal runs and matches at every offset from 1 to 40: both decoder paths, every copy shape. */
  private static byte[] shortSequences(int n, long seed) {
    Random r = new Random(seed);
    byte[] d = new byte[n];
    int i = 0;
    while (i < n) {
      int lit = r.nextInt(20);
      for (int k = 0; k < lit && i < n; k++) {
        d[i++] = (byte) r.nextInt(256);
      }
      int off = 1 + r.nextInt(40);
      int ml = 4 + r.nextInt(r.nextBoolean() ? 16 : 80);
      for (int k = 0; k < ml && i < n; k++, i++) {
        d[i] = i >= off ? d[i - off] : (byte) k;
      }
    }
    return d;
  }

  @Test
  void roundTripsShortSequencesWithEveryCompressor() {
    for (int n : new int[] {1, 13, 40, 41, 100, 4096, 65_537}) {
      byte[] data = shortSequences(n, n);
      for (int attempts : new int[] {0, 4, 32}) {
        byte[] c = new byte[Lz4.maxCompressedLength(n)];
        int clen = Lz4.compress(data, 0, n, c, 0, c.length, attempts);
        byte[] out = new byte[n + 7];
        Lz4.decompress(c, 0, clen, out, 3, n);
        assertArrayEquals(data, Arrays.copyOfRange(out, 3, 3 + n), "n=" + n + " attempts=" + attempts);
      }
    }
  }

  @Test
  void fastPathRejectsAnOffsetBeforeTheOutputStart() {
    // Token: 2 literals + match of 4; offset 9 points before the start; long enough for the fast path.
    byte[] src = new byte[64];
    src[0] = 0x20;
    src[1] = 'a';
    src[2] = 'b';
    src[3] = 9;
    src[4] = 0;
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> Lz4.decompress(src, 0, src.length, new byte[100], 0, 100));
    assertEquals("LZ4 match offset 9 points before the output start", e.getMessage());
  }
  /** Hand-built LZ4 sequences: (literals, offset, match length), the last one literals only. */
  private static final class Seqs {
    final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    final java.io.ByteArrayOutputStream plain = new java.io.ByteArrayOutputStream();

    Seqs add(byte[] lit, int off, int ml) {
      int l = lit.length;
      int m = ml - 4;
      out.write((Math.min(l, 15) << 4) | Math.min(m, 15));
      length(l);
      out.writeBytes(lit);
      plain.writeBytes(lit);
      out.write(off);
      out.write(off >>> 8);
      length(m);
      for (int k = 0; k < ml; k++) {
        byte[] sofar = plain.toByteArray();
        plain.write(off <= sofar.length ? sofar[sofar.length - off] : 0); // 0: the invalid-offset test
      }
      return this;
    }

    byte[] end(byte[] lit) {
      out.write(Math.min(lit.length, 15) << 4);
      length(lit.length);
      out.writeBytes(lit);
      plain.writeBytes(lit);
      return out.toByteArray();
    }

    private void length(int v) {
      if (v >= 15) {
        v -= 15;
        while (v >= 255) {
          out.write(255);
          v -= 255;
        }
        out.write(v);
      }
    }
  }

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** Decodes into the middle of a sentinel-filled array: exact bytes, and nothing written outside. */
  private static void assertDecodes(byte[] compressed, byte[] expected, String what) {
    byte[] out = new byte[expected.length + 80];
    Arrays.fill(out, (byte) 0x6B);
    Lz4.decompress(compressed, 0, compressed.length, out, 40, expected.length);
    assertArrayEquals(expected, Arrays.copyOfRange(out, 40, 40 + expected.length), what);
    for (int i = 0; i < 40; i++) {
      assertEquals((byte) 0x6B, out[i], what + ": byte before the output written");
      assertEquals((byte) 0x6B, out[40 + expected.length + i], what + ": byte after the output written");
    }
  }

  @Test
  void overlappingMatchesAtEveryOffsetFrom1To20AndEveryLengthShape() {
    for (int off = 1; off <= 20; off++) {
      for (int ml : new int[] {4, 5, 7, 8, 9, 15, 16, 17, 18, 19, 20, 31, 32, 33, 47, 64, 65, 100, 300}) {
        for (int tail : new int[] {0, 3, 20}) {
          Seqs s = new Seqs();
          s.add(bytes(Math.max(off, 3), off * 1000L + ml), off, ml);
          s.add(bytes(2, ml), off, ml);
          byte[] c = s.end(bytes(tail, tail));
          assertDecodes(c, s.plain.toByteArray(), "off=" + off + " ml=" + ml + " tail=" + tail);
        }
      }
    }
  }

  @Test
  void everySequenceShapeAwayFromTheEndsTakesTheFastPathExactly() {
    // Literal runs of 0 to 14 bytes, offsets below and above 8 (1, 2 and 4 repeat within a long),
    // match lengths with no, one (0, 254) and two (255) extension bytes, then a tail long enough
    // that every sequence sits where the decoder uses its fixed-size copies.
    int[] offsets = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 64, 300};
    int[] lengths = {4, 5, 8, 17, 18, 19, 20, 32, 33, 48, 19 + 254, 19 + 255, 19 + 300};
    for (int tail : new int[] {20, 47, 48, 49, 200}) {
      Seqs s = new Seqs();
      s.add(bytes(300, tail), 300, 4);
      int k = 0;
      for (int off : offsets) {
        for (int ml : lengths) {
          s.add(bytes(k % 15, k), off, ml);
          k++;
        }
      }
      byte[] c = s.end(bytes(tail, -tail));
      assertDecodes(c, s.plain.toByteArray(), "tail=" + tail);
    }
  }

  @Test
  void aLongMatchRunningPastTheOutputFailsOnTheFastPathToo() {
    byte[] c = new Seqs().add(bytes(64, 3), 16, 100).end(bytes(30, 4));
    assertEquals("LZ4 match of 100 bytes overruns the output",
        assertThrows(IllegalStateException.class, () -> Lz4.decompress(c, 0, c.length, new byte[200], 0, 150))
            .getMessage());
    byte[] rep = new Seqs().add(bytes(64, 3), 2, 100).end(bytes(30, 4));
    assertEquals("LZ4 match of 100 bytes overruns the output",
        assertThrows(IllegalStateException.class, () -> Lz4.decompress(rep, 0, rep.length, new byte[200], 0, 150))
            .getMessage());
  }

  @Test
  void corruptStreamsFailWithTheDecodersOwnErrorAndWriteNothingOutsideTheOutput() {
    // Mutated real streams with true, shorter and longer output lengths: the fixed-size copies of
    // the fast path must stay inside the arrays and the output range whatever the bytes say.
    Random r = new Random(2026);
    byte[] data = shortSequences(4096, 11);
    byte[] c = new byte[Lz4.maxCompressedLength(data.length)];
    int clen = Lz4.compress(data, 0, data.length, c, 0, c.length, 8);
    int failures = 0;
    for (int round = 0; round < 3000; round++) {
      byte[] bad = Arrays.copyOf(c, clen);
      for (int k = 1 + r.nextInt(4); k > 0; k--) {
        bad[r.nextInt(clen)] = (byte) r.nextInt(256);
      }
      int sLen = r.nextInt(4) == 0 ? r.nextInt(clen + 1) : clen;
      int dLen = switch (r.nextInt(3)) {
        case 0 -> data.length;
        case 1 -> r.nextInt(data.length);
        default -> data.length + r.nextInt(64);
      };
      byte[] out = new byte[dLen + 80];
      Arrays.fill(out, (byte) 0x6B);
      try {
        Lz4.decompress(bad, 0, sLen, out, 40, dLen);
      } catch (IllegalStateException expected) {
        failures++;
      }
      for (int i = 0; i < 40; i++) {
        assertEquals((byte) 0x6B, out[i], "round " + round + ": byte before the output written");
        assertEquals((byte) 0x6B, out[40 + dLen + i], "round " + round + ": byte after the output written");
      }
    }
    assertTrue(failures > 1000, "most mutations must be refused, got " + failures);
  }

  @Test
  void longLiteralRunsAndLongMatchesUseTheExtraLengthBytes() {
    for (int lit : new int[] {14, 15, 16, 17, 31, 32, 33, 269, 270, 271, 525, 1000}) {
      Seqs s = new Seqs();
      s.add(bytes(lit, lit), 7, 4);
      s.add(bytes(lit, lit + 1), lit / 2 + 1, 19 + 255 + lit % 7);
      s.add(new byte[0], 30, 23);
      byte[] c = s.end(bytes(lit, lit + 2));
      assertDecodes(c, s.plain.toByteArray(), "lit=" + lit);
    }
  }

  @Test
  void lyingLengthsAndOffsetsFailWithClearErrors() {
    byte[] c = new Seqs().add(bytes(20, 1), 5, 40).end(bytes(5, 2));
    int n = 20 + 40 + 5;
    assertEquals("LZ4 match of 40 bytes overruns the output",
        assertThrows(IllegalStateException.class, () -> Lz4.decompress(c, 0, c.length, new byte[n - 10], 0, n - 30))
            .getMessage());
    assertEquals("LZ4 block decoded to " + n + " bytes, expected " + (n + 1),
        assertThrows(IllegalStateException.class, () -> Lz4.decompress(c, 0, c.length, new byte[n + 1], 0, n + 1))
            .getMessage());
    byte[] far = new Seqs().add(bytes(20, 1), 21, 40).end(new byte[0]);
    assertEquals("LZ4 match offset 21 points before the output start",
        assertThrows(IllegalStateException.class, () -> Lz4.decompress(far, 0, far.length, new byte[60], 0, 60))
            .getMessage());
    assertEquals("LZ4 stream ends before its last sequence",
        assertThrows(IllegalStateException.class, () -> Lz4.decompress(c, 0, c.length - 6, new byte[n], 0, n))
            .getMessage());
  }
}
