package io.omearrow.bridge;

import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omearrow.core.PixelType;
import io.omearrow.core.SelectionException;
import io.omearrow.testing.LeakCheckedAllocator;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheckedAllocator.class)
class BuffersAndStacksTest {
  static short[] ramp(int n, int base) {
    short[] s = new short[n];
    for (int i = 0; i < n; i++) {
      s[i] = (short) (base + i);
    }
    return s;
  }

  @Test
  void bufferFromCopiesOnlyWhenTheKindChanges(BufferAllocator a) {
    BufferPrototype host = BufferPrototype.host(a);
    try (Buffer b = host.bytes().allocate(100)) {
      assertEquals(0, b.segment().address() % 64);
      b.segment().fill((byte) 7);
      Converted<Buffer> same = Buffer.from(b, host.bytes());
      assertFalse(same.copied());
      assertEquals(b.segment().address(), same.value().segment().address());
      same.value().close(); // borrowed: frees nothing
      Buffer heap = Buffer.wrap(MemorySegment.ofArray(new byte[] {1, 2, 3}));
      Converted<Buffer> moved = Buffer.from(heap, host.bytes());
      try (Buffer m = moved.value()) {
        assertTrue(moved.copied());
        assertEquals(MemoryKind.HOST_NATIVE, m.kind());
        assertArrayEquals(new byte[] {1, 2, 3}, m.toBytes());
      }
      assertEquals(7, b.toBytes()[99]);
    }
  }

  @Test
  void ndBufferFromHostToHostIsAView(BufferAllocator a) {
    BufferPrototype host = BufferPrototype.host(a);
    try (NDBuffer nd = host.nd().allocate(PixelType.UINT16, new long[] {2, 3})) {
      MemorySegment.copy(MemorySegment.ofArray(ramp(6, 10)), 0, nd.segment(), 0, 12);
      Converted<NDBuffer> c = NDBuffer.from(nd, host.nd());
      assertFalse(c.copied());
      assertEquals(nd.segment().address(), c.value().segment().address());
      NDBuffer row = nd.slice(1);
      assertArrayEquals(new long[] {3}, row.shape());
      assertEquals(13, row.segment().getAtIndex(JAVA_SHORT, 0));
      NDBuffer heap = NDBuffer.wrap(MemorySegment.ofArray(ramp(6, 0)), PixelType.UINT16, new long[] {2, 3});
      Converted<NDBuffer> copied = NDBuffer.from(heap, host.nd());
      try (NDBuffer n = copied.value()) {
        assertTrue(copied.copied());
        assertEquals(5, n.segment().getAtIndex(JAVA_SHORT, 5));
      }
    }
  }

  @Test
  void stackTakesOnly2dPlanesOfOneShapeAndReturns3d(BufferAllocator a) {
    BufferPrototype host = BufferPrototype.host(a);
    ConversionOptions o = ConversionOptions.defaults().withType(PixelType.UINT16).withShape(2, 3);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment native1 = arena.allocate(12, 64);
      MemorySegment.copy(MemorySegment.ofArray(ramp(6, 100)), 0, native1, 0, 12);
      // planes of three memory types: an array, a native segment, an NDBuffer
      NDBuffer third = NDBuffer.wrap(MemorySegment.ofArray(ramp(6, 200)), PixelType.UINT16, new long[] {2, 3});
      try (NDBuffer vol = Stacks.stack(List.of(ramp(6, 0), native1, third), host, o)) {
        assertArrayEquals(new long[] {3, 2, 3}, vol.shape());
        assertEquals(MemoryKind.HOST_NATIVE, vol.kind());
        short[] all = vol.segment().toArray(JAVA_SHORT);
        assertEquals(List.of((short) 0, (short) 5, (short) 100, (short) 105, (short) 200, (short) 205),
            List.of(all[0], all[5], all[6], all[11], all[12], all[17]));
        List<NDBuffer> planes = Stacks.unstack(vol, ConversionOptions.defaults());
        assertEquals(3, planes.size());
        assertArrayEquals(new long[] {2, 3}, planes.get(2).shape());
        assertEquals(vol.segment().address() + 24, planes.get(2).segment().address(), "unstack is zero-copy");
      }
      assertEquals("stack needs at least one 2-D plane, got none",
          assertThrows(SelectionException.class, () -> Stacks.stack(List.of(), host, o)).getMessage());
      assertEquals("stack needs 2-D planes; plane 0 has shape [6]", assertThrows(SelectionException.class,
          () -> Stacks.stack(List.of(ramp(6, 0)), host, ConversionOptions.defaults())).getMessage());
      assertEquals("plane 1 is uint16[3, 2] but plane 0 is uint16[2, 3]; all planes must match",
          assertThrows(SelectionException.class, () -> Stacks.stack(List.of(ramp(6, 0),
              NDBuffer.wrap(MemorySegment.ofArray(ramp(6, 0)), PixelType.UINT16, new long[] {3, 2})), host, o))
              .getMessage());
      assertEquals("unstack needs a 3-D volume, got shape [2, 3]", assertThrows(SelectionException.class,
          () -> Stacks.unstack(ramp(6, 0), o)).getMessage());
    }
  }

  @Test
  void unstackReadsAFlatSourceWithAGivenShape() {
    List<NDBuffer> planes = Stacks.unstack(ramp(24, 0),
        ConversionOptions.defaults().withType(PixelType.UINT16).withShape(4, 2, 3));
    assertEquals(4, planes.size());
    assertEquals(MemoryKind.HOST_HEAP, planes.get(3).kind());
    assertEquals(18, planes.get(3).segment().getAtIndex(JAVA_SHORT, 0));
  }
}
