package io.omearrow.cli;

import io.omearrow.bench.BenchHarness;
import io.omearrow.bench.BenchResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ome-arrow bench}: the comparative benchmark suite of ome-arrow-bench. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Run the comparative benchmarks: median time, throughput and the ratio to each baseline measured in the same run.")
public final class BenchCommand implements Callable<Integer> {
  @Option(names = "--quick", description = "fewer repetitions (finishes in about two minutes on 2 cores)")
  boolean quick;

  @Option(names = "--only", split = ",", paramLabel = "NAME", description = "run only these results (names or prefixes, e.g. parquet,tiff.read.uncompressed)")
  List<String> only = new ArrayList<>();

  @Option(names = "--out", paramLabel = "REPORT.md", description = "also write a Markdown report (machine, command, table)")
  Path out;

  @Option(names = "--json", description = "print one JSON object on stdout")
  boolean json;

  @Option(names = "--quiet", description = "no progress lines on stderr")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    BenchHarness h = new BenchHarness(quick, only, line -> {
      if (!quiet) {
        System.err.println(line);
      }
    });
    List<BenchResult> results = h.run(BenchHarness.registeredCases());
    if (json) {
      System.out.println(BenchHarness.json(results));
    } else {
      System.out.print(BenchHarness.table(results));
    }
    if (out != null) {
      StringBuilder cmd = new StringBuilder("./ome-arrow bench");
      if (quick) {
        cmd.append(" --quick");
      }
      if (!only.isEmpty()) {
        cmd.append(" --only ").append(String.join(",", only));
      }
      cmd.append(" --out ").append(out);
      Files.writeString(out, BenchHarness.markdown(results, cmd.toString()), StandardCharsets.UTF_8);
    }
    return 0;
  }
}
