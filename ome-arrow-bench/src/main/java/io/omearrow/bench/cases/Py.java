package io.omearrow.bench.cases;

import io.omearrow.bench.PythonBaseline;
import java.util.List;

/**
 * Python baselines with a shared timing loop: the case's code defines {@code op()} (and any
 * untimed set-up, reading the case's arguments from {@code ARGS}); the loop runs it
 * {@code warmups} times untimed and {@code runs} times timed with {@code time.perf_counter},
 * and prints {@code TIMES_MS ...} as {@link PythonBaseline} expects.
 */
final class Py {
  private Py() {}

  private static final String HEAD = String.join("\n",
      "import sys, time",
      "WARM, RUNS = int(sys.argv[1]), int(sys.argv[2])",
      "ARGS = sys.argv[3:]",
      "");

  private static final String TAIL = String.join("\n",
      "",
      "for _ in range(WARM):",
      "    op()",
      "_t = []",
      "for _ in range(RUNS):",
      "    _s = time.perf_counter()",
      "    op()",
      "    _t.append((time.perf_counter() - _s) * 1e3)",
      "print('TIMES_MS ' + ' '.join('%.4f' % x for x in _t))",
      "");

  /** A baseline whose Python {@code body} defines {@code op()}. */
  static PythonBaseline baseline(String name, List<String> modules, String body, String... args) {
    return new PythonBaseline(name, modules, HEAD + body + TAIL, List.of(args));
  }

  /** Lines joined with newlines. */
  static String lines(String... l) {
    return String.join("\n", l);
  }
}
