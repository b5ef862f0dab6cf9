package io.omearrow.bench.parquet;

import io.omearrow.core.ChunkCompression;
import io.omearrow.core.ChunkRef;
import io.omearrow.core.OmeImage;
import io.omearrow.core.OmeImageBuilder;
import io.omearrow.core.PixelType;
import io.omearrow.io.parquet.ParquetImages;
import io.omearrow.io.parquet.ParquetTable;
import io.omearrow.io.parquet.ParquetTableWriter;
import io.omearrow.source.ImageSource;
import io.omearrow.source.OpenOptions;
import io.omearrow.source.WriteOptions;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * The Parquet benchmarks of issue 7, as a plain main harness (warm JVM, best and median of
 * several runs, files in the page cache): full reads of list and byte encodings into Arrow, zstd
 * chunks against decompressing the same chunks alone, the lazy 512×512 ROI, and the baselines
 * (parquet-column value-at-a-time, parquet-avro GenericRecord, memcpy, pyarrow + NumPy when a
 * Python with pyarrow is found: {@code OME_ARROW_PYTHON}, else {@code .venv/bin/python}, else
 * {@code python3}).
 *
 * <p>Usage: {@code ParquetBench [workDir] [--quick]}. Prints one line per result and a Markdown
 * table.
 */
public final class ParquetBench {
  static final int T = 1;
  static final int C = 1;
  static final int Z = 4;
  static final int Y = 2048;
  static final int X = 2048;
  static final double PAYLOAD_MB = (double) T * C * Z * Y * X * 2 / 1e6;

  record Result(String name, double bestMs, double medianMs, double mbPerS, double cpuMs, String note) {}

  private final Path work;
  private final int runs;
  private final List<Result> results = new ArrayList<>();

  ParquetBench(Path work, int runs) {
    this.work = work;
    this.runs = runs;
  }

  public static void main(String[] args) throws Exception {
    Path work = args.length > 0 && !args[0].startsWith("--") ? Path.of(args[0]) : Files.createTempDirectory("ome-parquet-bench");
    boolean quick = List.of(args).contains("--quick");
    Files.createDirectories(work);
    new ParquetBench(work, quick ? 3 : 7).run();
  }

  /** Smooth gradient plus noise, 12-bit like a camera. */
  static short[] pixels() {
    short[] px = new short[T * C * Z * Y * X];
    Random r = new Random(42);
    int i = 0;
    for (int z = 0; z < Z; z++) {
      for (int y = 0; y < Y; y++) {
        for (int x = 0; x < X; x++) {
          double s = 1200 + 800 * Math.sin(x / 97.0) * Math.cos(y / 131.0) + 40 * z;
          px[i++] = (short) Math.max(0, Math.min(4095, (int) (s + r.nextGaussian() * 30)));
        }
      }
    }
    return px;
  }

  interface Body {
    void run() throws Exception;
  }

  Result time(String name, double mb, int n, String note, Body body) throws Exception {
    body.run();
    double[] ms = new double[n];
    double cpu = Double.MAX_VALUE;
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    for (int i = 0; i < n; i++) {
      long c0 = mx.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      body.run();
      ms[i] = (System.nanoTime() - t0) / 1e6;
      cpu = Math.min(cpu, (mx.getCurrentThreadCpuTime() - c0) / 1e6);
    }
    java.util.Arrays.sort(ms);
    Result r = new Result(name, ms[0], ms[n / 2], mb / (ms[0] / 1e3), cpu, note);
    results.add(r);
    System.out.printf(Locale.ROOT, "%-40s best %9.2f ms  median %9.2f ms  %9.1f MB/s  cpu %9.2f ms (%8.1f MB/s)  %s%n", name, r.bestMs(),
        r.medianMs(), r.mbPerS(), cpu, mb / (cpu / 1e3), note);
    return r;
  }

  void run() throws Exception {
    try (BufferAllocator a = new RootAllocator()) {
      short[] px = pixels();
      Path list = work.resolve("list.parquet");
      Path bytes = work.resolve("bytes.parquet");
      Path bytesZstd = work.resolve("bytes-zstd.parquet");
      Path roi = work.resolve("roi.parquet");
      try (OmeImage img = OmeImageBuilder.of(PixelType.UINT16, T, C, Z, Y, X).encoding("list").buildChunks(false).fromArray(px, a)) {
        WriteOptions w = WriteOptions.defaults();
        ParquetImages.write(List.of(img), list.toString(), w.withBuildChunks(false).withCompression("zstd"), a);
        ParquetImages.write(List.of(img), bytes.toString(), w.withEncoding("bytes").withCompression("none"), a);
        ParquetImages.write(List.of(img), bytesZstd.toString(),
            w.withEncoding("bytes").withChunkCompression(ChunkCompression.ZSTD).withCompression("none"), a);
        ParquetImages.write(List.of(img), roi.toString(), w.withBuildChunks(true).withChunkShape(new int[] {1, 256, 256}).withCompression("zstd"),
            ParquetTableWriter.Options.defaults().withRowsPerGroup(1).withPageBytes(64 * 1024).withCompression("zstd"), a);
      }
      String py = python();
      Path listPy = work.resolve("list-pyarrow.parquet");
      Path roiPy = work.resolve("roi-pyarrow.parquet");
      if (py != null) {
        // the same records re-written by pyarrow with its defaults (dictionary pages, zstd): the files users have
        python(py, "import pyarrow.parquet as pq, sys\n"
            + "for s, d in zip(sys.argv[1::2], sys.argv[2::2]):\n"
            + "    t = pq.read_table(s)\n"
            + "    pq.write_table(t, d, compression='zstd')\n", list.toString(), listPy.toString(), roi.toString(), roiPy.toString());
      }
      memcpy(a);
      readAll("parquet.read.list (file of our writer)", list, a);
      if (py != null) {
        readAll("parquet.read.list (pyarrow-written file)", listPy, a);
      }
      Baselines.parquetColumn(this, py != null ? listPy : list);
      Baselines.parquetAvro(this, py != null ? listPy : list);
      readAll("parquet.read.bytes (codec none)", bytes, a);
      zstd(bytesZstd, a);
      lazyRoi("parquet.lazy-roi (ours)", roi, a);
      if (py != null) {
        lazyRoi("parquet.lazy-roi (pyarrow-written file)", roiPy, a);
        pyarrow(py, "pyarrow read list + numpy", listPy, "list");
        pyarrow(py, "pyarrow read bytes + numpy", bytes, "bytes");
        pyarrow(py, "pyarrow read bytes-zstd + numpy", bytesZstd, "zstd");
        pyarrow(py, "pyarrow ROI via whole row group", roiPy, "roi");
      } else {
        System.out.println("pyarrow baselines: missing (no Python with pyarrow found)");
      }
      System.out.println();
      System.out.println("| result | best ms (wall) | median ms | MB/s (wall, best) | thread CPU ms (best) | note |");
      System.out.println("|---|---|---|---|---|---|");
      for (Result r : results) {
        System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %.1f | %s | %s |%n", r.name(), r.bestMs(), r.medianMs(), r.mbPerS(),
            Double.isNaN(r.cpuMs()) ? "n/a" : String.format(Locale.ROOT, "%.2f", r.cpuMs()), r.note());
      }
    }
  }

  void memcpy(BufferAllocator a) throws Exception {
    try (Arena arena = Arena.ofConfined()) {
      long n = (long) (PAYLOAD_MB * 1e6);
      MemorySegment s = arena.allocate(n, 64);
      MemorySegment d = arena.allocate(n, 64);
      time("memcpy (same bytes)", PAYLOAD_MB, runs, "", () -> MemorySegment.copy(s, 0, d, 0, n));
    }
  }

  void readAll(String name, Path file, BufferAllocator a) throws Exception {
    time(name, PAYLOAD_MB, runs, Files.size(file) / 1_000_000 + " MB file", () -> {
      try (ParquetTable t = ParquetTable.open(file.toString()); OmeImage img = t.image(0, null, a, w -> { })) {
        if (img.pixels().sizeX() != X) {
          throw new IllegalStateException();
        }
      }
    });
  }

  void zstd(Path file, BufferAllocator a) throws Exception {
    long planeBytes = (long) Y * X * 2;
    Result ours;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(planeBytes * Z, 64);
      ours = time("parquet.read.bytes-zstd (read + decode)", PAYLOAD_MB, runs, "", () -> {
        try (ParquetTable t = ParquetTable.open(file.toString()); OmeImage img = t.image(0, null, a, w -> { })) {
          for (int z = 0; z < Z; z++) {
            img.readPlane(0, 0, z, out.asSlice(z * planeBytes, planeBytes));
          }
        }
      });
      try (ParquetTable t = ParquetTable.open(file.toString()); OmeImage img = t.image(0, null, a, w -> { })) {
        List<ChunkRef> chunks = img.storedChunks();
        Result alone = time("zstd-decompress (same chunks alone)", PAYLOAD_MB, runs, chunks.size() + " chunks", () -> {
          long off = 0;
          for (ChunkRef ch : chunks) {
            ChunkCompression.decompress("zstd", ch.payload().segment(), out.asSlice(off, ch.decodedBytes()), "bench");
            off += ch.decodedBytes();
          }
        });
        System.out.printf(Locale.ROOT, "bytes-zstd / zstd alone = %.2f (goal <= 1.3)%n", ours.bestMs() / alone.bestMs());
      }
    }
  }

  void lazyRoi(String name, Path file, BufferAllocator a) throws Exception {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(512L * 512 * 2, 64);
      time(name, 512.0 * 512 * 2 / 1e6, Math.max(runs, 10), Files.size(file) / 1_000_000 + " MB file; open + 512x512 at (768,768) of z=2",
          () -> {
            try (ImageSource img = ParquetImages.open(file.toString(), OpenOptions.defaults(), a, w -> { })) {
              img.readRegion(0, 0, 2, 768, 768, 512, 512, out);
            }
          });
    }
  }

  // ----------------------------------------------------------------- Python

  static String python() {
    List<String> candidates = new ArrayList<>();
    String env = System.getenv("OME_ARROW_PYTHON");
    if (env != null && !env.isBlank()) {
      candidates.add(env);
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isExecutable(p.resolve(".venv/bin/python"))) {
        candidates.add(p.resolve(".venv/bin/python").toString());
        break;
      }
    }
    candidates.add("python3");
    for (String c : candidates) {
      try {
        python(c, "import pyarrow, numpy");
        return c;
      } catch (RuntimeException e) {
        // try the next interpreter
      }
    }
    return null;
  }

  static String python(String exe, String script, String... args) {
    try {
      List<String> cmd = new ArrayList<>(List.of(exe, "-c", script));
      cmd.addAll(List.of(args));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IllegalStateException("python failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  void pyarrow(String py, String name, Path file, String mode) {
    String script = String.join("\n",
        "import sys, time, numpy as np, pyarrow as pa, pyarrow.parquet as pq, pyarrow.compute as pc",
        "path, mode = sys.argv[1], sys.argv[2]",
        "def run():",
        "    if mode == 'roi':",
        "        f = pq.ParquetFile(path)",
        "        t = f.read_row_group(0, columns=['ome_arrow'])",
        "        ch = pc.list_flatten(pc.struct_field(t.column('ome_arrow'), 'chunks'))",
        "        sel = [i for i in range(len(ch)) if ch[i]['z'].as_py() == 2 and 768 - 255 <= ch[i]['y'].as_py() < 1280 and 768 - 255 <= ch[i]['x'].as_py() < 1280]",
        "        out = np.zeros((512, 512), np.uint16)",
        "        for i in sel:",
        "            c = ch[i]",
        "            blk = c['pixels'].values.to_numpy().reshape(c['shape_y'].as_py(), c['shape_x'].as_py())",
        "            y0, x0 = c['y'].as_py(), c['x'].as_py()",
        "            ys, xs = max(768, y0), max(768, x0)",
        "            ye, xe = min(1280, y0 + blk.shape[0]), min(1280, x0 + blk.shape[1])",
        "            out[ys-768:ye-768, xs-768:xe-768] = blk[ys-y0:ye-y0, xs-x0:xe-x0]",
        "        return out",
        "    t = pq.read_table(path)",
        "    col = t.column('ome_arrow')",
        "    if mode == 'list':",
        "        px = pc.list_flatten(pc.struct_field(pc.list_flatten(pc.struct_field(col, 'planes')), 'pixels'))",
        "        return px.to_numpy()",
        "    payload = pc.struct_field(pc.list_flatten(pc.struct_field(col, 'chunks')), 'pixel_bytes')",
        "    if mode == 'zstd':",
        "        import zstandard",
        "        d = zstandard.ZstdDecompressor()",
        "        return [np.frombuffer(d.decompress(b.as_py()), np.uint16) for b in payload]",
        "    return [np.frombuffer(b.as_buffer(), np.uint16) for b in payload]",
        "run()",
        "ts = []",
        "for i in range(7):",
        "    t0 = time.perf_counter(); run(); ts.append((time.perf_counter() - t0) * 1e3)",
        "ts.sort()",
        "print(ts[0], ts[len(ts) // 2])");
    try {
      String[] out = python(py, script, file.toString(), mode).strip().split("\\s+");
      double best = Double.parseDouble(out[out.length - 2]);
      double median = Double.parseDouble(out[out.length - 1]);
      double mb = mode.equals("roi") ? 512.0 * 512 * 2 / 1e6 : PAYLOAD_MB;
      Result r = new Result(name, best, median, mb / (best / 1e3), Double.NaN, "pyarrow " + pyVersion(py) + ", wall time, its own threads");
      results.add(r);
      System.out.printf(Locale.ROOT, "%-40s best %9.2f ms  median %9.2f ms  %9.1f MB/s%n", name, best, median, r.mbPerS());
    } catch (RuntimeException e) {
      System.out.println(name + ": missing (" + e.getMessage().lines().reduce((x, y) -> y).orElse("") + ")");
    }
  }

  static String pyVersion(String py) {
    try {
      return python(py, "import pyarrow; print(pyarrow.__version__)").strip();
    } catch (RuntimeException e) {
      return "?";
    }
  }

  List<Result> results() {
    return results;
  }

  Map<String, Result> byName() {
    Map<String, Result> m = new LinkedHashMap<>();
    results.forEach(r -> m.put(r.name(), r));
    return m;
  }
}
