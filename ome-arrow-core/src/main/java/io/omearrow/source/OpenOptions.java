package io.omearrow.source;

/**
 * What to open inside a file: the table column and row, or the series of a multi-image file,
 * and for axis-less formats (.npy) the axis letters. Immutable; {@code with*} return copies.
 *
 * @param column struct column of a table, or null for the default ({@code ome_arrow}, then
 *     auto-detection)
 * @param row row of a table (or image of a dataset), default 0
 * @param series image of a multi-image source, default 0
 * @param axes axis letters of an array input such as .npy (null: inferred from its rank)
 * @param clampToUint16 the Python reference's ingest rule (clip to [0, 65535], store uint16),
 *     offered only for compatibility; default false keeps the source type
 */
public record OpenOptions(String column, long row, int series, String axes, boolean clampToUint16) {

  public static OpenOptions defaults() {
    return new OpenOptions(null, 0, 0, null, false);
  }

  public OpenOptions withColumn(String c) {
    return new OpenOptions(c, row, series, axes, clampToUint16);
  }

  public OpenOptions withRow(long r) {
    return new OpenOptions(column, r, series, axes, clampToUint16);
  }

  public OpenOptions withSeries(int s) {
    return new OpenOptions(column, row, s, axes, clampToUint16);
  }

  public OpenOptions withAxes(String a) {
    return new OpenOptions(column, row, series, a, clampToUint16);
  }

  public OpenOptions withClampToUint16(boolean clamp) {
    return new OpenOptions(column, row, series, axes, clamp);
  }
}
