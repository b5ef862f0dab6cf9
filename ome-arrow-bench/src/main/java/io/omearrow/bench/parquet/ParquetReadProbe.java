package io.omearrow.bench.parquet;

import io.omearrow.core.ChunkCompression;
import io.omearrow.core.OmeImage;
import io.omearrow.core.OmeImageBuilder;
import io.omearrow.core.PixelType;
import io.omearrow.io.parquet.ParquetImages;
import io.omearrow.memory.AlignedBuffers;
import io.omearrow.source.ImageSource;
import io.omearrow.source.OpenOptions;
import io.omearrow.source.WriteOptions;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * A small paired probe of the eager Parquet reads on a shared machine: each round runs every
 * operation once, in turn, so that load swings hit all of them alike; the report gives the
 * median wall time, the best thread CPU time and the median of the per-round ratios of each
 * read to the memcpy of the same payload measured in the same round.
 *
 * <p>Usage: {@code ParquetReadProbe [workDir] [rounds]}. Writes the list file (our writer,
 * dictionary pages, no Parquet codec), the same records rewritten by pyarrow without a codec
 * and with zstd pages when a Python with pyarrow is found, the raw byte-chunk file and the lazy-ROI file (planes plus 256×256 list chunks). {@code -Dprobe.only=TEXT} keeps only the reads whose name contains TEXT
 * (for a profiler).
 */
public final class ParquetReadProbe {
  private ParquetReadProbe() {}

  private interface Op {
    void run() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    Path work = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("ome-parquet-probe");
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 9;
    Files.createDirectories(work);
    try (BufferAllocator a = new RootAllocator()) {
      Path list = work.resolve("list.parquet");
      Path listPy = work.resolve("list-pyarrow-none.parquet");
      Path listPyZstd = work.resolve("list-pyarrow-zstd.parquet");
      Path bytes = work.resolve("bytes.parquet");
      Path roi = work.resolve("roi-chunks256.parquet");
      if (!Files.exists(list) || !Files.exists(bytes) || !Files.exists(roi)) {
        try (OmeImage img = OmeImageBuilder.of(PixelType.UINT16, 1, 1, ParquetBench.Z, ParquetBench.Y, ParquetBench.X).encoding("list")
            .buildChunks(false).fromArray(ParquetBench.pixels(), a)) {
          WriteOptions w = WriteOptions.defaults();
          ParquetImages.write(List.of(img), list.toString(), w.withBuildChunks(false).withCompression("none"), a);
          ParquetImages.write(List.of(img), bytes.toString(),
              w.withEncoding("bytes").withChunkCompression(ChunkCompression.NONE).withCompression("none"), a);
          ParquetImages.write(List.of(img), roi.toString(),
              w.withBuildChunks(true).withChunkShape(new int[] {1, 256, 256}).withCompression("none"), a);
        }
      }
      String py = ParquetBench.python();
      if (py != null && !Files.exists(listPyZstd)) {
        ParquetBench.python(py, "import pyarrow.parquet as pq, sys\nt = pq.read_table(sys.argv[1])\n"
            + "pq.write_table(t, sys.argv[2], compression='none')\npq.write_table(t, sys.argv[3], compression='zstd')\n",
            list.toString(), listPy.toString(), listPyZstd.toString());
      }
      long payload = (long) (ParquetBench.PAYLOAD_MB * 1e6);
      Map<String, Op> ops = new LinkedHashMap<>();
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment src = arena.allocate(payload, 64);
        MemorySegment dst = arena.allocate(payload, 64);
        ops.put("memcpy (warm buffers)", () -> MemorySegment.copy(src, 0, dst, 0, payload));
        ops.put("fresh AlignedBuffers + copy", () -> {
          try (ArrowBuf b = AlignedBuffers.allocate(a, payload)) {
            MemorySegment.copy(src, 0, MemorySegment.ofAddress(b.memoryAddress()).reinterpret(payload), 0, payload);
          }
        });
        ops.put("fresh Netty buffer + copy", () -> {
          try (ArrowBuf b = a.buffer(payload)) {
            MemorySegment.copy(src, 0, MemorySegment.ofAddress(b.memoryAddress()).reinterpret(payload), 0, payload);
          }
        });
        ops.put("read.list (our writer, codec none)", () -> read(list, a));
        if (Files.exists(listPy)) {
          ops.put("read.list (pyarrow, codec none)", () -> read(listPy, a));
          ops.put("read.list (pyarrow, zstd pages)", () -> read(listPyZstd, a));
        }
        ops.put("read.bytes (codec none)", () -> read(bytes, a));
        MemorySegment roiOut = arena.allocate(512L * 512 * 2, 64);
        ops.put("lazy-roi 512x512 (chunks 256, codec none)", () -> {
          try (ImageSource img = ParquetImages.open(roi.toString(), OpenOptions.defaults(), a, w -> { })) {
            img.readRegion(0, 0, 2, 768, 768, 512, 512, roiOut);
          }
        });
        String only = System.getProperty("probe.only");
        if (only != null) {
          // profiling mode: just the matching reads, over and over
          ops.keySet().removeIf(k -> !k.startsWith("memcpy") && !k.contains(only));
        }
        run(ops, rounds, payload);
      }
    }
  }

  private static void read(Path file, BufferAllocator a) {
    try (OmeImage img = ParquetImages.read(file.toString(), OpenOptions.defaults(), a, w -> { })) {
      if (img.pixels().sizeX() != ParquetBench.X) {
        throw new IllegalStateException(file + ": wrong image");
      }
    }
  }

  private static void run(Map<String, Op> ops, int rounds, long payload) throws Exception {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    List<String> names = new ArrayList<>(ops.keySet());
    double[][] wall = new double[names.size()][rounds];
    double[][] cpu = new double[names.size()][rounds];
    for (Op op : ops.values()) { // warm-up
      op.run();
      op.run();
    }
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < names.size(); i++) {
        long c0 = mx.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        ops.get(names.get(i)).run();
        wall[i][r] = (System.nanoTime() - t0) / 1e6;
        cpu[i][r] = (mx.getCurrentThreadCpuTime() - c0) / 1e6;
      }
    }
    System.out.printf(Locale.ROOT, "%-38s %10s %10s %10s %10s %12s%n", "operation", "median ms", "best ms", "cpu ms", "MB/s med", "x memcpy");
    for (int i = 0; i < names.size(); i++) {
      double[] ratio = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        ratio[r] = wall[i][r] / wall[0][r];
      }
      double med = median(wall[i]);
      System.out.printf(Locale.ROOT, "%-38s %10.2f %10.2f %10.2f %10.0f %12.2f%n", names.get(i), med, min(wall[i]), min(cpu[i]),
          payload / 1e3 / med, median(ratio));
    }
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  private static double min(double[] v) {
    return Arrays.stream(v).min().orElse(Double.NaN);
  }
}
