package io.omearrow.source;

/**
 * How an image source is stored, as {@code ome-arrow info} reports it.
 *
 * @param location the path or URI it was opened from (null for in-memory images)
 * @param encoding "planes", "list-chunks", "byte-chunks", "tiff", "mlarray", "npy", "dataset"...
 * @param rows rows of the table it came from (1 for single-image files)
 * @param column the table column it came from, or null
 * @param schema "v0", "v2-list", "v2-bytes", or null when not an OME-Arrow struct
 * @param series images in the source file (e.g. OME-TIFF Image elements), 1 otherwise
 */
public record SourceInfo(String location, String encoding, long rows, String column, String schema, int series) {

  /** Info for a single-image file of a non-tabular format. */
  public static SourceInfo of(String location, String encoding) {
    return new SourceInfo(location, encoding, 1, null, null, 1);
  }

  public SourceInfo withLocation(String newLocation) {
    return new SourceInfo(newLocation, encoding, rows, column, schema, series);
  }
}
