package io.omearrow.bench.cases;

import io.omearrow.bench.Baseline;
import io.omearrow.bench.BenchCase;
import io.omearrow.bench.BenchContext;
import io.omearrow.bench.Timing;
import io.omearrow.core.OmeImage;
import io.omearrow.core.OmeImageBuilder;
import io.omearrow.core.PixelSlice;
import io.omearrow.core.PixelType;
import io.omearrow.dlpack.DlpackExporter;
import io.omearrow.dlpack.ExportOptions;
import io.omearrow.dlpack.ManagedTensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * {@code dlpack.export-arrow}: zero-copy DLPack export of a stored 4096×4096 uint16 plane (the
 * four generated 2048×2048 planes as quadrants), each export closed (deleter run) right away.
 * One run is {@value #BATCH} export+close pairs, so the median is per {@value #BATCH} exports and
 * MB/s counts the plane bytes handed out. The baseline {@code dlpack.export-arrow-small} does the
 * same with a 256×256 plane: a zero-copy export costs the same for any size, so the ratio should
 * stay near 1.
 */
public final class DlpackExportArrowCase implements BenchCase {
  static final int BATCH = 20000;
  private static final int BIG = 4096;
  private static final int SMALL = 256;

  private OmeImage big;
  private OmeImage small;
  private PixelSlice bigPlane;
  private PixelSlice smallPlane;

  @Override
  public String name() {
    return "dlpack.export-arrow";
  }

  @Override
  public long payloadBytes() {
    return (long) BATCH * BIG * BIG * 2;
  }

  @Override
  public void setUp(BenchContext ctx) throws Exception {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment px = Inputs.pixels(ctx, arena);
      long row = Inputs.SIZE * 2L;
      big = OmeImageBuilder.of(PixelType.UINT16, 1, 1, 1, BIG, BIG).buildChunks(false).build((t, c, z, dst) -> {
        for (int y = 0; y < BIG; y++) {
          for (int half = 0; half < 2; half++) {
            long plane = (y / Inputs.SIZE) * 2L + half;
            MemorySegment.copy(px, plane * Inputs.PLANE_BYTES + (y % Inputs.SIZE) * row, dst, (long) y * BIG * 2 + half * row, row);
          }
        }
      }, ctx.allocator());
      small = OmeImageBuilder.of(PixelType.UINT16, 1, 1, 1, SMALL, SMALL).buildChunks(false).build((t, c, z, dst) -> {
        for (int y = 0; y < SMALL; y++) {
          MemorySegment.copy(px, y * row, dst, (long) y * SMALL * 2, SMALL * 2L);
        }
      }, ctx.allocator());
    }
    bigPlane = big.storedPlane(0, 0, 0).orElseThrow();
    smallPlane = small.storedPlane(0, 0, 0).orElseThrow();
    Inputs.warm(() -> {
      exports(bigPlane, BIG);
      exports(smallPlane, SMALL);
    }, Inputs.warmMillis(ctx), 5);
  }

  private static void exports(PixelSlice plane, int n) {
    long[] shape = {n, n};
    for (int i = 0; i < BATCH; i++) {
      try (ManagedTensor t = DlpackExporter.exportArrow(plane, shape, ExportOptions.DEFAULT)) {
        if (t.dataAddress() != plane.address() || t.copied()) {
          throw new IllegalStateException("export of the " + n + "x" + n + " plane was not zero-copy");
        }
      }
    }
  }

  @Override
  public void run() {
    exports(bigPlane, BIG);
  }

  @Override
  public List<Baseline> baselines() {
    return List.of(new Baseline() {
      @Override
      public String name() {
        return "dlpack.export-arrow-small";
      }

      @Override
      public Timing measure(BenchContext ctx, int warmups, int runs) throws Exception {
        Inputs.warm(() -> exports(smallPlane, SMALL), Inputs.warmMillis(ctx) / 3, 5);
        return Timing.time(() -> exports(smallPlane, SMALL), warmups, runs);
      }
    });
  }

  @Override
  public void close() {
    if (big != null) {
      big.close();
    }
    if (small != null) {
      small.close();
    }
  }
}
