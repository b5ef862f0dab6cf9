package io.omearrow.bench.tiff;

import io.omearrow.core.ImageMetadata;
import io.omearrow.core.PixelType;
import io.omearrow.core.PixelsMeta;
import io.omearrow.io.tiff.TiffSource;
import io.omearrow.source.ImageSource;
import io.omearrow.source.OpenOptions;
import io.omearrow.source.SourceInfo;
import io.omearrow.source.WriteOptions;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * The TIFF read benchmark behind docs/tiff.md: writes two test files with our OME-TIFF writer
 * (2048 x 2048 uint16 pages; one uncompressed striped, one Deflate-tiled 256 x 256) and times, in
 * the same run, our reader against the JDK's javax.imageio TIFF reader (uncompressed) and against
 * tifffile + imagecodecs timed by its own in-process timer in a Python subprocess (Deflate).
 * Reports the best of {@code reps} full passes over all pages, over three interleaved rounds, as
 * GB/s of decoded pixels.
 *
 * <p>Usage: {@code TiffReadBenchmark [dir] [pages] [reps] [python]}; defaults
 * {@code /tmp/ome-arrow-tiff-bench 16 5}, Python from {@code OME_ARROW_PYTHON} or {@code python3}.
 */
public final class TiffReadBenchmark {
  private static final int SIZE = 2048;
  private static final int ROUNDS = 3;

  private TiffReadBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/ome-arrow-tiff-bench");
    int pages = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    int reps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    String python = args.length > 3 ? args[3] : System.getenv().getOrDefault("OME_ARROW_PYTHON", "python3");
    Files.createDirectories(dir);
    Path raw = dir.resolve("u16_2048_raw.tif");
    Path deflate = dir.resolve("u16_2048_deflate_tiled.ome.tif");
    try (Synthetic src = new Synthetic(pages)) {
      if (!Files.exists(raw)) {
        io.omearrow.io.tiff.OmeTiffWriter.write(List.of(src), raw, WriteOptions.defaults().withCompression("none"));
      }
      if (!Files.exists(deflate)) {
        io.omearrow.io.tiff.OmeTiffWriter.write(List.of(src), deflate,
            WriteOptions.defaults().withCompression("zlib").withTileSize(new int[] {256, 256}));
      }
    }
    long bytes = (long) pages * SIZE * SIZE * 2;
    int threads = Runtime.getRuntime().availableProcessors();
    System.out.printf(Locale.ROOT, "# %d pages of %d x %d uint16 (%.1f MB decoded), best of %d passes, %d CPUs, %s%n", pages, SIZE, SIZE,
        bytes / 1e6, reps, threads, Runtime.version());
    System.out.printf(Locale.ROOT, "# files: %s (%.1f MB), %s (%.1f MB)%n", raw.getFileName(), Files.size(raw) / 1e6,
        deflate.getFileName(), Files.size(deflate) / 1e6);
    // The rounds interleave the readers so that a machine whose load changes affects all of them alike.
    double[] best = new double[5];
    java.util.Arrays.fill(best, Double.MAX_VALUE);
    java.util.Map<String, Double> py = new java.util.LinkedHashMap<>();
    for (int round = 0; round < ROUNDS; round++) {
      best[0] = Math.min(best[0], best(reps, () -> readOurs(raw, 1)));
      best[1] = Math.min(best[1], best(reps, () -> readImageIo(raw)));
      System.setProperty(TiffSource.PARALLEL_DECODE_PROPERTY, "false");
      best[2] = Math.min(best[2], best(reps, () -> readOurs(deflate, 1)));
      System.clearProperty(TiffSource.PARALLEL_DECODE_PROPERTY);
      best[3] = Math.min(best[3], best(reps, () -> readOurs(deflate, 1)));
      best[4] = Math.min(best[4], best(reps, () -> readOurs(deflate, threads)));
      tifffile(python, deflate, reps).forEach((k, v) -> py.merge(k, v, Math::min));
    }
    report("uncompressed strips", "ome-arrow TiffSource, 1 thread", bytes, best[0]);
    report("uncompressed strips", "javax.imageio TIFF reader, 1 thread", bytes, best[1]);
    report("Deflate tiles 256", "ome-arrow TiffSource, 1 thread", bytes, best[2]);
    report("Deflate tiles 256", "ome-arrow TiffSource, tiles decoded on the common pool", bytes, best[3]);
    report("Deflate tiles 256", "ome-arrow TiffSource, " + threads + " threads reading planes", bytes, best[4]);
    py.forEach((k, v) -> report("Deflate tiles 256", k, bytes, v));
  }

  private interface Run {
    void run() throws Exception;
  }

  private static double best(int reps, Run r) throws Exception {
    r.run(); // warm-up: JIT and page cache
    double best = Double.MAX_VALUE;
    for (int i = 0; i < reps; i++) {
      long t0 = System.nanoTime();
      r.run();
      best = Math.min(best, (System.nanoTime() - t0) / 1e9);
    }
    return best;
  }

  private static void report(String file, String reader, long bytes, double seconds) {
    System.out.printf(Locale.ROOT, "| %s | %s | %.3f s | %.2f GB/s |%n", file, reader, seconds, bytes / seconds / 1e9);
  }

  private static volatile long sink;

  private static void readOurs(Path file, int threads) throws Exception {
    try (TiffSource s = TiffSource.open(file, OpenOptions.defaults())) {
      PixelsMeta p = s.pixels();
      int planes = (int) p.planeCount();
      if (threads == 1) {
        try (Arena a = Arena.ofConfined()) {
          MemorySegment plane = a.allocate(p.planeBytes(), 64);
          for (int z = 0; z < planes; z++) {
            s.readPlane(0, 0, z, plane);
            sink += plane.get(ValueLayout.JAVA_BYTE, z);
          }
        }
        return;
      }
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<?>> f = new ArrayList<>();
        for (int k = 0; k < threads; k++) {
          int first = k;
          f.add(pool.submit(() -> {
            try (Arena a = Arena.ofConfined()) {
              MemorySegment plane = a.allocate(p.planeBytes(), 64);
              for (int z = first; z < planes; z += threads) {
                s.readPlane(0, 0, z, plane);
                sink += plane.get(ValueLayout.JAVA_BYTE, z);
              }
            }
          }));
        }
        for (Future<?> x : f) {
          x.get();
        }
      } finally {
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.MINUTES);
      }
    }
  }

  private static void readImageIo(Path file) throws IOException {
    Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName("tiff");
    ImageReader reader = it.next();
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      reader.setInput(in, false, true);
      int n = reader.getNumImages(true);
      ImageReadParam param = reader.getDefaultReadParam();
      param.setDestination(new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_USHORT_GRAY));
      for (int i = 0; i < n; i++) {
        BufferedImage img = reader.read(i, param);
        sink += img.getRaster().getSample(i, 0, 0);
      }
    } finally {
      reader.dispose();
    }
  }

  /** tifffile's own timings (seconds, best of {@code reps}) by label, from a Python subprocess. */
  private static java.util.Map<String, Double> tifffile(String python, Path file, int reps) throws Exception {
    String script = String.join("\n",
        "import sys, time, tifffile, imagecodecs",
        "path, reps = sys.argv[1], int(sys.argv[2])",
        "with tifffile.TiffFile(path) as tf:",
        "    s = tf.series[0]",
        "    for workers, label in ((1, '1 thread'), (None, 'default maxworkers')):",
        "        a = s.asarray(maxworkers=workers)",
        "        best = 1e9",
        "        for _ in range(reps):",
        "            t0 = time.perf_counter(); a = s.asarray(maxworkers=workers); best = min(best, time.perf_counter() - t0)",
        "        print('tifffile %s + imagecodecs %s, %s=%.6f' % (tifffile.__version__, imagecodecs.__version__, label, best))");
    Process p = new ProcessBuilder(python, "-c", script, file.toString(), Integer.toString(reps)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    java.util.Map<String, Double> times = new java.util.LinkedHashMap<>();
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      System.out.println("# tifffile run failed (" + python + "): " + out);
      return times;
    }
    for (String line : out.strip().split("\n")) {
      int eq = line.lastIndexOf('=');
      times.put(line.substring(0, eq), Double.parseDouble(line.substring(eq + 1)));
    }
    return times;
  }

  /** Deterministic 2048 x 2048 uint16 pages: smooth gradients plus noise, so Deflate has work to do. */
  private static final class Synthetic implements ImageSource {
    private final ImageMetadata meta;

    Synthetic(int pages) {
      meta = ImageMetadata.of(PixelsMeta.of(PixelType.UINT16, 1, 1, pages, SIZE, SIZE)).withIdAndName("bench", "bench");
    }

    @Override
    public ImageMetadata metadata() {
      return meta;
    }

    @Override
    public SourceInfo info() {
      return SourceInfo.of(null, "synthetic");
    }

    @Override
    public void readRegion(int t, int c, int z, int x, int y, int w, int h, MemorySegment dst) {
      ValueLayout.OfShort le = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
      long state = 0x9E3779B97F4A7C15L * (z + 1);
      for (int r = 0; r < h; r++) {
        for (int k = 0; k < w; k++) {
          state ^= state << 13;
          state ^= state >>> 7;
          state ^= state << 17;
          int v = ((x + k) * 7 + (y + r) * 3 + z * 101 + (int) (state & 63)) & 0xFFFF;
          dst.set(le, 2L * ((long) r * w + k), (short) v);
        }
      }
    }

    @Override
    public void close() {}
  }
}
