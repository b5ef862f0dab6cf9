package io.omearrow.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.omearrow.testing.LeakCheckedAllocator;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheckedAllocator.class)
class MemoryTest {

  @Test
  void alignedBuffersAreAlignedAndAccountedExactly(BufferAllocator allocator) {
    for (long bytes : new long[] {0, 1, 82, 4096, 524_288, AlignedBuffers.HUGE_PAGE_THRESHOLD, 33_554_432}) {
      try (ArrowBuf b = AlignedBuffers.allocate(allocator, bytes)) {
        long align = bytes >= AlignedBuffers.HUGE_PAGE_THRESHOLD ? 2L << 20 : 64;
        assertEquals(0, b.memoryAddress() % align, "address of a " + bytes + "-byte buffer");
        assertEquals(bytes, b.capacity());
        assertEquals(bytes, allocator.getAllocatedMemory(), "accounted bytes");
        if (bytes > 0) {
          b.setByte(bytes - 1, 7);
          assertEquals(7, b.getByte(bytes - 1));
        }
      }
      assertEquals(0, allocator.getAllocatedMemory());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AlignedBuffers.allocate(allocator, -1));
    assertEquals("negative buffer size -1", e.getMessage());
  }

  @Test
  void rowCopyMatchesARowByRowCopyForNativeAndHeapSegments() {
    byte[] src = new byte[300 * 100];
    for (int i = 0; i < src.length; i++) {
      src[i] = (byte) (i * 31 + 7);
    }
    // rows of 88 (below the native threshold), 212 and 300 bytes, source pitch 300, destination pitch 512
    for (int rowBytes : new int[] {88, 212, 300}) {
      byte[] expected = new byte[512 * 40];
      for (int r = 0; r < 40; r++) {
        System.arraycopy(src, 300 * (r + 5) + (300 - rowBytes), expected, 512 * r + 8, rowBytes);
      }
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment nsrc = arena.allocate(src.length).copyFrom(MemorySegment.ofArray(src));
        MemorySegment ndst = arena.allocate(expected.length);
        RowCopy.rows(nsrc, 300L * 5 + (300 - rowBytes), 300, ndst, 8, 512, rowBytes, 40);
        assertArrayEquals(expected, ndst.toArray(ValueLayout.JAVA_BYTE), "native rows of " + rowBytes);
        byte[] hdst = new byte[expected.length];
        RowCopy.rows(MemorySegment.ofArray(src), 300L * 5 + (300 - rowBytes), 300, MemorySegment.ofArray(hdst), 8, 512, rowBytes, 40);
        assertArrayEquals(expected, hdst, "heap rows of " + rowBytes);
      }
    }
  }

  @Test
  void rowCopyChecksTheWholeRectangleBeforeCopying() {
    MemorySegment src = MemorySegment.ofArray(new byte[1000]);
    byte[] out = new byte[1000];
    MemorySegment dst = MemorySegment.ofArray(out);
    IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> RowCopy.rows(src, 0, 100, dst, 0, 100, 100, 11));
    assertEquals("source rectangle [offset 0, 11 rows of 100 bytes, pitch 100] leaves a segment of 1000 bytes", e.getMessage());
    assertEquals(0, out[0], "nothing copied");
    e = assertThrows(IndexOutOfBoundsException.class, () -> RowCopy.rows(src, 0, 100, dst, 10, 99, 100, 10));
    assertEquals("destination rectangle [offset 10, 10 rows of 100 bytes, pitch 99] leaves a segment of 1000 bytes", e.getMessage());
    IllegalArgumentException ro = assertThrows(IllegalArgumentException.class, () -> RowCopy.rows(src, 0, 10, src.asReadOnly(), 0, 10, 10, 1));
    assertEquals("destination segment is read-only", ro.getMessage());
    IllegalArgumentException neg = assertThrows(IllegalArgumentException.class, () -> RowCopy.rows(src, 0, 10, dst, 0, 10, -1, 1));
    assertEquals("negative row size, row count or pitch: rowBytes=-1, rows=1, srcPitch=10, dstPitch=10", neg.getMessage());
  }
}
