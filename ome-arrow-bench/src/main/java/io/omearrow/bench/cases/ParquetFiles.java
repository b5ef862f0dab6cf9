package io.omearrow.bench.cases;

import io.omearrow.bench.BenchContext;
import io.omearrow.core.ChunkCompression;
import io.omearrow.source.WriteOptions;
import java.nio.file.Path;

/**
 * The OME-Arrow Parquet files of the Parquet cases, written by our writer without a Parquet
 * container codec (so each encoding is measured on its own: list values, raw byte chunks, or
 * zstd-compressed byte chunks). One image per file, one row group.
 */
final class ParquetFiles {
  private ParquetFiles() {}

  /** List encoding, planes only. */
  static Path listPlanes(BenchContext ctx) throws Exception {
    return Inputs.parquet(ctx, "list-planes.ome.parquet",
        WriteOptions.defaults().withEncoding("list").withBuildChunks(false).withCompression("none"));
  }

  /** List encoding, planes plus 256×256 list chunks (the lazy ROI file). */
  static Path listChunked(BenchContext ctx) throws Exception {
    return Inputs.parquet(ctx, "list-chunks256.ome.parquet", WriteOptions.defaults().withEncoding("list").withBuildChunks(true)
        .withChunkShape(new int[] {1, 256, 256}).withCompression("none"));
  }

  /** Byte encoding (default 512×512 chunks), raw chunks. */
  static Path bytes(BenchContext ctx) throws Exception {
    return Inputs.parquet(ctx, "bytes.ome.parquet",
        WriteOptions.defaults().withEncoding("bytes").withChunkCompression(ChunkCompression.NONE).withCompression("none"));
  }

  /** Byte encoding (default 512×512 chunks), each chunk zstd-compressed. */
  static Path bytesZstd(BenchContext ctx) throws Exception {
    return Inputs.parquet(ctx, "bytes-zstd.ome.parquet",
        WriteOptions.defaults().withEncoding("bytes").withChunkCompression(ChunkCompression.ZSTD).withCompression("none"));
  }
}
