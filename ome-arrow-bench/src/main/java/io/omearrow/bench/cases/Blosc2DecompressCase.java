package io.omearrow.bench.cases;

import io.omearrow.bench.Baseline;
import io.omearrow.bench.BenchCase;
import io.omearrow.bench.BenchContext;
import io.omearrow.io.mlarray.MlArray;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;

/**
 * {@code blosc2.decompress}: open the MLArray file (LZ4HC 8 + shuffle, mlarray's chunk/block
 * heuristic) and decompress the whole array on one thread into a new Arrow buffer of its size
 * ({@link MlArray#readAll(BufferAllocator)}: 64-byte aligned, huge-page advised, as NumPy's
 * arrays are), closing the file and the buffer each time.
 * Baselines: python-blosc2 opening the same file and reading {@code a[...]} on one thread, and
 * memcpy of the same byte count.
 */
public final class Blosc2DecompressCase implements BenchCase {
  private Path file;
  private BufferAllocator allocator;

  @Override
  public String name() {
    return "blosc2.decompress";
  }

  @Override
  public long payloadBytes() {
    return Inputs.IMAGE_BYTES;
  }

  @Override
  public void setUp(BenchContext ctx) throws Exception {
    file = Blosc2Files.mla(ctx);
    allocator = ctx.allocator();
    // The decoder's loops reach their compiled speed only after about 150 reads (6 s) on this
    // 2-core machine; the harness's 2 s warm-up would time the tail of the JIT's work.
    Inputs.warm(this::run, ctx.quick() ? 4000 : 6000, 0);
  }

  @Override
  public void run() {
    try (MlArray a = MlArray.open(file); ArrowBuf out = a.readAll(allocator)) {
      if (out.capacity() != Inputs.IMAGE_BYTES) {
        throw new IllegalStateException("decoded " + out.capacity() + " bytes, expected " + Inputs.IMAGE_BYTES);
      }
    }
  }

  @Override
  public List<Baseline> baselines() {
    return List.of(
        Py.baseline("python-blosc2", List.of("blosc2", "numpy"), Blosc2Files.PY_PARAMS + Py.lines(
            "def op():",
            "    a = blosc2.open(ARGS[0], mode='r', dparams=DP)",
            "    out = a[...]",
            "    assert out.nbytes == int(ARGS[1]), out.shape"),
            file.toString(), Long.toString(Inputs.IMAGE_BYTES)),
        Baseline.memcpy(Inputs.IMAGE_BYTES));
  }
}
