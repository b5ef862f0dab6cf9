package io.omearrow.dlpack;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omearrow.core.PixelSlice;
import io.omearrow.core.PixelType;
import io.omearrow.core.SelectionException;
import io.omearrow.testing.LeakCheckedAllocator;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.UInt2Vector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheckedAllocator.class)
class DlpackExportTest {
  private static final Linker LINKER = Linker.nativeLinker();

  static ArrowBuf ramp(BufferAllocator a, int n) {
    ArrowBuf b = a.buffer(2L * n);
    for (int i = 0; i < n; i++) {
      b.setShort(2L * i, (short) (i * 3 + 1));
    }
    return b;
  }

  /** Calls a DLPack deleter the way a C consumer does. */
  static void consumerDelete(MemorySegment struct, boolean versioned) throws Throwable {
    MemorySegment m = struct.reinterpret(DlpackAbi.managedSize(versioned));
    MemorySegment fn = m.get(ADDRESS, DlpackAbi.deleterOffset(versioned));
    MethodHandle h = LINKER.downcallHandle(fn, FunctionDescriptor.ofVoid(ADDRESS));
    h.invokeExact(MemorySegment.ofAddress(struct.address()));
  }

  @Test
  void layoutsMatchTheCAbi() {
    assertEquals(48, DlpackAbi.TENSOR.byteSize());
    assertEquals(64, DlpackAbi.MANAGED_LEGACY.byteSize());
    assertEquals(80, DlpackAbi.MANAGED_VERSIONED.byteSize());
    assertEquals(56, DlpackAbi.deleterOffset(false));
    assertEquals(48, DlpackAbi.contextOffset(false));
    assertEquals(16, DlpackAbi.deleterOffset(true));
    assertEquals(8, DlpackAbi.contextOffset(true));
    assertEquals(24, DlpackAbi.flagsOffset());
    assertEquals(32, DlpackAbi.tensorOffset(true));
    assertEquals(new long[] {0, 8, 16, 20, 24, 32, 40}[6], DlpackAbi.T_BYTE_OFFSET);
    assertEquals(24, DlpackAbi.T_SHAPE);
    assertEquals(32, DlpackAbi.T_STRIDES);
    assertEquals(20, DlpackAbi.T_CODE);
    assertEquals(22, DlpackAbi.T_LANES);
  }

  @Test
  void arrowExportWritesAVersionedReadOnlyStructOverTheArrowBuffer(BufferAllocator a) throws Throwable {
    try (ArrowBuf buf = ramp(a, 10)) {
      PixelSlice slice = new PixelSlice(buf, 4, 8, PixelType.UINT16);
      long freed = DlpackDeleter.freedCount();
      ManagedTensor mt = DlpackExporter.exportArrow(slice, new long[] {2, 4}, ExportOptions.DEFAULT);
      assertEquals(2, buf.getReferenceManager().getRefCount(), "export retains the Arrow buffer");
      MemorySegment s = mt.handOff().reinterpret(80 + 32);
      assertEquals(1, s.get(JAVA_INT, 0));
      assertEquals(DlpackAbi.MINOR_VERSION, s.get(JAVA_INT, 4));
      assertEquals(DlpackDeleter.stub().address(), s.get(ADDRESS, 16).address());
      assertEquals(DlpackAbi.FLAG_READ_ONLY, s.get(JAVA_LONG, 24));
      assertEquals(buf.memoryAddress() + 4, s.get(JAVA_LONG, 32));
      assertEquals(Device.CPU, s.get(JAVA_INT, 40));
      assertEquals(0, s.get(JAVA_INT, 44));
      assertEquals(2, s.get(JAVA_INT, 48));
      assertEquals(1, s.get(JAVA_BYTE, 52));
      assertEquals(16, s.get(JAVA_BYTE, 53));
      assertEquals(1, s.get(JAVA_SHORT, 54));
      MemorySegment shape = MemorySegment.ofAddress(s.get(JAVA_LONG, 56)).reinterpret(16);
      MemorySegment strides = MemorySegment.ofAddress(s.get(JAVA_LONG, 64)).reinterpret(16);
      assertArrayEquals(new long[] {2, 4}, shape.toArray(JAVA_LONG));
      assertArrayEquals(new long[] {4, 1}, strides.toArray(JAVA_LONG));
      assertEquals(0, s.get(JAVA_LONG, 72));
      assertThrows(IllegalStateException.class, mt::handOff);
      consumerDelete(mt.pointer(), true);
      assertEquals(freed + 1, DlpackDeleter.freedCount());
      assertEquals(1, buf.getReferenceManager().getRefCount(), "deleter released the Arrow buffer");
      assertFalse(mt.isLive());
      mt.close(); // after hand-off: no effect
      assertEquals(freed + 1, DlpackDeleter.freedCount());
    }
  }

  @Test
  void exportOutlivesTheJavaVectorUntilTheConsumerDeletes(BufferAllocator a) {
    UInt2Vector v = new UInt2Vector("pixels", a);
    v.allocateNew(64);
    for (int i = 0; i < 64; i++) {
      v.set(i, 1000 + i);
    }
    v.setValueCount(64);
    PixelSlice slice = new PixelSlice(v.getDataBuffer(), 0, 64, PixelType.UINT16);
    ManagedTensor mt = DlpackExporter.exportArrow(slice, new long[] {8, 8}, ExportOptions.DEFAULT);
    v.close();
    assertTrue(a.getAllocatedMemory() > 0, "the export keeps the buffer allocated after the vector closed");
    try (ImportedTensor in = DlpackImporter.importVersioned(mt.handOff())) {
      assertEquals(mt.dataAddress(), in.dataAddress());
      assertTrue(in.readOnly());
      MemorySegment seg = in.segment();
      assertTrue(seg.isReadOnly());
      assertEquals(1000 + 63, Short.toUnsignedInt(seg.getAtIndex(JAVA_SHORT, 63)));
      assertArrayEquals(new long[] {8, 8}, in.shape());
      assertEquals(PixelType.UINT16, in.type());
    }
    assertEquals(0, a.getAllocatedMemory(), "the consumer's deleter freed the last reference");
  }

  @Test
  void deleterRunsOnANativeThreadAndIgnoresASecondCall(BufferAllocator a) throws Throwable {
    try (ArrowBuf buf = ramp(a, 16)) {
      ManagedTensor mt = DlpackExporter.exportArrow(new PixelSlice(buf, 0, 16, PixelType.UINT16), ExportOptions.DEFAULT);
      MemorySegment p = mt.handOff();
      MethodHandle create = LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow("pthread_create"),
          FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
      MethodHandle join = LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow("pthread_join"),
          FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS));
      long freed = DlpackDeleter.freedCount();
      long ignored = DlpackDeleter.ignoredCount();
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment tid = arena.allocate(JAVA_LONG);
        // the deleter's signature void(void*) is call-compatible with a pthread start routine
        assertEquals(0, (int) create.invokeExact(tid, MemorySegment.NULL, DlpackDeleter.stub(), p));
        assertEquals(0, (int) join.invokeExact(tid.get(JAVA_LONG, 0), MemorySegment.NULL));
      }
      assertEquals(freed + 1, DlpackDeleter.freedCount());
      assertEquals(1, buf.getReferenceManager().getRefCount());
      // double delete (the consumer kept the function pointer): harmless
      MethodHandle stub = LINKER.downcallHandle(DlpackDeleter.stub(), FunctionDescriptor.ofVoid(ADDRESS));
      stub.invokeExact(p);
      assertEquals(ignored + 1, DlpackDeleter.ignoredCount());
      assertEquals(freed + 1, DlpackDeleter.freedCount());
      assertNull(DlpackDeleter.lastFailure());
    }
  }

  @Test
  void anExportThatIsNeverHandedOffIsFreedByClose(BufferAllocator a) {
    try (ArrowBuf buf = ramp(a, 4)) {
      long freed = DlpackDeleter.freedCount();
      ManagedTensor mt = DlpackExporter.exportArrow(new PixelSlice(buf, 0, 4, PixelType.UINT16), ExportOptions.DEFAULT);
      assertTrue(mt.isLive());
      mt.close();
      mt.close();
      assertFalse(mt.isLive());
      assertEquals(freed + 1, DlpackDeleter.freedCount());
      assertEquals(1, buf.getReferenceManager().getRefCount());
      assertThrows(IllegalStateException.class, mt::handOff);
    }
  }

  @Test
  void stridedExportIsAZeroCopyViewOfTheRoi(BufferAllocator a) {
    try (ArrowBuf buf = ramp(a, 24)) {
      PixelSlice plane = new PixelSlice(buf, 0, 24, PixelType.UINT16); // 4 x 6
      try (ManagedTensor mt = DlpackExporter.exportStrided(plane, 1 * 6 + 2, new long[] {2, 3}, new long[] {6, 1},
          ExportOptions.writable())) {
        assertEquals(buf.memoryAddress() + 16, mt.dataAddress());
        assertEquals(0, mt.flags());
        assertArrayEquals(new long[] {6, 1}, mt.strides());
        assertEquals(buf.memoryAddress() + 16,
            mt.pointer().reinterpret(80).get(JAVA_LONG, DlpackAbi.V_TENSOR + DlpackAbi.T_DATA));
      }
      SelectionException e = assertThrows(SelectionException.class, () -> DlpackExporter.exportStrided(plane, 20,
          new long[] {2, 3}, new long[] {6, 1}, ExportOptions.DEFAULT));
      assertEquals("strided view [2, 3] strides [6, 1] from element 20 leaves the plane of 24 elements", e.getMessage());
      assertEquals(1, buf.getReferenceManager().getRefCount());
    }
  }

  @Test
  void contiguousExportCopiesARoiIntoAnAlignedBufferAndSaysSo(BufferAllocator a) {
    try (ArrowBuf buf = ramp(a, 24)) {
      MemorySegment src = MemorySegment.ofAddress(buf.memoryAddress()).reinterpret(48);
      long base = a.getAllocatedMemory();
      ManagedTensor mt = DlpackExporter.exportContiguous(src, (6 + 2) * 2, PixelType.UINT16, new long[] {3, 3},
          new long[] {6, 1}, a, ExportOptions.DEFAULT);
      assertEquals(0, mt.dataAddress() % 64);
      assertTrue(mt.copied());
      assertTrue(mt.readOnly());
      assertArrayEquals(new long[] {3, 1}, mt.strides());
      MemorySegment out = MemorySegment.ofAddress(mt.dataAddress()).reinterpret(18);
      short[] got = out.toArray(JAVA_SHORT);
      short[] want = new short[9];
      for (int r = 0; r < 3; r++) {
        for (int c = 0; c < 3; c++) {
          want[r * 3 + c] = (short) (((r + 1) * 6 + c + 2) * 3 + 1);
        }
      }
      assertArrayEquals(want, got);
      assertTrue(a.getAllocatedMemory() >= base + 18 + 64);
      mt.close();
      assertEquals(base, a.getAllocatedMemory(), "the copy is freed with the export");
    }
  }

  @Test
  void materialisedExportTakesItsOwnReference(BufferAllocator a) throws Throwable {
    ArrowBuf buf = ramp(a, 6);
    ManagedTensor mt = DlpackExporter.exportMaterialised(buf, 0, PixelType.UINT16, new long[] {2, 3},
        ExportOptions.DEFAULT);
    buf.close();
    assertTrue(mt.copied());
    consumerDelete(mt.handOff(), true);
    assertEquals(0, a.getAllocatedMemory());
  }

  @Test
  void legacyExportUsesTheUnversionedLayout(BufferAllocator a) throws Throwable {
    try (ArrowBuf buf = ramp(a, 6)) {
      ManagedTensor mt = DlpackExporter.exportArrow(new PixelSlice(buf, 0, 6, PixelType.UINT16), ExportOptions.legacy());
      MemorySegment s = mt.handOff().reinterpret(64);
      assertEquals(buf.memoryAddress(), s.get(JAVA_LONG, 0));
      assertEquals(1, s.get(JAVA_INT, 16));
      assertEquals(DlpackDeleter.stub().address(), s.get(JAVA_LONG, 56));
      assertEquals(0, mt.flags());
      try (ImportedTensor in = DlpackImporter.importLegacy(s)) {
        assertFalse(in.versioned());
        assertEquals(16, Short.toUnsignedInt(in.segment().getAtIndex(JAVA_SHORT, 5)));
      }
      assertEquals(1, buf.getReferenceManager().getRefCount());
    }
  }

  @Test
  void exportRejectsBadShapes(BufferAllocator a) {
    try (ArrowBuf buf = ramp(a, 6)) {
      PixelSlice slice = new PixelSlice(buf, 0, 6, PixelType.UINT16);
      assertEquals("shape [4, 2] holds 8 elements but the slice has 6", assertThrows(SelectionException.class,
          () -> DlpackExporter.exportArrow(slice, new long[] {4, 2}, ExportOptions.DEFAULT)).getMessage());
      assertEquals("strides [1] do not match shape [2, 3]; DLPack exports always carry one stride per dimension",
          assertThrows(SelectionException.class, () -> DlpackExporter.exportStrided(buf, 0, PixelType.UINT16,
              new long[] {2, 3}, new long[] {1}, ExportOptions.DEFAULT)).getMessage());
      assertEquals(1, buf.getReferenceManager().getRefCount());
    }
  }
}
