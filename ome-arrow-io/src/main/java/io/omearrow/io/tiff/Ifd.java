package io.omearrow.io.tiff;

import io.omearrow.core.PixelType;

/**
 * One parsed TIFF image file directory: the geometry, sample layout, codec and block (strip or
 * tile) table of one page. A pure value, validated by {@link TiffFile} against the file length;
 * it holds no file handle and no off-heap memory.
 *
 * @param index position of the IFD in the file's chain (0-based)
 * @param width ImageWidth
 * @param height ImageLength
 * @param samplesPerPixel SamplesPerPixel (mapped to channels)
 * @param bitsPerSample BitsPerSample (all samples must agree)
 * @param sampleFormat 1 unsigned, 2 signed, 3 IEEE float
 * @param compression the Compression code
 * @param predictor 1 none, 2 horizontal, 3 floating point
 * @param planar PlanarConfiguration: 1 chunky (interleaved samples), 2 planar (one block set per sample)
 * @param blockWidth tile width, or the image width for strips
 * @param blockHeight tile length, or RowsPerStrip (clamped to the height) for strips
 * @param tiled whether the blocks are tiles
 * @param offsets block offsets in the file
 * @param byteCounts block byte counts
 * @param description ImageDescription, or null
 */
public record Ifd(
    int index,
    int width,
    int height,
    int samplesPerPixel,
    int bitsPerSample,
    int sampleFormat,
    int compression,
    int predictor,
    int planar,
    int blockWidth,
    int blockHeight,
    boolean tiled,
    long[] offsets,
    long[] byteCounts,
    String description) {

  /** The pixel type of one sample. */
  public PixelType pixelType() {
    return pixelType(sampleFormat, bitsPerSample);
  }

  static PixelType pixelType(int sampleFormat, int bits) {
    return switch (sampleFormat) {
      case 1 -> switch (bits) {
        case 8 -> PixelType.UINT8;
        case 16 -> PixelType.UINT16;
        case 32 -> PixelType.UINT32;
        case 64 -> PixelType.UINT64;
        default -> null;
      };
      case 2 -> switch (bits) {
        case 8 -> PixelType.INT8;
        case 16 -> PixelType.INT16;
        case 32 -> PixelType.INT32;
        case 64 -> PixelType.INT64;
        default -> null;
      };
      case 3 -> switch (bits) {
        case 32 -> PixelType.FLOAT32;
        case 64 -> PixelType.FLOAT64;
        default -> null;
      };
      default -> null;
    };
  }

  /** Blocks across the image. */
  public int blocksAcross() {
    return (int) ((width + (long) blockWidth - 1) / blockWidth);
  }

  /** Blocks down the image. */
  public int blocksDown() {
    return (int) ((height + (long) blockHeight - 1) / blockHeight);
  }

  /** Blocks of one sample plane (planar) or of the whole image (chunky). */
  public long blocksPerPlane() {
    return (long) blocksAcross() * blocksDown();
  }

  /** Samples interleaved in one block: samplesPerPixel when chunky, 1 when planar. */
  public int samplesInBlock() {
    return planar == 2 ? 1 : samplesPerPixel;
  }

  /** Bytes of one decoded block row. */
  public long blockRowBytes() {
    return (long) blockWidth * samplesInBlock() * (bitsPerSample / 8);
  }

  /** Bytes of one fully decoded block. */
  public long blockBytes() {
    return blockRowBytes() * blockHeight;
  }

  /** Index in the block table of the block at (column, row) of sample {@code s}. */
  public int blockIndex(int s, int col, int row) {
    long planeBase = planar == 2 ? (long) s * blocksPerPlane() : 0;
    return (int) (planeBase + (long) row * blocksAcross() + col);
  }
}
