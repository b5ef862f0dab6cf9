package io.omearrow.bench.cases;

import io.omearrow.bench.Baseline;
import io.omearrow.bench.BenchCase;
import io.omearrow.bench.BenchContext;
import io.omearrow.core.ChunkCompression;
import io.omearrow.core.ChunkRef;
import io.omearrow.core.OmeImage;
import io.omearrow.io.parquet.ParquetImages;
import io.omearrow.source.OpenOptions;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;

/**
 * {@code parquet.read.bytes-zstd}: the byte-chunk file with zstd-compressed chunks read into
 * Arrow vectors and every chunk decompressed into one Arrow buffer of the image's size (chunk
 * after chunk). The {@code zstd-decompress} baseline decompresses the same chunk payloads, held
 * in memory, into the same kind of buffer with the same codec call, so the ratio is the cost of
 * the Parquet read on top of decompression.
 */
public final class ParquetReadBytesZstdCase implements BenchCase {
  private Path file;
  private BufferAllocator allocator;
  private Arena arena;
  private final List<MemorySegment> payloads = new ArrayList<>();
  private final List<Long> decoded = new ArrayList<>();

  @Override
  public String name() {
    return "parquet.read.bytes-zstd";
  }

  @Override
  public long payloadBytes() {
    return Inputs.IMAGE_BYTES;
  }

  @Override
  public void setUp(BenchContext ctx) throws Exception {
    file = ParquetFiles.bytesZstd(ctx);
    allocator = ctx.allocator();
    arena = Arena.ofShared();
    try (OmeImage img = ParquetImages.read(file.toString(), OpenOptions.defaults(), allocator, w -> {})) {
      for (ChunkRef c : img.storedChunks()) {
        if (!"zstd".equals(c.compression())) {
          throw new IllegalStateException(file + ": chunk at (" + c.y() + ", " + c.x() + ") is not zstd-compressed");
        }
        MemorySegment copy = arena.allocate(c.payload().byteSize(), 64);
        MemorySegment.copy(c.payload().segment(), 0, copy, 0, copy.byteSize());
        payloads.add(copy);
        decoded.add(c.decodedBytes());
      }
    }
  }

  @Override
  public void run() {
    try (OmeImage img = ParquetImages.read(file.toString(), OpenOptions.defaults(), allocator, w -> {});
        ArrowBuf out = allocator.buffer(Inputs.IMAGE_BYTES)) {
      MemorySegment dst = Inputs.segment(out);
      long off = 0;
      for (ChunkRef c : img.storedChunks()) {
        long n = c.decodedBytes();
        ChunkCompression.decompress(c.compression(), c.payload().segment(), dst.asSlice(off, n), "bench chunk");
        off += n;
      }
      check(off);
    }
  }

  private void decompressAlone() {
    try (ArrowBuf out = allocator.buffer(Inputs.IMAGE_BYTES)) {
      MemorySegment dst = Inputs.segment(out);
      long off = 0;
      for (int i = 0; i < payloads.size(); i++) {
        long n = decoded.get(i);
        ChunkCompression.decompress("zstd", payloads.get(i), dst.asSlice(off, n), "bench chunk");
        off += n;
      }
      check(off);
    }
  }

  private void check(long off) {
    if (off != Inputs.IMAGE_BYTES) {
      throw new IllegalStateException(file + ": chunks decode to " + off + " bytes, expected " + Inputs.IMAGE_BYTES);
    }
  }

  @Override
  public List<Baseline> baselines() {
    return List.of(
        Py.baseline("pyarrow", List.of("pyarrow", "numpy"), Py.lines(
            "import pyarrow as pa, pyarrow.parquet as pq, numpy as np",
            "def op():",
            "    col = pq.read_table(ARGS[0]).column('ome_arrow')",
            "    n = 0",
            "    for ch in col.chunks:",
            "        items = ch.field('chunks').values",
            "        sy = items.field('shape_y').to_numpy(); sx = items.field('shape_x').to_numpy(); sz = items.field('shape_z').to_numpy()",
            "        pb = items.field('pixel_bytes')",
            "        for i in range(len(pb)):",
            "            size = int(sz[i]) * int(sy[i]) * int(sx[i]) * 2",
            "            px = np.frombuffer(pa.decompress(pb[i].as_buffer(), decompressed_size=size, codec='zstd'), dtype='<u2')",
            "            n += px.nbytes",
            "    assert n == int(ARGS[1]), n"),
            file.toString(), Long.toString(Inputs.IMAGE_BYTES)),
        Baseline.java("zstd-decompress", this::decompressAlone));
  }

  @Override
  public void close() {
    payloads.clear();
    if (arena != null) {
      arena.close();
    }
  }
}
