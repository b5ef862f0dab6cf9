package io.omearrow.bridge;

/** Makes flat {@link Buffer}s of one memory kind. The caller owns each buffer it gets. */
public interface BufferFactory {
  MemoryKind kind();

  /** A new buffer of {@code bytes} bytes (contents unspecified). */
  Buffer allocate(long bytes);
}
