package io.omearrow.bench.tensor;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * A paired companion to {@link MaterializeRoiBench} for noisy shared machines: alternates rounds
 * of the ROI materialisation and of the memcpy baseline in one JVM, so both see the same load,
 * and prints the median per-round bandwidth of each and the median ratio.
 * Run: {@code java -cp ... io.omearrow.bench.tensor.RoiBandwidthPaired [aligned] [rounds]}.
 */
public final class RoiBandwidthPaired {
  private RoiBandwidthPaired() {}

  public static void main(String[] args) {
    MaterializeRoiBench b = new MaterializeRoiBench();
    b.aligned = args.length == 0 || Boolean.parseBoolean(args[0]);
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    b.setup();
    try {
      int reps = 200;
      double bytes = 512.0 * 512 * 2 * reps;
      double[] roi = new double[rounds];
      double[] mem = new double[rounds];
      double[] ratio = new double[rounds];
      for (int w = 0; w < 20; w++) {
        run(b, true, reps);
        run(b, false, reps);
      }
      for (int r = 0; r < rounds; r++) {
        long t0 = System.nanoTime();
        run(b, true, reps);
        long t1 = System.nanoTime();
        run(b, false, reps);
        long t2 = System.nanoTime();
        roi[r] = bytes / (t1 - t0);
        mem[r] = bytes / (t2 - t1);
        ratio[r] = roi[r] / mem[r];
      }
      System.out.printf("aligned=%s  roi %.2f GB/s  memcpy %.2f GB/s  median ratio %.2f%n", b.aligned, median(roi), median(mem),
          median(ratio));
    } finally {
      b.tearDown();
    }
  }

  private static MemorySegment run(MaterializeRoiBench b, boolean roi, int reps) {
    MemorySegment last = null;
    for (int i = 0; i < reps; i++) {
      last = roi ? b.materializeRoi() : b.memcpy();
    }
    return last;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
