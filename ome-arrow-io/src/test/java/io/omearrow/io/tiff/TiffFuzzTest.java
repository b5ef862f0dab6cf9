package io.omearrow.io.tiff;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.omearrow.core.FormatException;
import io.omearrow.core.PixelsMeta;
import io.omearrow.core.SelectionException;
import io.omearrow.source.OpenOptions;
import io.omearrow.testing.TestData;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded mutation loop over small fixtures (bounded to about four seconds): every mutated file
 * either reads or fails with a FormatException or SelectionException; nothing else may escape
 * (no IndexOutOfBounds, no OutOfMemoryError, no hang).
 */
class TiffFuzzTest {
  private static final List<String> SEEDS = List.of("generated/strips_u8.ome.tif", "generated/tiled_zlib_predictor_u16.ome.tif",
      "generated/bigendian_i16.ome.tif", "generated/bigtiff_f32.ome.tif", "generated/rgb_planar_u16.tif", "generated/lzma_u32.ome.tif",
      "examplehuman/AS_09125_050116030001_D03f00d0.tif", "ome-artificial-5d-datasets/multi-channel.ome.tiff");
  private static final long BUDGET_NANOS = 4_000_000_000L;

  @Test
  void mutatedFilesFailOnlyWithFormatOrSelectionErrors(@TempDir Path dir) throws Exception {
    Random rnd = new Random(20261121L);
    long start = System.nanoTime();
    int runs = 0;
    int refused = 0;
    while (System.nanoTime() - start < BUDGET_NANOS) {
      String seed = SEEDS.get(rnd.nextInt(SEEDS.size()));
      byte[] b = Files.readAllBytes(TestData.path(seed));
      int edits = 1 + rnd.nextInt(8);
      for (int e = 0; e < edits; e++) {
        int kind = rnd.nextInt(10);
        // most edits hit the first 4 KiB and the last 8 KiB, where tifffile and Bio-Formats put IFDs and tags
        int region = rnd.nextBoolean() ? Math.min(b.length, 4096) : b.length;
        int at = rnd.nextBoolean() ? rnd.nextInt(region) : Math.max(0, b.length - 1 - rnd.nextInt(Math.min(b.length, 8192)));
        switch (kind) {
          case 0 -> b = java.util.Arrays.copyOf(b, Math.max(1, rnd.nextInt(b.length)));
          case 1, 2 -> b[at] ^= (byte) (1 << rnd.nextInt(8));
          case 3, 4 -> b[at] = (byte) rnd.nextInt(256);
          case 5 -> {
            int v = switch (rnd.nextInt(4)) { case 0 -> 0; case 1 -> -1; case 2 -> Integer.MAX_VALUE; default -> rnd.nextInt(); };
            for (int k = 0; k < 4 && at + k < b.length; k++) {
              b[at + k] = (byte) (v >>> (8 * k));
            }
          }
          default -> {
            int len = Math.min(64, b.length - at);
            int to = rnd.nextInt(b.length);
            System.arraycopy(b, at, b, to, Math.min(len, b.length - to));
          }
        }
      }
      Path f = dir.resolve("fuzz-" + runs + ".tif");
      Files.write(f, b);
      try {
        readEverything(f);
      } catch (FormatException | SelectionException expected) {
        assertTrue(expected.getMessage() != null && !expected.getMessage().isBlank());
        refused++;
      } catch (Throwable t) {
        fail("run " + runs + " on a mutation of " + seed + " let " + t + " escape", t);
      }
      Files.delete(f);
      runs++;
    }
    assertTrue(runs > 20, "only " + runs + " runs");
    assertTrue(refused > 0, "no mutation was refused in " + runs + " runs");
  }

  private static void readEverything(Path f) {
    try (TiffSource s = TiffSource.open(f, OpenOptions.defaults()); Arena a = Arena.ofConfined()) {
      PixelsMeta p = s.pixels();
      int w = Math.min(p.sizeX(), 512);
      int h = Math.min(p.sizeY(), 512);
      MemorySegment dst = a.allocate((long) w * h * p.pixelType().byteSize());
      long planes = Math.min(p.planeCount(), 8);
      for (int i = 0; i < planes; i++) {
        int z = (int) (i % p.sizeZ());
        int c = (int) ((i / p.sizeZ()) % p.sizeC());
        int t = (int) (i / ((long) p.sizeZ() * p.sizeC()));
        s.readRegion(t, c, z, 0, 0, w, h, dst);
      }
    }
  }
}
