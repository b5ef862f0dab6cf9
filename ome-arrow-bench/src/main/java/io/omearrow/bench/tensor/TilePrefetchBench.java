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
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Tile iteration over 64 planes of 1024×1024 uint16 (Z=64, chunks 256×256, see {@link #storage}): 3-D tiles of
 * 1×256×256 (1024 items of 128 KiB), each materialised, consumed (one read pass over every
 * value, the least a training step does) and closed. {@code workers} 0 is the synchronous
 * iterator (no prefetch); 1, 2, 4 use prefetch(4) with that many worker threads. The score is
 * items per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TilePrefetchBench {
  private static final int ITEMS = 64 * 16;

  @Param({"0", "1", "2", "4"})
  public int workers;

  /** "list": uncompressed list chunks (copy-bound); "zstd": zstd byte chunks (decode-bound). */
  @Param({"list", "zstd"})
  public String storage;

  private BufferAllocator allocator;
  private OmeImage image;
  private ViewSequence items;

  @Setup(Level.Trial)
  public void setup() {
    allocator = new RootAllocator();
    short[] v = new short[64 * 1024 * 1024];
    for (int i = 0; i < v.length; i++) {
      v[i] = (short) (i * 31 + (i >>> 10));
    }
    OmeImageBuilder b = OmeImageBuilder.of(PixelType.UINT16, 1, 1, 64, 1024, 1024).chunkShape(1, 256, 256);
    if (storage.equals("zstd")) {
      b.encoding("bytes").chunkCompression(ChunkCompression.ZSTD);
    }
    image = b.fromArray(v, allocator);
    ViewSequence seq = TensorView.of(image).iterTiles3d(1, 256, 256);
    items = workers == 0 ? seq : seq.prefetch(4).workers(workers);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    image.close();
    allocator.close();
  }

  @Benchmark
  @OperationsPerInvocation(ITEMS)
  public long iterate() {
    long sum = 0;
    try (TensorIterator it = items.iterator(allocator)) {
      while (it.hasNext()) {
        try (Tensor t = it.next()) {
          MemorySegment s = t.segment();
          for (long o = 0; o < s.byteSize(); o += 8) {
            sum += s.get(ValueLayout.JAVA_LONG_UNALIGNED, o);
          }
        }
      }
    }
    return sum;
  }
}
