package io.omearrow.dlpack;

import java.lang.foreign.MemorySegment;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.ForeignAllocation;

/**
 * 64-byte-aligned Arrow buffers for copies that are handed to consumers (JAX/XLA copy or refuse
 * data aligned below 64 bytes; Arrow's Netty allocator gives 16). The memory comes from libc
 * {@code aligned_alloc} and is wrapped as a foreign allocation, so it is still accounted to (and
 * limited by) the caller's allocator and freed when the last reference to the returned buffer is
 * released. libc also reuses freed blocks, which spares large copies the page faults of fresh
 * memory.
 */
public final class AlignedBuffers {
  private AlignedBuffers() {}

  /** A new buffer of {@code bytes} bytes (contents unspecified) whose address is a multiple of 64. */
  public static ArrowBuf allocate(BufferAllocator allocator, long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("negative buffer size " + bytes);
    }
    MemorySegment block = NativeHeap.alignedAlloc(DlpackExporter.ALIGNMENT, Math.max(bytes, 1));
    try {
      return allocator.wrapForeignAllocation(new ForeignAllocation(bytes, block.address()) {
        @Override
        protected void release0() {
          NativeHeap.free(block);
        }
      });
    } catch (RuntimeException e) {
      NativeHeap.free(block);
      throw e;
    }
  }
}
