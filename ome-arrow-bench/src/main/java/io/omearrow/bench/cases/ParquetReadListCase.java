package io.omearrow.bench.cases;

import io.omearrow.bench.Baseline;
import io.omearrow.bench.BenchCase;
import io.omearrow.bench.BenchContext;
import io.omearrow.core.OmeImage;
import io.omearrow.io.parquet.ParquetImages;
import io.omearrow.source.OpenOptions;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/**
 * {@code parquet.read.list}: every pixel of the planes-only list-encoded file read into Arrow
 * vectors (open, footer, the column's pages decoded in bulk). The image is closed after each run.
 */
public final class ParquetReadListCase implements BenchCase {
  private Path file;
  private BufferAllocator allocator;

  @Override
  public String name() {
    return "parquet.read.list";
  }

  @Override
  public long payloadBytes() {
    return Inputs.IMAGE_BYTES;
  }

  @Override
  public void setUp(BenchContext ctx) throws Exception {
    file = ParquetFiles.listPlanes(ctx);
    allocator = ctx.allocator();
  }

  @Override
  public void run() {
    readAll(file, allocator);
  }

  /** The timed operation, shared with {@code parquet.lazy-roi}'s baseline. */
  static void readAll(Path file, BufferAllocator allocator) {
    try (OmeImage img = ParquetImages.read(file.toString(), OpenOptions.defaults(), allocator, w -> {})) {
      if (img.storedPlane(0, 0, Inputs.PLANES - 1).isEmpty() && img.storedChunks().isEmpty()) {
        throw new IllegalStateException(file + " holds no pixels");
      }
    }
  }

  @Override
  public List<Baseline> baselines() {
    return List.of(
        Py.baseline("pyarrow", List.of("pyarrow", "numpy"), Py.lines(
            "import pyarrow.parquet as pq, numpy as np",
            "def op():",
            "    col = pq.read_table(ARGS[0]).column('ome_arrow')",
            "    n = 0",
            "    for ch in col.chunks:",
            "        px = ch.field('planes').values.field('pixels').values.to_numpy(zero_copy_only=True)",
            "        n += px.nbytes",
            "    assert n == int(ARGS[1]), n"),
            file.toString(), Long.toString(Inputs.IMAGE_BYTES)),
        ParquetColumnBaseline.of(file, allocator),
        ParquetAvroBaseline.of(file, allocator),
        Baseline.memcpy(Inputs.IMAGE_BYTES));
  }
}
