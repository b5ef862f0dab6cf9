package io.omearrow.bridge;

import io.omearrow.core.PixelType;

/** Makes compact {@link NDBuffer}s of one memory kind. The caller owns each buffer it gets. */
public interface NDBufferFactory {
  MemoryKind kind();

  /** A new compact buffer (contents unspecified). */
  NDBuffer allocate(PixelType type, long[] shape);
}
