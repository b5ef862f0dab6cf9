package io.omearrow.bench.tensor;

import io.omearrow.core.ChunkCompression;
import io.omearrow.core.OmeImage;
import io.omearrow.core.OmeImageBuilder;
import io.omearrow.core.PixelType;
import io.omearrow.tensor.Tensor;
import io.omearrow.tensor.TensorIterator;
import io.omearrow.tensor.TensorView;
import io.omearrow.tensor.ViewSequence;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * A paired companion to {@link TilePrefetchBench} for noisy shared machines: the same image and
 * items, with no prefetch and with prefetch(4) on 1, 2 and 4 workers, run round-robin (one full
 * pass of 1024 items each per round) in one JVM so every configuration sees the same load; prints
 * the median items per second of each and its ratio to no prefetch.
 * Run: {@code java -cp ... io.omearrow.bench.tensor.PrefetchPaired [list|zstd] [rounds]}.
 */
public final class PrefetchPaired {
  private PrefetchPaired() {}

  public static void main(String[] args) {
    String storage = args.length > 0 ? args[0] : "list";
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    int[] workers = {0, 1, 2, 4};
    try (BufferAllocator allocator = new RootAllocator()) {
      short[] v = new short[64 * 1024 * 1024];
      for (int i = 0; i < v.length; i++) {
        v[i] = (short) (i * 31 + (i >>> 10));
      }
      OmeImageBuilder b = OmeImageBuilder.of(PixelType.UINT16, 1, 1, 64, 1024, 1024).chunkShape(1, 256, 256);
      if (storage.equals("zstd")) {
        b.encoding("bytes").chunkCompression(ChunkCompression.ZSTD);
      }
      try (OmeImage image = b.fromArray(v, allocator)) {
        v = null;
        ViewSequence base = TensorView.of(image).iterTiles3d(1, 256, 256);
        ViewSequence[] seqs = new ViewSequence[workers.length];
        for (int k = 0; k < workers.length; k++) {
          seqs[k] = workers[k] == 0 ? base : base.prefetch(4).workers(workers[k]);
        }
        double[][] rate = new double[workers.length][rounds];
        for (int r = -3; r < rounds; r++) {
          for (int k = 0; k < workers.length; k++) {
            long t0 = System.nanoTime();
            int n = pass(seqs[k], allocator);
            double perSecond = n / ((System.nanoTime() - t0) / 1e9);
            if (r >= 0) {
              rate[k][r] = perSecond;
            }
          }
        }
        double none = median(rate[0]);
        for (int k = 0; k < workers.length; k++) {
          double m = median(rate[k]);
          System.out.printf("storage=%s workers=%d %s: %.0f items/s, ratio to no prefetch %.2f%n", storage, workers[k],
              workers[k] == 0 ? "(no prefetch)" : "(prefetch 4)", m, m / none);
        }
      }
    }
  }

  private static int pass(ViewSequence seq, BufferAllocator allocator) {
    int n = 0;
    long sum = 0;
    try (TensorIterator it = seq.iterator(allocator)) {
      while (it.hasNext()) {
        try (Tensor t = it.next()) {
          MemorySegment s = t.segment();
          for (long o = 0; o < s.byteSize(); o += 8) {
            sum += s.get(ValueLayout.JAVA_LONG_UNALIGNED, o);
          }
          n++;
        }
      }
    }
    if (sum == 42) {
      System.out.print("");
    }
    return n;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
