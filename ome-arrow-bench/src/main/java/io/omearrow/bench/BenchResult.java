package io.omearrow.bench;

import java.util.Map;

/**
 * The outcome of one case: our median time and throughput, and each baseline's median with our
 * time divided by it ({@code ratio} below 1 means we are faster).
 */
public record BenchResult(String name, double medianMs, double mbPerS, Map<String, BaselineResult> baselines, String error) {

  /** A baseline's figures, or why it is missing. */
  public record BaselineResult(double medianMs, double ratio, String missing) {}
}
