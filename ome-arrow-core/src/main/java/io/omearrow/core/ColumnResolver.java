package io.omearrow.core;

import java.util.List;
import java.util.function.Consumer;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Picks the OME-Arrow struct column of a table as the Python reader does: the requested column
 * when present (it must be a struct with the OME-Arrow fields), else the first struct column
 * that qualifies, with a warning naming both.
 */
public final class ColumnResolver {
  private ColumnResolver() {}

  /**
   * Resolves the column name.
   *
   * @param fields the table's top-level fields
   * @param requested the requested name, or null for the default {@code ome_arrow}
   * @param warnings receives the reference's warning text when another column is auto-detected
   */
  public static String resolve(List<Field> fields, String requested, Consumer<String> warnings) {
    String want = requested == null ? OmeSchema.DEFAULT_COLUMN : requested;
    for (Field f : fields) {
      if (f.getName().equals(want)) {
        if (!(f.getType() instanceof ArrowType.Struct)) {
          throw new FormatException("Column '" + want + "' is not a Struct; got " + f.getType());
        }
        if (!OmeSchema.missingFields(f).isEmpty()) {
          throw new FormatException("Column '" + want + "' does not have the expected OME-Arrow fields. Missing: "
              + OmeSchema.missingFields(f));
        }
        return want;
      }
    }
    for (Field f : fields) {
      if (OmeSchema.isOmeArrowStruct(f)) {
        warnings.accept("Requested column '" + want + "' was not usable or not found. Auto-detected OME-Arrow column '" + f.getName() + "'.");
        return f.getName();
      }
    }
    if (requested == null) {
      throw new FormatException("Could not locate an OME-Arrow struct column: no struct column with OME-Arrow fields was found.");
    }
    throw new FormatException("Could not locate an OME-Arrow struct column: column '" + requested + "' not found and auto-detection failed.");
  }

  /** Checks a row index against a row count with the reference's messages. */
  public static void checkRow(long row, long rows) {
    if (rows == 0) {
      throw new SelectionException("Table contains 0 rows; expected at least 1.");
    }
    if (row < 0 || row >= rows) {
      throw new SelectionException("row_index " + row + " out of range [0, " + rows + ").");
    }
  }
}
