package io.omearrow.bench.tensor;

import io.omearrow.core.OmeImage;
import io.omearrow.core.OmeImageBuilder;
import io.omearrow.core.PixelType;
import io.omearrow.tensor.Roi;
import io.omearrow.tensor.Selection;
import io.omearrow.tensor.Tensor;
import io.omearrow.tensor.TensorView;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code tensor.materialize-roi}: a 512×512 ROI out of a 2048×2048 uint16 plane stored as
 * 256×256 list chunks, against {@code memcpy} of the same 512 KiB (one MemorySegment.copy).
 * Bandwidth = 524288 bytes × ops/s. {@code aligned} puts the ROI on chunk borders (4 chunks
 * touched), otherwise at (300, 700) (9 chunks, partial rows).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MaterializeRoiBench {
  @Param({"true", "false"})
  public boolean aligned;

  private BufferAllocator allocator;
  private OmeImage image;
  private TensorView view;
  private Arena arena;
  private MemorySegment src;
  private MemorySegment dst;

  @Setup(Level.Trial)
  public void setup() {
    allocator = new RootAllocator();
    short[] v = new short[2048 * 2048];
    for (int i = 0; i < v.length; i++) {
      v[i] = (short) ((i % 2048) + (i / 2048) * 3 + (i * 2654435761L >>> 28 & 15));
    }
    image = OmeImageBuilder.of(PixelType.UINT16, 1, 1, 1, 2048, 2048).chunkShape(1, 256, 256).fromArray(v, allocator);
    Roi roi = aligned ? Roi.of(512, 512, 512, 512) : Roi.of(300, 700, 512, 512);
    view = TensorView.of(image, Selection.all().withRoi(roi).withLayout("YX"));
    arena = Arena.ofShared();
    src = arena.allocate(512L * 512 * 2, 64);
    dst = arena.allocate(512L * 512 * 2, 64);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    arena.close();
    image.close();
    allocator.close();
  }

  /** The view's ROI into a preallocated segment. */
  @Benchmark
  public MemorySegment materializeRoi() {
    view.copyTo(dst);
    return dst;
  }

  /** The view's ROI into a new 64-byte aligned Arrow buffer (allocation included). */
  @Benchmark
  public long materializeRoiAllocating() {
    try (Tensor t = view.materialize(allocator)) {
      return t.address();
    }
  }

  /** Baseline: one bulk copy of the same byte count. */
  @Benchmark
  public MemorySegment memcpy() {
    MemorySegment.copy(src, 0, dst, 0, dst.byteSize());
    return dst;
  }
}
