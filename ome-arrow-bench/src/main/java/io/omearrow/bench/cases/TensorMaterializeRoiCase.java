package io.omearrow.bench.cases;

import io.omearrow.bench.Baseline;
import io.omearrow.bench.BenchCase;
import io.omearrow.bench.BenchContext;
import io.omearrow.core.OmeImage;
import io.omearrow.core.OmeImageBuilder;
import io.omearrow.core.PixelType;
import io.omearrow.memory.AlignedBuffers;
import io.omearrow.tensor.Selection;
import io.omearrow.tensor.Tensor;
import io.omearrow.tensor.TensorView;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;

/**
 * {@code tensor.materialize-roi}: a 512×512 ROI at (300, 700) (9 chunks, partial rows) out of a
 * 2048×2048 uint16 plane held in memory as 256×256 list chunks, materialised with
 * {@link TensorView#copyTo} into an existing 64-byte aligned Arrow buffer, which is the work of
 * the {@code memcpy} baseline (the same 512 KiB copied between two existing aligned segments)
 * plus the gather from 9 chunks. One run is {@value #BATCH} materialisations so a run lasts
 * milliseconds. {@link Allocating} ({@code tensor.materialize-roi-alloc}) times
 * {@link TensorView#materialize} instead, a new buffer per ROI, against allocating the same
 * buffer and copying into it.
 */
public class TensorMaterializeRoiCase implements BenchCase {
  /** {@code tensor.materialize-roi-alloc}: a new aligned tensor per ROI, allocation included. */
  public static final class Allocating extends TensorMaterializeRoiCase {
    /** Creates the case (for ServiceLoader). */
    public Allocating() {
      super(true);
    }
  }

  private final boolean allocating;
  private ArrowBuf target;
  private MemorySegment targetSegment;

  /** Creates the case (for ServiceLoader). */
  public TensorMaterializeRoiCase() {
    this(false);
  }

  private TensorMaterializeRoiCase(boolean allocating) {
    this.allocating = allocating;
  }

  static final int BATCH = 256;
  /**
   * Batches run before timing (about 10,000 materialisations in quick runs, 30,000 otherwise):
   * on a loaded machine the copy path reaches its compiled speed only after thousands of calls.
   */
  private static int warmBatches(BenchContext ctx) {
    return ctx.quick() ? 40 : 120;
  }
  private static final long ROI_BYTES = ParquetLazyRoiCase.ROI.area() * 2;

  private BenchContext ctx;
  private Arena arena;
  private OmeImage image;
  private TensorView view;

  @Override
  public String name() {
    return allocating ? "tensor.materialize-roi-alloc" : "tensor.materialize-roi";
  }

  @Override
  public long payloadBytes() {
    return BATCH * ROI_BYTES;
  }

  @Override
  public void setUp(BenchContext ctx) throws Exception {
    this.ctx = ctx;
    arena = Arena.ofShared();
    MemorySegment plane = Inputs.pixels(ctx, arena).asSlice(0, Inputs.PLANE_BYTES);
    image = OmeImageBuilder.of(PixelType.UINT16, 1, 1, 1, Inputs.SIZE, Inputs.SIZE).chunkShape(1, 256, 256).fromSegment(plane, ctx.allocator());
    view = TensorView.of(image, Selection.all().withRoi(ParquetLazyRoiCase.ROI).withLayout("YX"));
    target = AlignedBuffers.allocate(ctx.allocator(), ROI_BYTES);
    targetSegment = Inputs.segment(target);
    Inputs.warm(this::run, Inputs.warmMillis(ctx), warmBatches(ctx));
  }

  @Override
  public void run() {
    if (!allocating) {
      for (int i = 0; i < BATCH; i++) {
        view.copyTo(targetSegment);
      }
      return;
    }
    for (int i = 0; i < BATCH; i++) {
      try (Tensor t = view.materialize(ctx.allocator())) {
        if (t.byteSize() != ROI_BYTES) {
          throw new IllegalStateException("ROI of " + t.byteSize() + " bytes");
        }
      }
    }
  }

  @Override
  public List<Baseline> baselines() {
    MemorySegment src = arena.allocate(ROI_BYTES, 64).fill((byte) 1);
    MemorySegment dst = arena.allocate(ROI_BYTES, 64);
    Baseline.Op copy = allocating ? () -> {
      for (int i = 0; i < BATCH; i++) {
        try (ArrowBuf b = AlignedBuffers.allocate(ctx.allocator(), ROI_BYTES)) {
          MemorySegment.copy(src, 0, Inputs.segment(b), 0, ROI_BYTES);
        }
      }
    } : () -> {
      for (int i = 0; i < BATCH; i++) {
        MemorySegment.copy(src, 0, dst, 0, ROI_BYTES);
      }
    };
    return List.of(new Baseline() {
      @Override
      public String name() {
        return allocating ? "alloc+memcpy" : "memcpy";
      }

      @Override
      public io.omearrow.bench.Timing measure(BenchContext c, int warmups, int runs) throws Exception {
        Inputs.warm(copy, Inputs.warmMillis(c), warmBatches(c));
        return io.omearrow.bench.Timing.time(copy, warmups, runs);
      }
    });
  }

  @Override
  public void close() {
    if (target != null) {
      target.close();
      target = null;
    }
    if (image != null) {
      image.close();
    }
    if (arena != null) {
      arena.close();
    }
  }
}
