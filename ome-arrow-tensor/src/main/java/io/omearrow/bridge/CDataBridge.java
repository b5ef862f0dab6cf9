package io.omearrow.bridge;

import io.omearrow.core.OmeImage;
import org.apache.arrow.c.ArrowArray;
import org.apache.arrow.c.ArrowSchema;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Arrow C Data Interface hand-off to and from any Arrow consumer in this process (pyarrow,
 * Arrow C++, DuckDB, Polars...), zero-copy: the C structs point at the Java buffers, which stay
 * alive until the consumer calls the struct's release callback.
 */
public final class CDataBridge {
  private CDataBridge() {}

  /**
   * A pair of exported C structs. Pass {@link #arrayAddress()} and {@link #schemaAddress()} to the
   * consumer, which moves the structs out; {@link #close()} then frees only the two small struct
   * allocations (and releases the data if the consumer never took it).
   */
  public record Exported(ArrowArray array, ArrowSchema schema) implements AutoCloseable {
    public long arrayAddress() {
      return array.memoryAddress();
    }

    public long schemaAddress() {
      return schema.memoryAddress();
    }

    @Override
    public void close() {
      array.release();
      schema.release();
      array.close();
      schema.close();
    }
  }

  /** Exports one column (for example an OME-Arrow struct column). */
  public static Exported exportColumn(FieldVector column, BufferAllocator allocator) {
    ArrowArray array = ArrowArray.allocateNew(allocator);
    ArrowSchema schema = ArrowSchema.allocateNew(allocator);
    try {
      Data.exportVector(allocator, column, null, array, schema);
      return new Exported(array, schema);
    } catch (RuntimeException e) {
      array.close();
      schema.close();
      throw e;
    }
  }

  /** Exports the OME-Arrow struct column that holds {@code image} (all its rows). */
  public static Exported exportImageColumn(OmeImage image, BufferAllocator allocator) {
    return exportColumn(image.vector(), allocator);
  }

  /** Exports a table as a struct array of its columns. */
  public static Exported exportTable(VectorSchemaRoot table, BufferAllocator allocator) {
    ArrowArray array = ArrowArray.allocateNew(allocator);
    ArrowSchema schema = ArrowSchema.allocateNew(allocator);
    try {
      Data.exportVectorSchemaRoot(allocator, table, null, array, schema);
      return new Exported(array, schema);
    } catch (RuntimeException e) {
      array.close();
      schema.close();
      throw e;
    }
  }

  /**
   * Imports a column from C structs a producer filled (it moves them; the producer's buffers are
   * wrapped without copying and released when the returned vector is closed).
   */
  public static FieldVector importColumn(long arrayAddress, long schemaAddress, BufferAllocator allocator) {
    try (ArrowArray array = ArrowArray.wrap(arrayAddress); ArrowSchema schema = ArrowSchema.wrap(schemaAddress)) {
      return Data.importVector(allocator, array, schema, null);
    }
  }

  /** Imports a table (a struct array) from C structs. */
  public static VectorSchemaRoot importTable(long arrayAddress, long schemaAddress, BufferAllocator allocator) {
    try (ArrowArray array = ArrowArray.wrap(arrayAddress); ArrowSchema schema = ArrowSchema.wrap(schemaAddress)) {
      return Data.importVectorSchemaRoot(allocator, array, schema, null);
    }
  }
}
