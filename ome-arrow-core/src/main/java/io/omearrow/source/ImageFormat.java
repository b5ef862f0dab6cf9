package io.omearrow.source;

import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/**
 * A file format provider, found through {@link java.util.ServiceLoader} (register the class in
 * {@code META-INF/services/io.omearrow.source.ImageFormat}). A format recognises its locations by
 * name (file suffix, directory marker or pattern syntax), opens them as lazy
 * {@link ImageSource}s and, where it can, writes images.
 */
public interface ImageFormat {

  /** A short name: "arrow", "npy", "parquet", "tiff", "mlarray"... */
  String name();

  /** True when this format reads the location (decided by its name or a marker file). */
  boolean canOpen(String location);

  /**
   * Opens one image lazily: metadata now, pixels on demand. Off-heap buffers the source keeps
   * come from {@code allocator} (or a child of it) and are freed by {@link ImageSource#close()}.
   *
   * @throws io.omearrow.core.FormatException when the file is missing, unreadable or corrupt
   */
  ImageSource open(String location, OpenOptions options, BufferAllocator allocator);

  /** True when this format writes the location. */
  default boolean canWrite(String location) {
    return false;
  }

  /**
   * Writes the images (one per row or series where the format holds several) to a temporary
   * name beside {@code location} and renames it into place, so a failure leaves nothing behind.
   *
   * @return warnings about metadata the format could not hold (empty when nothing was lost)
   */
  default List<String> write(List<? extends ImageSource> images, String location, WriteOptions options, BufferAllocator allocator) {
    throw new io.omearrow.core.FormatException("format '" + name() + "' cannot write " + location);
  }
}
