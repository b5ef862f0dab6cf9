package io.omearrow.bench.cases;

import io.omearrow.bench.Baseline;
import io.omearrow.bench.BenchCase;
import io.omearrow.bench.BenchContext;
import io.omearrow.io.mlarray.MlArray;
import io.omearrow.io.mlarray.MlArrayMeta;
import io.omearrow.io.mlarray.SaveOptions;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code blosc2.compress}: save the image as an MLArray file with mlarray's defaults (LZ4HC 8 +
 * shuffle, its chunk/block heuristic) on one thread, from pixels already in memory. Baseline:
 * python-blosc2 {@code asarray} of the same pixels to a file with the same chunks, blocks and
 * parameters, one thread.
 */
public final class Blosc2CompressCase implements BenchCase {
  private Arena arena;
  private MemorySegment pixels;
  private Path reference;
  private Path out;
  private Path pyOut;

  @Override
  public String name() {
    return "blosc2.compress";
  }

  @Override
  public long payloadBytes() {
    return Inputs.IMAGE_BYTES;
  }

  @Override
  public void setUp(BenchContext ctx) throws Exception {
    arena = Arena.ofShared();
    MemorySegment mapped = Inputs.pixels(ctx, arena);
    pixels = arena.allocate(Inputs.IMAGE_BYTES, 64);
    MemorySegment.copy(mapped, 0, pixels, 0, Inputs.IMAGE_BYTES);
    reference = Blosc2Files.mla(ctx);
    out = ctx.workDir().resolve("compress-out.mla");
    pyOut = ctx.workDir().resolve("compress-out-py.b2nd");
  }

  @Override
  public void run() {
    MlArray.save(out, pixels, Inputs.SHAPE, Blosc2Files.DTYPE, MlArrayMeta.empty(), SaveOptions.defaults());
  }

  @Override
  public List<Baseline> baselines() {
    return List.of(Py.baseline("python-blosc2", List.of("blosc2", "numpy"), Blosc2Files.PY_PARAMS + Py.lines(
        "ref = blosc2.open(ARGS[0], mode='r')",
        "img = np.ascontiguousarray(ref[...])",
        "def op():",
        "    blosc2.asarray(img, chunks=ref.chunks, blocks=ref.blocks, urlpath=ARGS[1], mode='w', cparams=CP, dparams=DP)"),
        reference.toString(), pyOut.toString()));
  }

  @Override
  public void close() throws Exception {
    if (arena != null) {
      arena.close();
    }
    if (out != null) {
      Files.deleteIfExists(out);
      Files.deleteIfExists(pyOut);
    }
  }
}
