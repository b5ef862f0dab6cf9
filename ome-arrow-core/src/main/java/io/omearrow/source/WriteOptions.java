package io.omearrow.source;

import io.omearrow.core.ChunkCompression;
import io.omearrow.core.PixelType;

/**
 * How to write an image. Each writer uses the options that apply to its format and reports the
 * others it cannot honour. Immutable; {@code with*} return copies.
 *
 * @param encoding OME-Arrow pixel encoding, "list" (default) or "bytes"
 * @param chunkShape chunk shape (z, y, x), or null for the default (1, 512, 512 clamped)
 * @param buildChunks whether list encoding also stores chunks (the Python default: true)
 * @param chunkCompression per-chunk compression of byte encoding
 * @param compression file-level codec (Parquet: zstd, snappy, none; TIFF: zlib/deflate, zstd, none)
 * @param pixelType convert pixels to this type on write, or null to keep the source type
 * @param column table column name for tabular formats, or null for the format's default
 * @param tileSize TIFF tile size (y, x), or null for strips
 * @param bigTiff force BigTIFF (TIFF writers switch to it on their own when needed)
 */
public record WriteOptions(
    String encoding,
    int[] chunkShape,
    boolean buildChunks,
    ChunkCompression chunkCompression,
    String compression,
    PixelType pixelType,
    String column,
    int[] tileSize,
    boolean bigTiff) {

  public static WriteOptions defaults() {
    return new WriteOptions("list", null, true, ChunkCompression.NONE, null, null, null, null, false);
  }

  public WriteOptions withEncoding(String e) {
    return new WriteOptions(e, chunkShape, buildChunks, chunkCompression, compression, pixelType, column, tileSize, bigTiff);
  }

  public WriteOptions withChunkShape(int[] s) {
    return new WriteOptions(encoding, s, buildChunks, chunkCompression, compression, pixelType, column, tileSize, bigTiff);
  }

  public WriteOptions withBuildChunks(boolean b) {
    return new WriteOptions(encoding, chunkShape, b, chunkCompression, compression, pixelType, column, tileSize, bigTiff);
  }

  public WriteOptions withChunkCompression(ChunkCompression c) {
    return new WriteOptions(encoding, chunkShape, buildChunks, c, compression, pixelType, column, tileSize, bigTiff);
  }

  public WriteOptions withCompression(String c) {
    return new WriteOptions(encoding, chunkShape, buildChunks, chunkCompression, c, pixelType, column, tileSize, bigTiff);
  }

  public WriteOptions withPixelType(PixelType p) {
    return new WriteOptions(encoding, chunkShape, buildChunks, chunkCompression, compression, p, column, tileSize, bigTiff);
  }

  public WriteOptions withColumn(String c) {
    return new WriteOptions(encoding, chunkShape, buildChunks, chunkCompression, compression, pixelType, c, tileSize, bigTiff);
  }

  public WriteOptions withTileSize(int[] t) {
    return new WriteOptions(encoding, chunkShape, buildChunks, chunkCompression, compression, pixelType, column, t, bigTiff);
  }

  public WriteOptions withBigTiff(boolean b) {
    return new WriteOptions(encoding, chunkShape, buildChunks, chunkCompression, compression, pixelType, column, tileSize, b);
  }
}
