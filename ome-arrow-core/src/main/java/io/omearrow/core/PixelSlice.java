package io.omearrow.core;

import java.lang.foreign.MemorySegment;
import org.apache.arrow.memory.ArrowBuf;

/**
 * A zero-copy window onto stored pixel values: {@code length} elements of {@code type}, starting
 * {@code byteOffset} bytes into an Arrow buffer, little-endian. The slice borrows the buffer: it
 * is valid while the image (or table) that owns the buffer is open. A consumer that must outlive
 * the image retains {@code buffer.getReferenceManager()} and releases it when done.
 */
public record PixelSlice(ArrowBuf buffer, long byteOffset, long length, PixelType type) {

  /** Size of the window in bytes. */
  public long byteSize() {
    return length * type.byteSize();
  }

  /** Native address of the first element. */
  public long address() {
    return buffer.memoryAddress() + byteOffset;
  }

  /** The window as a memory segment (no copy; valid while the buffer is). */
  public MemorySegment segment() {
    return MemorySegment.ofAddress(address()).reinterpret(byteSize());
  }
}
