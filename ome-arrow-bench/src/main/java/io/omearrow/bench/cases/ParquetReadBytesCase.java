package io.omearrow.bench.cases;

import io.omearrow.bench.Baseline;
import io.omearrow.bench.BenchCase;
import io.omearrow.bench.BenchContext;
import io.omearrow.core.ChunkRef;
import io.omearrow.core.OmeImage;
import io.omearrow.io.parquet.ParquetImages;
import io.omearrow.source.OpenOptions;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/**
 * {@code parquet.read.bytes}: every pixel of the byte-chunk file (raw chunks) read into Arrow
 * vectors; the chunks' {@code pixel_bytes} are the pixels, reachable without a copy.
 */
public final class ParquetReadBytesCase implements BenchCase {
  private Path file;
  private BufferAllocator allocator;

  @Override
  public String name() {
    return "parquet.read.bytes";
  }

  @Override
  public long payloadBytes() {
    return Inputs.IMAGE_BYTES;
  }

  @Override
  public void setUp(BenchContext ctx) throws Exception {
    file = ParquetFiles.bytes(ctx);
    allocator = ctx.allocator();
  }

  @Override
  public void run() {
    try (OmeImage img = ParquetImages.read(file.toString(), OpenOptions.defaults(), allocator, w -> {})) {
      long bytes = 0;
      for (ChunkRef c : img.storedChunks()) {
        bytes += c.payload().byteSize();
      }
      if (bytes != Inputs.IMAGE_BYTES) {
        throw new IllegalStateException(file + ": chunks hold " + bytes + " bytes, expected " + Inputs.IMAGE_BYTES);
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
            "        pb = ch.field('chunks').values.field('pixel_bytes')",
            "        px = np.frombuffer(pb.buffers()[2], dtype='<u2')",
            "        n += px.nbytes",
            "    assert n >= int(ARGS[1]), n"),
            file.toString(), Long.toString(Inputs.IMAGE_BYTES)),
        Baseline.memcpy(Inputs.IMAGE_BYTES));
  }
}
