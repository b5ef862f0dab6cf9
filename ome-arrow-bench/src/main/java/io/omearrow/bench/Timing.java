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

  /** Runs {@code op} {@code warmups} times untimed, then {@code runs} times timed. */
  public static Timing time(Baseline.Op op, int warmups, int runs) throws Exception {
    for (int i = 0; i < warmups; i++) {
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
