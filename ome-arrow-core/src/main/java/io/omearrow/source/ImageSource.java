package io.omearrow.source;

import io.omearrow.core.ChunkRef;
import io.omearrow.core.ImageMetadata;
import io.omearrow.core.PixelSlice;
import io.omearrow.core.PixelsMeta;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Optional;

/**
 * One image whose metadata is known and whose pixels are read on demand: the role every reader
 * plays (OME-Arrow in memory, Parquet, TIFF, MLArray, .npy) and what tensor views are built on.
 *
 * <p>Pixels are read a 2-D region of one (t, c, z) plane at a time into a caller-supplied
 * segment, row-major, little-endian, in {@link PixelsMeta#pixelType()}. A reader touches only
 * the data the region needs where its format allows (chunks, tiles, strips, pages).
 * {@link #readRegion} must be safe to call from several threads at once.
 *
 * <p>Memory: the source owns whatever it holds (file handles, Arrow buffers) until
 * {@link #close()}; the caller owns the destination segments. Zero-copy views returned by
 * {@link #storedPlane} and {@link #storedChunks} borrow the source's buffers and are valid until
 * it closes.
 */
public interface ImageSource extends AutoCloseable {

  /** The image's metadata; available without reading pixels. */
  ImageMetadata metadata();

  /** Where the image came from and how it is stored. */
  SourceInfo info();

  /** The pixels header (shortcut for {@code metadata().pixels()}). */
  default PixelsMeta pixels() {
    return metadata().pixels();
  }

  /**
   * Copies the region x..x+w, y..y+h of plane (t, c, z) into {@code dst}: h rows of w pixels,
   * packed, little-endian, in the source's pixel type. {@code dst} must hold at least
   * {@code w * h * pixelType.byteSize()} bytes.
   *
   * @throws io.omearrow.core.SelectionException when the plane or region is out of range
   * @throws io.omearrow.core.FormatException when the stored data is corrupt
   */
  void readRegion(int t, int c, int z, int x, int y, int w, int h, MemorySegment dst);

  /** Copies the whole plane (t, c, z) into {@code dst}. */
  default void readPlane(int t, int c, int z, MemorySegment dst) {
    PixelsMeta p = pixels();
    readRegion(t, c, z, 0, 0, p.sizeX(), p.sizeY(), dst);
  }

  /**
   * The stored values of plane (t, c, z) without copying, when the source keeps that plane whole
   * and decoded in memory (an Arrow-backed image with planes); empty otherwise.
   */
  default Optional<PixelSlice> storedPlane(int t, int c, int z) {
    return Optional.empty();
  }

  /**
   * The stored chunks, in storage order, when the source is chunked and keeps its chunks in
   * memory; an empty list otherwise.
   */
  default List<ChunkRef> storedChunks() {
    return List.of();
  }

  /** Releases what the source holds. Idempotent. */
  @Override
  void close();
}
