package io.omearrow.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * Runs the comparative benchmark suite: every registered {@link BenchCase} (or those named), each
 * followed by its baselines in the same process, and reports medians, throughput and ratios as a
 * table, as JSON (the shape shared/CLI.md gives for {@code ome-arrow bench --json}) or as a
 * Markdown report.
 */
public final class BenchHarness {
  private final boolean quick;
  private final List<String> only;
  private final Consumer<String> progress;

  /**
   * @param quick fewer repetitions (the data sizes stay those of the named figures)
   * @param only case names to run (prefixes allowed), empty for all
   * @param progress receives one line per step (stderr in the CLI)
   */
  public BenchHarness(boolean quick, List<String> only, Consumer<String> progress) {
    this.quick = quick;
    this.only = List.copyOf(only);
    this.progress = progress;
  }

  /** Every case on the class path, in registration order. */
  public static List<BenchCase> registeredCases() {
    List<BenchCase> cases = new ArrayList<>();
    ServiceLoader.load(BenchCase.class, BenchHarness.class.getClassLoader()).forEach(cases::add);
    return cases;
  }

  private boolean selected(String name) {
    return only.isEmpty() || only.stream().anyMatch(o -> name.equals(o) || name.startsWith(o + "."));
  }

  /** Runs the selected cases with a fresh work folder and allocator. */
  public List<BenchResult> run(List<BenchCase> cases) throws IOException {
    Path work = Files.createTempDirectory("ome-arrow-bench");
    List<BenchResult> results = new ArrayList<>();
    int warm = quick ? 1 : 3;
    int runs = quick ? 3 : 10;
    try (BufferAllocator allocator = new RootAllocator()) {
      BenchContext ctx = new BenchContext(work, allocator, quick);
      for (BenchCase c : cases) {
        if (!selected(c.name())) {
          continue;
        }
        progress.accept("bench: " + c.name());
        results.add(runOne(c, ctx, warm, runs));
      }
    } finally {
      deleteTree(work);
    }
    return results;
  }

  private BenchResult runOne(BenchCase c, BenchContext ctx, int warm, int runs) {
    try (c) {
      c.setUp(ctx);
      Timing ours = Timing.time(c::run, warm, runs);
      double med = ours.median();
      double mbs = c.payloadBytes() / 1e6 / (med / 1e3);
      Map<String, BenchResult.BaselineResult> bl = new LinkedHashMap<>();
      for (Baseline b : c.baselines()) {
        progress.accept("bench: " + c.name() + " vs " + b.name());
        Timing t;
        try {
          t = b.measure(ctx, warm, runs);
        } catch (Exception e) {
          t = Timing.missing(b.name() + " failed: " + e);
        }
        bl.put(b.name(), t.isMissing() ? new BenchResult.BaselineResult(Double.NaN, Double.NaN, t.missingReason())
            : new BenchResult.BaselineResult(t.median(), med / t.median(), null));
      }
      return new BenchResult(c.name(), med, mbs, bl, null);
    } catch (Exception e) {
      return new BenchResult(c.name(), Double.NaN, Double.NaN, Map.of(), e.toString());
    }
  }

  /** The machine facts printed with every report. */
  public static Map<String, Object> machine() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    m.put("cpu", cpuModel());
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("max_heap_mb", Runtime.getRuntime().maxMemory() / (1 << 20));
    m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    m.put("jvm_args", ManagementFactory.getRuntimeMXBean().getInputArguments());
    return m;
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).strip();
        }
      }
    } catch (IOException | RuntimeException ignored) {
      // not Linux: report the architecture only
    }
    return System.getProperty("os.arch");
  }

  /** The JSON form of shared/CLI.md. */
  public static String json(List<BenchResult> results) throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("machine", machine());
    List<Object> rs = new ArrayList<>();
    for (BenchResult r : results) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("name", r.name());
      o.put("median_ms", finite(r.medianMs()));
      o.put("mb_per_s", finite(r.mbPerS()));
      Map<String, Object> bl = new LinkedHashMap<>();
      r.baselines().forEach((k, v) -> {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("median_ms", finite(v.medianMs()));
        b.put("ratio", finite(v.ratio()));
        if (v.missing() != null) {
          b.put("missing", v.missing());
        }
        bl.put(k, b);
      });
      o.put("baselines", bl);
      if (r.error() != null) {
        o.put("error", r.error());
      }
      rs.add(o);
    }
    root.put("results", rs);
    return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
  }

  private static Double finite(double d) {
    return Double.isFinite(d) ? Math.round(d * 1000.0) / 1000.0 : null;
  }

  /** A plain-text table: operation, median, throughput, and each baseline's median and ratio. */
  public static String table(List<BenchResult> results) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-28s %11s %11s  %s%n", "operation", "median ms", "MB/s", "baselines (median ms, ours/baseline)"));
    for (BenchResult r : results) {
      sb.append(String.format(Locale.ROOT, "%-28s %11s %11s  ", r.name(), fmt(r.medianMs()), fmt(r.mbPerS())));
      if (r.error() != null) {
        sb.append("ERROR ").append(r.error());
      }
      List<String> parts = new ArrayList<>();
      r.baselines().forEach((k, v) -> parts.add(v.missing() != null ? k + ": missing (" + v.missing() + ")"
          : String.format(Locale.ROOT, "%s: %s ms, ratio %.2f", k, fmt(v.medianMs()), v.ratio())));
      sb.append(String.join("; ", parts)).append('\n');
    }
    return sb.toString();
  }

  /** The Markdown report written to docs/benchmarks.md by a full run. */
  public static String markdown(List<BenchResult> results, String command) {
    StringBuilder sb = new StringBuilder("# Benchmark results\n\n");
    sb.append("Produced by `").append(command).append("` (every figure of a row measured in the same run, same process, same data;")
        .append(" medians; ratio = our time / baseline time, below 1 means we are faster).\n\n");
    sb.append("Machine:\n\n");
    machine().forEach((k, v) -> sb.append("- ").append(k).append(": ").append(v).append('\n'));
    sb.append("\n| operation | median ms | MB/s | baseline | baseline median ms | ratio |\n|---|---:|---:|---|---:|---:|\n");
    for (BenchResult r : results) {
      if (r.baselines().isEmpty()) {
        sb.append("| ").append(r.name()).append(" | ").append(fmt(r.medianMs())).append(" | ").append(fmt(r.mbPerS()))
            .append(" | ").append(r.error() == null ? "" : "error: " + r.error()).append(" | | |\n");
      }
      boolean first = true;
      for (var e : r.baselines().entrySet()) {
        var v = e.getValue();
        sb.append("| ").append(first ? r.name() : "").append(" | ").append(first ? fmt(r.medianMs()) : "").append(" | ")
            .append(first ? fmt(r.mbPerS()) : "").append(" | ").append(e.getKey()).append(" | ")
            .append(v.missing() != null ? "missing: " + v.missing() : fmt(v.medianMs())).append(" | ")
            .append(v.missing() != null ? "" : String.format(Locale.ROOT, "%.2f", v.ratio())).append(" |\n");
        first = false;
      }
    }
    return sb.toString();
  }

  private static String fmt(double d) {
    if (!Double.isFinite(d)) {
      return "-";
    }
    return d >= 100 ? String.format(Locale.ROOT, "%.0f", d) : String.format(Locale.ROOT, "%.3g", d);
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (var s = Files.walk(p)) {
      for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(x);
      }
    }
  }
}
