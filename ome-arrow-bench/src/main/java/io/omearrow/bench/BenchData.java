package io.omearrow.bench;

import java.util.Random;

/**
 * Generated benchmark inputs: image-like uint16 planes (a smooth field plus noise, so codecs
 * see realistic entropy), deterministic per seed.
 */
public final class BenchData {
  private BenchData() {}

  /** {@code planes} planes of {@code h}×{@code w} uint16 in C order (plane, y, x). */
  public static short[] imageLike(int planes, int h, int w, long seed) {
    short[] out = new short[Math.multiplyExact(Math.multiplyExact(planes, h), w)];
    Random r = new Random(seed);
    int i = 0;
    for (int p = 0; p < planes; p++) {
      double phase = r.nextDouble() * Math.PI;
      for (int y = 0; y < h; y++) {
        double sy = Math.sin(y * 0.013 + phase);
        for (int x = 0; x < w; x++) {
          double v = 2000 + 1500 * sy * Math.cos(x * 0.011 - phase) + 300 * Math.sin((x + y) * 0.002);
          out[i++] = (short) Math.max(0, Math.min(65535, (int) (v + r.nextGaussian() * 40)));
        }
      }
    }
    return out;
  }
}
