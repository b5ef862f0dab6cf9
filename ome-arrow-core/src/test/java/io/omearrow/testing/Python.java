package io.omearrow.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Python interpreter that cross-language tests use (pyarrow, numpy, tifffile, blosc2...).
 * The interpreter is {@code $OME_ARROW_PYTHON}, else the repository's {@code .venv/bin/python}
 * (made by .ci/run), else {@code python3} on the PATH. Tests call {@link #require} first, which
 * skips the test with a clear reason when the interpreter or a module is missing.
 */
public final class Python {
  private static final ConcurrentHashMap<String, Boolean> AVAILABLE = new ConcurrentHashMap<>();

  private Python() {}

  /** The interpreter command. */
  public static String executable() {
    String env = System.getenv("OME_ARROW_PYTHON");
    if (env != null && !env.isBlank()) {
      return env;
    }
    Path venv = TestData.repoRoot().resolve(".venv/bin/python");
    if (Files.isExecutable(venv)) {
      return venv.toString();
    }
    return "python3";
  }

  /** Skips the calling test unless Python with all the given modules can be imported. */
  public static void require(String... modules) {
    String key = String.join(",", modules);
    boolean ok = AVAILABLE.computeIfAbsent(key, k -> {
      try {
        Result r = run("import " + k, List.of());
        return r.exitCode() == 0;
      } catch (RuntimeException e) {
        return false;
      }
    });
    assumeTrue(ok, "skipped: Python interpreter '" + executable() + "' with modules [" + key
        + "] is not available (set OME_ARROW_PYTHON or run .ci/run to make .venv)");
  }

  /** The outcome of one Python run. */
  public record Result(int exitCode, String stdout, String stderr) {
    /** Throws with Python's stderr when the script failed. */
    public Result check() {
      if (exitCode != 0) {
        throw new AssertionError("Python failed (exit " + exitCode + "):\n" + stderr + "\nstdout:\n" + stdout);
      }
      return this;
    }
  }

  /** Runs a script with arguments (sys.argv[1:]), 5 minutes at most. */
  public static Result run(String script, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(executable());
    cmd.add("-c");
    cmd.add(script);
    cmd.addAll(args);
    try {
      Path out = Files.createTempFile("py-out", ".txt");
      Path err = Files.createTempFile("py-err", ".txt");
      try {
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
          p.destroyForcibly();
          throw new AssertionError("Python script timed out: " + script);
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new RuntimeException("cannot start Python '" + executable() + "': " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeException(e);
    }
  }

  /**
   * A folder holding {@code reference_structs.py} (the OME-Arrow struct types of the Python
   * package, declared independently of the Java code, and pyarrow helpers writing reference-layout
   * tables); scripts add it to {@code sys.path}. Extracted from the test jar once per JVM.
   */
  public static synchronized Path referenceModuleDir() {
    if (moduleDir == null) {
      try (var in = Python.class.getResourceAsStream("/python/reference_structs.py")) {
        if (in == null) {
          throw new IllegalStateException("reference_structs.py is missing from the test class path");
        }
        Path dir = Files.createTempDirectory("ome-arrow-py");
        Files.copy(in, dir.resolve("reference_structs.py"));
        dir.toFile().deleteOnExit();
        dir.resolve("reference_structs.py").toFile().deleteOnExit();
        moduleDir = dir;
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    }
    return moduleDir;
  }

  private static Path moduleDir;

  /** Runs a script with string arguments. */
  public static Result run(String script, String... args) {
    return run(script, List.of(args));
  }
}
