package io.omearrow.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A baseline run by a Python library in a subprocess that times itself in-process (so interpreter
 * start-up is not counted). The script receives {@code warmups runs} followed by the case's
 * arguments in {@code sys.argv[1:]}, defines the work as it likes, and prints one line
 * {@code TIMES_MS <t1> <t2> ...} with one figure per timed run. The interpreter is
 * {@code $OME_ARROW_PYTHON}, else {@code .venv/bin/python} in the working directory, else
 * {@code python3}; when it or a module is missing the baseline is reported missing, never faked.
 */
public final class PythonBaseline implements Baseline {
  private final String name;
  private final String script;
  private final List<String> modules;
  private final List<String> args;

  public PythonBaseline(String name, List<String> modules, String script, List<String> args) {
    this.name = name;
    this.modules = List.copyOf(modules);
    this.script = script;
    this.args = List.copyOf(args);
  }

  @Override
  public String name() {
    return name;
  }

  /** The interpreter used for Python baselines. */
  public static String interpreter() {
    String env = System.getenv("OME_ARROW_PYTHON");
    if (env != null && !env.isBlank()) {
      return env;
    }
    for (Path base = Path.of("").toAbsolutePath(); base != null; base = base.getParent()) {
      Path venv = base.resolve(".venv/bin/python");
      if (Files.isExecutable(venv)) {
        return venv.toString();
      }
    }
    return "python3";
  }

  @Override
  public Timing measure(BenchContext ctx, int warmups, int runs) throws Exception {
    String py = interpreter();
    String probe = "import " + String.join(", ", modules);
    Result check = exec(List.of(py, "-c", probe));
    if (check.code != 0) {
      return Timing.missing(py + " cannot import " + String.join(", ", modules));
    }
    List<String> cmd = new ArrayList<>(List.of(py, "-c", script, Integer.toString(warmups), Integer.toString(runs)));
    cmd.addAll(args);
    Result r = exec(cmd);
    if (r.code != 0) {
      return Timing.missing(name + " failed: " + r.err.strip().lines().reduce((a, b) -> b).orElse("exit " + r.code));
    }
    for (String line : r.out.split("\n")) {
      if (line.startsWith("TIMES_MS ")) {
        String[] parts = line.substring(9).trim().split("\\s+");
        double[] ms = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
          ms[i] = Double.parseDouble(parts[i]);
        }
        return Timing.of(ms);
      }
    }
    return Timing.missing(name + " printed no TIMES_MS line");
  }

  private record Result(int code, String out, String err) {}

  private static Result exec(List<String> cmd) throws Exception {
    Path out = Files.createTempFile("bench-py", ".out");
    Path err = Files.createTempFile("bench-py", ".err");
    try {
      Process p;
      try {
        p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      } catch (java.io.IOException e) {
        return new Result(127, "", e.getMessage());
      }
      if (!p.waitFor(10, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        return new Result(124, "", "timed out");
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
