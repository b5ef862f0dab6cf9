package io.omearrow.blosc2;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A JMH-free throughput probe: a 2048 x 2048 uint16 synthetic micrograph stored with mlarray's
 * defaults (LZ4HC 8, shuffle, no split; chunks 384 x 192 and blocks 128 x 64 from mlarray's
 * patch-192 heuristic), compressed and decompressed on one thread. Prints MB/s of uncompressed
 * data (1 MB = 10^6 bytes), best of the timed rounds. With {@code --python PY} it also runs the
 * same measurement in python-blosc2 with one thread.
 *
 * <pre>
 * java -cp ome-arrow-blosc2/target/classes:ome-arrow-blosc2/target/test-classes:aircompressor.jar \
 *     io.omearrow.blosc2.Blosc2Throughput [--python .venv/bin/python] [--rounds 15]
 * </pre>
 */
public final class Blosc2Throughput {
  private static final int N = 2048;

  private Blosc2Throughput() {}

  /** Deterministic image: smooth background, bright spots, noise. */
  static short[] image() {
    Random r = new Random(42);
    short[] px = new short[N * N];
    double[][] spots = new double[400][];
    for (int i = 0; i < spots.length; i++) {
      spots[i] = new double[] {r.nextInt(N), r.nextInt(N), 2 + r.nextDouble() * 4, 500 + r.nextInt(3000)};
    }
    for (int y = 0; y < N; y++) {
      for (int x = 0; x < N; x++) {
        px[y * N + x] = (short) (200 + 80 * Math.sin(x / 90.0) * Math.cos(y / 130.0) + r.nextInt(24));
      }
    }
    for (double[] s : spots) {
      int rad = (int) (s[2] * 3);
      for (int y = (int) Math.max(0, s[1] - rad); y < Math.min(N, s[1] + rad); y++) {
        for (int x = (int) Math.max(0, s[0] - rad); x < Math.min(N, s[0] + rad); x++) {
          double d2 = ((x - s[0]) * (x - s[0]) + (y - s[1]) * (y - s[1])) / (s[2] * s[2]);
          px[y * N + x] = (short) Math.min(65535, (px[y * N + x] & 0xFFFF) + s[3] * Math.exp(-d2 / 2));
        }
      }
    }
    return px;
  }

  public static void main(String[] args) throws IOException {
    String python = null;
    int rounds = 15;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--python")) {
        python = args[++i];
      } else if (args[i].equals("--rounds")) {
        rounds = Integer.parseInt(args[++i]);
      }
    }
    short[] px = image();
    long bytes = 2L * N * N;
    Path dir = Files.createTempDirectory("blosc2-throughput");
    Path raw = dir.resolve("image.u16");
    Path file = dir.resolve("image.b2nd");
    try (Arena arena = Arena.ofShared()) {
      MemorySegment src = arena.allocate(bytes, 64);
      MemorySegment.copy(px, 0, src, ValueLayout.JAVA_SHORT.withOrder(ByteOrder.LITTLE_ENDIAN), 0, px.length);
      Files.write(raw, src.toArray(ValueLayout.JAVA_BYTE));
      B2ndMeta meta = B2ndMeta.of(new long[] {N, N}, new int[] {384, 192}, new int[] {128, 64}, "<u2");
      CompressionParams p = CompressionParams.mlarrayDefaults(2);

      double bestC = Double.MAX_VALUE;
      for (int i = 0; i < Math.max(3, rounds / 3); i++) {
        long t0 = System.nanoTime();
        B2ndWriter.write(file, meta, p, src, Map.of());
        bestC = Math.min(bestC, (System.nanoTime() - t0) / 1e9);
      }
      long size = Files.size(file);
      MemorySegment dst = arena.allocate(bytes, 64);
      double bestD = Double.MAX_VALUE;
      double bestD4 = Double.MAX_VALUE;
      try (B2ndArray a = B2ndArray.open(file)) {
        for (int i = 0; i < rounds; i++) {
          long t0 = System.nanoTime();
          a.readAll(dst);
          bestD = Math.min(bestD, (System.nanoTime() - t0) / 1e9);
        }
        int cores = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < rounds; i++) {
          long t0 = System.nanoTime();
          a.readRegion(new long[2], new long[] {N, N}, dst, cores);
          bestD4 = Math.min(bestD4, (System.nanoTime() - t0) / 1e9);
        }
        if (!Arrays.equals(dst.toArray(ValueLayout.JAVA_BYTE), Files.readAllBytes(raw))) {
          throw new AssertionError("round trip mismatch");
        }
        System.out.printf("java  : ratio %.2fx (%d -> %d bytes)%n", (double) bytes / size, bytes, size);
        System.out.printf("java  : compress   1 thread  %8.1f MB/s (whole file, LZ4HC 8 + shuffle)%n", bytes / bestC / 1e6);
        System.out.printf("java  : decompress 1 thread  %8.1f MB/s (readAll into a MemorySegment)%n", bytes / bestD / 1e6);
        System.out.printf("java  : decompress %d threads %8.1f MB/s%n", cores, bytes / bestD4 / 1e6);
      }
      if (python != null) {
        String script = String.join("\n", List.of(
            "import sys, time, blosc2, numpy as np",
            "img = np.fromfile(sys.argv[1], dtype='<u2').reshape(2048, 2048)",
            "rounds = int(sys.argv[3])",
            "cp = blosc2.CParams(codec=blosc2.Codec.LZ4HC, clevel=8, typesize=2, nthreads=1)",
            "dp = blosc2.DParams(nthreads=1)",
            "best = 1e9",
            "for i in range(max(3, rounds // 3)):",
            "    t = time.perf_counter()",
            "    a = blosc2.asarray(img, chunks=(384, 192), blocks=(128, 64), urlpath=sys.argv[2], mode='w', cparams=cp, dparams=dp)",
            "    best = min(best, time.perf_counter() - t)",
            "print('python: compress   1 thread  %8.1f MB/s (blosc2.asarray to file)' % (img.nbytes / best / 1e6))",
            "a = blosc2.open(sys.argv[2], dparams=dp)",
            "best = 1e9",
            "for i in range(rounds):",
            "    t = time.perf_counter()",
            "    out = a[...]",
            "    best = min(best, time.perf_counter() - t)",
            "assert np.array_equal(out, img)",
            "print('python: decompress 1 thread  %8.1f MB/s (a[...])' % (img.nbytes / best / 1e6))",
            "print('python: blosc2 %s' % blosc2.__version__)"));
        ProcessBuilder pb = new ProcessBuilder(python, "-c", script, raw.toString(), dir.resolve("py.b2nd").toString(),
            String.valueOf(rounds)).inheritIO();
        try {
          pb.start().waitFor();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    } finally {
      for (String f : new String[] {"image.u16", "image.b2nd", "py.b2nd"}) {
        Files.deleteIfExists(dir.resolve(f));
      }
      Files.deleteIfExists(dir);
    }
  }
}
