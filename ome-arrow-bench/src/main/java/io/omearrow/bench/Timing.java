package io.omearrow.bench;

import java.util.Arrays;

/**
 * Times of repeated runs in milliseconds, or the reason no time could be taken.
 *
 * @param millis one entry per timed run (empty when missing)
 * @param missingReason null when measured
 */
public record Timing(double[] millis, String missingReason) {

  public static Timing of(double[] millis) {
    return new Timing(millis.clone(), null);
  }

  public static Timing missing(String reason) {
    return new Timing(new double[0], reason);
  }

  public boolean isMissing() {
    return missingReason != null;
  }

  /** Median of the runs. */
  public double median() {
    double[] s = millis.clone();
    Arrays.sort(s);
    int n = s.length;
    return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  /**
   * Untimed warm-up of at least this long (when any warm-up is asked for), so the JIT has compiled
   * the hot loops: one second was not enough for the Blosc2 decoder on a loaded 2-core machine.
   */
  static final long MIN_WARMUP_NANOS = 2_000_000_000L;
  private static final int MAX_EXTRA_WARMUPS = 500;

  /**
   * Runs {@code op} {@code warmups} times untimed (and more, up to two seconds in all, when
   * {@code warmups > 0}), then {@code runs} times timed.
   */
  public static Timing time(Baseline.Op op, int warmups, int runs) throws Exception {
    long warmStart = System.nanoTime();
    for (int i = 0; i < warmups; i++) {
      op.run();
    }
    for (int i = 0; warmups > 0 && i < MAX_EXTRA_WARMUPS && System.nanoTime() - warmStart < MIN_WARMUP_NANOS; i++) {
      op.run();
    }
    double[] t = new double[runs];
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      op.run();
      t[i] = (System.nanoTime() - start) / 1e6;
    }
    return of(t);
  }
}
