package io.omearrow.blosc2;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.omearrow.testing.TestData;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutation fuzzing of the chunk and frame decoders, a couple of seconds each: every input
 * must decode or fail with {@link Blosc2Exception} (never another exception, a hang or an
 * out-of-memory). The seed of a failure is in the message, so it can be replayed.
 */
class FuzzTest {
  private static final long BUDGET_NANOS = 2_000_000_000L;

  @TempDir
  Path tmp;

  static byte[] mutate(byte[] in, Random r) {
    byte[] b = in.clone();
    int kind = r.nextInt(6);
    switch (kind) {
      case 0 -> {
        for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) {
          b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
        }
      }
      case 1 -> b[r.nextInt(b.length)] = (byte) r.nextInt(256);
      case 2 -> b = Arrays.copyOf(b, r.nextInt(b.length));
      case 3 -> {
        // Overwrite a 4-byte field (sizes live in little- and big-endian ints) with an extreme value.
        int pos = r.nextInt(Math.max(1, b.length - 4));
        int[] extremes = {0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 1 << 30, 32, b.length, r.nextInt()};
        int v = extremes[r.nextInt(extremes.length)];
        for (int k = 0; k < 4 && pos + k < b.length; k++) {
          b[pos + k] = (byte) (v >>> (8 * k));
        }
      }
      case 4 -> {
        int pos = r.nextInt(Math.min(b.length, 128));
        b[pos] = (byte) r.nextInt(256);
      }
      default -> {
        int from = r.nextInt(b.length);
        int len = Math.min(b.length - from, 1 + r.nextInt(64));
        int to = r.nextInt(b.length - len + 1);
        System.arraycopy(in, from, b, to, len);
      }
    }
    return b;
  }

  @Test
  void chunkDecoderSurvivesMutations() {
    List<byte[]> seeds = new ArrayList<>();
    byte[] data = ChunkCodecTest.sample(20_000, 2, 1);
    for (Codec c : Codec.values()) {
      seeds.add(Blosc2Codec.compress(data, CompressionParams.of(c, 5, 2).withBlocksize(4096)));
      seeds.add(Blosc2Codec.compress(data, CompressionParams.of(c, 5, 2).withFilters(Filter.DELTA, Filter.BITSHUFFLE)
          .withSplitMode(SplitMode.ALWAYS).withBlocksize(2048)));
    }
    int runs = fuzz(1, seeds, input -> Blosc2Codec.decompress(input, 1 << 20));
    assertTrue(runs > 100, "fuzz loop ran " + runs + " times");
  }

  @Test
  void frameAndArrayReadersSurviveMutations() {
    List<byte[]> seeds = new ArrayList<>();
    for (String f : new String[] {"mla_many_chunks_u16.mla", "b2nd_blosclz_bitshuffle_i32.b2nd",
        "mla_create_partial_f32.mla", "b2nd_zeros_f32.b2nd", "b2nd_lz4_delta_shuffle_i32.b2nd"}) {
      seeds.add(Hashes.read(TestData.path("mlarray/" + f)));
    }
    int runs = fuzz(2, seeds, input -> {
      try (B2ndArray a = B2ndArray.of(Frame.wrap(input))) {
        a.frame().vlmetaNames().forEach(a.frame()::vlmeta);
        long bytes = a.regionBytes(new long[a.shape().length], a.shape());
        if (bytes <= 1 << 22) {
          a.readAll(MemorySegment.ofArray(new byte[(int) bytes]));
        }
      }
    });
    assertTrue(runs > 100, "fuzz loop ran " + runs + " times");
  }

  interface Target {
    void run(byte[] input);
  }

  private static int fuzz(long seed, List<byte[]> seeds, Target target) {
    Random r = new Random(seed);
    long end = System.nanoTime() + BUDGET_NANOS;
    int runs = 0;
    while (System.nanoTime() < end) {
      long caseSeed = r.nextLong();
      Random cr = new Random(caseSeed);
      byte[] input = seeds.get(cr.nextInt(seeds.size()));
      for (int k = 0, n = 1 + cr.nextInt(3); k < n && input.length > 1; k++) {
        input = mutate(input, cr);
      }
      try {
        target.run(input);
      } catch (Blosc2Exception expected) {
        // a clear error is the right outcome for most mutations
      } catch (Throwable t) {
        fail("fuzz case seed " + seed + "/" + caseSeed + " threw " + t, t);
      }
      runs++;
    }
    return runs;
  }
}
