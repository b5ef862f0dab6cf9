package io.omearrow.ipc;

import io.omearrow.core.ColumnResolver;
import io.omearrow.core.FormatException;
import io.omearrow.core.OmeImage;
import io.omearrow.core.OmeSchema;
import io.omearrow.source.SourceInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * An in-memory Arrow table (one or more record batches) holding OME-Arrow struct columns, one
 * image per row, possibly beside ordinary feature columns.
 *
 * <p>Memory: the table owns its batches; images from {@link #image} borrow them and must not be
 * used after {@link #close()}.
 */
public final class OmeTable implements AutoCloseable {
  private final Schema schema;
  private final List<VectorSchemaRoot> batches;
  private final String location;
  private final List<String> warnings = new ArrayList<>();

  /** Takes ownership of the batches, which must share one schema. */
  public OmeTable(Schema schema, List<VectorSchemaRoot> batches, String location) {
    this.schema = schema;
    this.batches = List.copyOf(batches);
    this.location = location;
  }

  public Schema schema() {
    return schema;
  }

  /** The file-level key/value metadata. */
  public Map<String, String> metadata() {
    return schema.getCustomMetadata() == null ? Map.of() : schema.getCustomMetadata();
  }

  /** Total rows over all batches. */
  public long rowCount() {
    long n = 0;
    for (VectorSchemaRoot b : batches) {
      n += b.getRowCount();
    }
    return n;
  }

  /** Names of the struct columns that carry the OME-Arrow fields. */
  public List<String> omeColumns() {
    return schema.getFields().stream().filter(OmeSchema::isOmeArrowStruct).map(Field::getName).toList();
  }

  /** Resolves a requested column (null: default) as the Python reader does; warnings collect in {@link #warnings()}. */
  public String resolveColumn(String requested) {
    return ColumnResolver.resolve(schema.getFields(), requested, warnings::add);
  }

  /** Warnings raised while resolving columns or reading metadata. */
  public List<String> warnings() {
    List<String> w = new ArrayList<>(warnings);
    String type = metadata().get(OmeSchema.META_TYPE);
    if (type != null && !type.equals("ome.arrow")) {
      w.add("Arrow metadata ome.arrow.type does not match expected 'ome.arrow' (got '" + type + "')");
    }
    return w;
  }

  /** The image in row {@code row} of {@code column} (null: default column), borrowing this table's buffers. */
  public OmeImage image(String column, long row) {
    return locate(column, row, false);
  }

  /**
   * The image in row {@code row} of {@code column}, taking ownership of this table: closing the
   * image closes the table. Use it to hand one image of a file to a caller.
   */
  public OmeImage takeImage(String column, long row) {
    return locate(column, row, true);
  }

  private OmeImage locate(String column, long row, boolean own) {
    String name = resolveColumn(column);
    ColumnResolver.checkRow(row, rowCount());
    long r = row;
    for (VectorSchemaRoot b : batches) {
      if (r < b.getRowCount()) {
        FieldVector v = b.getVector(name);
        if (!(v instanceof StructVector sv)) {
          throw new FormatException("Column '" + name + "' is not a Struct; got " + v.getField().getType());
        }
        if (!own) {
          return OmeImage.wrap(sv, (int) r);
        }
        return OmeImage.own(sv, (int) r, this, new SourceInfo(location, null, rowCount(), name, null, 1));
      }
      r -= b.getRowCount();
    }
    throw new IllegalStateException("row " + row + " not found");
  }

  /** The record batches (owned by this table). */
  public List<VectorSchemaRoot> batches() {
    return batches;
  }

  @Override
  public void close() {
    RuntimeException first = null;
    for (VectorSchemaRoot b : batches) {
      try {
        b.close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
