package io.omearrow.memory;

import java.lang.foreign.MemorySegment;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.ForeignAllocation;

/**
 * Arrow buffers for tensors, decoded images and copies handed to consumers: 64-byte aligned
 * (JAX/XLA copy or refuse data aligned below 64 bytes; Arrow's Netty allocator promises 16), and,
 * from {@value #HUGE_PAGE_THRESHOLD} bytes on, 2 MiB aligned and advised for transparent huge
 * pages as NumPy does for its arrays. Fresh memory is otherwise faulted in 4 KiB at a time, which
 * costs more than decoding into it: a new 32 MiB Netty buffer took 30 ms to allocate and fill on
 * the benchmark machine against 7.5 ms here.
 *
 * <p>The memory comes from libc {@code aligned_alloc}, wrapped as a foreign allocation so that it
 * is accounted to (and limited by) the caller's allocator for exactly the requested size; libc
 * reuses freed blocks below its mmap threshold. The caller owns the returned buffer, and libc
 * frees the block when the buffer's last reference is released.
 */
public final class AlignedBuffers {
  /** Byte alignment of every buffer. */
  public static final long ALIGNMENT = 64;
  /** Size from which buffers are huge-page aligned and advised (NumPy uses the same 4 MiB). */
  public static final long HUGE_PAGE_THRESHOLD = 4L << 20;
  private static final long HUGE_PAGE = 2L << 20;

  private AlignedBuffers() {}

  /** A new buffer of {@code bytes} bytes (contents unspecified) whose address is a multiple of 64. */
  public static ArrowBuf allocate(BufferAllocator allocator, long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("negative buffer size " + bytes);
    }
    MemorySegment block = block(bytes);
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

  /** A libc block of {@code bytes} bytes (at least 1) with this class's alignment and advice; the caller frees it. */
  static MemorySegment block(long bytes) {
    boolean huge = bytes >= HUGE_PAGE_THRESHOLD;
    MemorySegment block = NativeHeap.alignedAlloc(huge ? HUGE_PAGE : ALIGNMENT, Math.max(bytes, 1));
    if (huge) {
      NativeHeap.adviseHugePages(block.address(), (bytes + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE);
    }
    return block;
  }
}
