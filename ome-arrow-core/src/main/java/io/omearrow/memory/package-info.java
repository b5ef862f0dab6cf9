/**
 * Native memory the library hands out or copies through: 64-byte (and huge-page) aligned Arrow
 * buffers accounted to the caller's allocator ({@link io.omearrow.memory.AlignedBuffers}), libc
 * blocks ({@link io.omearrow.memory.NativeHeap}) and strided row copies
 * ({@link io.omearrow.memory.RowCopy}).
 */
package io.omearrow.memory;
