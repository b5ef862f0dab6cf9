package io.omearrow.core;

import java.time.Instant;

/**
 * Everything about an image except its pixels: the OME-Arrow record's scalar fields, the pixels
 * header and the chunk grid. Every {@link io.omearrow.source.ImageSource} describes itself with
 * one of these before any pixel is read.
 *
 * @param type the record's {@code type} field, {@code "ome.arrow"}
 * @param version the record's {@code version} field
 * @param imageType open vocabulary ("image", "label"...), or null
 * @param acquisitionDatetime acquisition time (UTC), or null
 * @param chunkGrid the chunk grid, or null when the image is not chunked
 */
public record ImageMetadata(
    String type,
    String version,
    String id,
    String name,
    String imageType,
    Instant acquisitionDatetime,
    PixelsMeta pixels,
    ChunkGrid chunkGrid) {

  /** The value of {@code type} every OME-Arrow record carries. */
  public static final String OME_ARROW_TYPE = "ome.arrow";

  /** The version this library writes into records and file metadata. */
  public static final String WRITER_VERSION = "0.1.0";

  public ImageMetadata {
    if (pixels == null) {
      throw new FormatException("pixels_meta is missing from OME-Arrow record.");
    }
  }

  /** Metadata with the Python defaults: id "unnamed", name "unknown", image type "image". */
  public static ImageMetadata of(PixelsMeta pixels) {
    return new ImageMetadata(OME_ARROW_TYPE, WRITER_VERSION, "unnamed", "unknown", "image", null, pixels, null);
  }

  public ImageMetadata withPixels(PixelsMeta p) {
    return new ImageMetadata(type, version, id, name, imageType, acquisitionDatetime, p, chunkGrid);
  }

  public ImageMetadata withChunkGrid(ChunkGrid grid) {
    return new ImageMetadata(type, version, id, name, imageType, acquisitionDatetime, pixels, grid);
  }

  public ImageMetadata withIdAndName(String newId, String newName) {
    return new ImageMetadata(type, version, newId, newName, imageType, acquisitionDatetime, pixels, chunkGrid);
  }
}
