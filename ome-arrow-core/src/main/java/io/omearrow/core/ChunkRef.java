package io.omearrow.core;

/**
 * One stored chunk: a Z×Y×X box of one (t, c) at origin (z, y, x), and its stored payload.
 * For list encoding {@code payload} holds the values; for byte encoding it holds the raw or
 * compressed bytes ({@code compression} names the codec, null for raw). The payload borrows the
 * owning image's Arrow buffers.
 */
public record ChunkRef(
    int t, int c, int z, int y, int x, int shapeZ, int shapeY, int shapeX,
    PixelType type, String compression, PixelSlice payload) {

  /** Pixels in the chunk. */
  public long pixelCount() {
    return (long) shapeZ * shapeY * shapeX;
  }

  /** Decoded size in bytes. */
  public long decodedBytes() {
    return pixelCount() * type.byteSize();
  }

  /** True when the payload must be decompressed before use. */
  public boolean isCompressed() {
    return compression != null;
  }

  /** True when this chunk holds plane z of (t, c). */
  public boolean covers(int t0, int c0, int z0) {
    return t == t0 && c == c0 && z0 >= z && z0 < z + shapeZ;
  }

  /** True when the chunk's XY box intersects the rectangle. */
  public boolean intersects(int rx, int ry, int rw, int rh) {
    return x < rx + rw && rx < x + shapeX && y < ry + rh && ry < y + shapeY;
  }
}
