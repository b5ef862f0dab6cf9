package io.omearrow.dlpack;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omearrow.core.FormatException;
import io.omearrow.core.OmeArrowException;
import io.omearrow.core.PixelType;
import io.omearrow.testing.LeakCheckedAllocator;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Imports structs written by hand, as a foreign producer would, with a counting deleter. */
@ExtendWith(LeakCheckedAllocator.class)
class DlpackImportTest {
  static final AtomicInteger DELETED = new AtomicInteger();
  static final MemorySegment COUNTING_DELETER;

  static {
    try {
      COUNTING_DELETER = Linker.nativeLinker().upcallStub(MethodHandles.lookup().findStatic(DlpackImportTest.class,
          "count", MethodType.methodType(void.class, MemorySegment.class)), FunctionDescriptor.ofVoid(ADDRESS),
          Arena.global());
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  static void count(MemorySegment self) {
    DELETED.incrementAndGet();
  }

  private Arena arena;
  private MemorySegment data;

  @BeforeEach
  void setUp() {
    DELETED.set(0);
    arena = Arena.ofConfined();
    data = arena.allocate(2 * 24, 64);
    for (int i = 0; i < 24; i++) {
      data.setAtIndex(JAVA_SHORT, i, (short) (i * 10));
    }
  }

  @AfterEach
  void tearDown() {
    arena.close();
  }

  /** A versioned struct: 2-D uint16 of shape {rows, cols}; strides may be null. */
  MemorySegment struct(int major, int minor, int deviceType, int code, int bits, int lanes, long[] shape,
      long[] strides, long byteOffset, long flags) {
    MemorySegment m = arena.allocate(80 + 16L * shape.length, 8);
    m.set(JAVA_INT, 0, major);
    m.set(JAVA_INT, 4, minor);
    m.set(ADDRESS, 16, COUNTING_DELETER);
    m.set(JAVA_LONG, 24, flags);
    m.set(ADDRESS, 32, data);
    m.set(JAVA_INT, 40, deviceType);
    m.set(JAVA_INT, 44, 0);
    m.set(JAVA_INT, 48, shape.length);
    m.set(JAVA_BYTE, 52, (byte) code);
    m.set(JAVA_BYTE, 53, (byte) bits);
    m.set(JAVA_SHORT, 54, (short) lanes);
    MemorySegment sh = m.asSlice(80, 8L * shape.length);
    MemorySegment.copy(shape, 0, sh, JAVA_LONG, 0, shape.length);
    m.set(ADDRESS, 56, sh);
    if (strides != null) {
      MemorySegment st = m.asSlice(80 + 8L * shape.length, 8L * shape.length);
      MemorySegment.copy(strides, 0, st, JAVA_LONG, 0, strides.length);
      m.set(ADDRESS, 64, st);
    } else {
      m.set(JAVA_LONG, 64, 0);
    }
    m.set(JAVA_LONG, 72, byteOffset);
    return MemorySegment.ofAddress(m.address());
  }

  MemorySegment plain(long[] shape, long[] strides) {
    return struct(1, 1, Device.CPU, 1, 16, 1, shape, strides, 0, 0);
  }

  @Test
  void nullStridesMeanCompactAndTheDeleterRunsOnceOnClose() {
    ImportedTensor t = DlpackImporter.importVersioned(plain(new long[] {4, 6}, null));
    assertArrayEquals(new long[] {6, 1}, t.strides());
    assertTrue(t.isCompact());
    assertEquals(PixelType.UINT16, t.type());
    assertEquals(data.address(), t.dataAddress());
    assertEquals(48, t.spanBytes());
    assertEquals(230, t.segment().getAtIndex(JAVA_SHORT, 23));
    assertFalse(t.readOnly());
    t.close();
    t.close();
    assertEquals(1, DELETED.get());
  }

  @Test
  void byteOffsetIsAddedToData() {
    try (ImportedTensor t = DlpackImporter.importVersioned(struct(1, 1, Device.CPU, 1, 16, 1, new long[] {3},
        new long[] {1}, 8, DlpackAbi.FLAG_READ_ONLY))) {
      assertEquals(data.address() + 8, t.dataAddress());
      assertEquals(40, t.segment().getAtIndex(JAVA_SHORT, 0));
      assertTrue(t.readOnly());
      assertTrue(t.segment().isReadOnly());
    }
    assertEquals(1, DELETED.get());
  }

  @Test
  void negativeStridesSpanBelowTheFirstElement() {
    // a row-flipped view: element [0,0] is row 3 of the 4x6 block
    MemorySegment s = struct(1, 1, Device.CPU, 1, 16, 1, new long[] {4, 6}, new long[] {-6, 1}, 36, 0);
    try (ImportedTensor t = DlpackImporter.importVersioned(s)) {
      assertEquals(data.address() + 36, t.dataAddress());
      assertEquals(data.address(), t.spanAddress());
      assertEquals(48, t.spanBytes());
      assertEquals(18, t.firstElementIndex());
      assertEquals(180, t.segment().getAtIndex(JAVA_SHORT, t.firstElementIndex()));
      assertFalse(t.isCompact());
    }
  }

  @Test
  void unknownMajorVersionIsRejectedAndReleased() {
    FormatException e = assertThrows(FormatException.class,
        () -> DlpackImporter.importVersioned(struct(2, 0, Device.CPU, 1, 16, 1, new long[] {24}, null, 0, 0)));
    assertEquals("DLPack tensor has version 2.0; only major version 1 is supported (the tensor was released through "
        + "its deleter)", e.getMessage());
    assertEquals(1, DELETED.get());
  }

  @Test
  void unsupportedDeviceDtypeAndStridesAreRejectedAndReleased() {
    assertEquals("DLPack tensor lives on kDLOpenCL:0; supported devices: kDLCPU, kDLCUDAHost, kDLCUDAManaged, kDLCUDA",
        assertThrows(FormatException.class, () -> DlpackImporter.importVersioned(
            struct(1, 1, 4, 1, 16, 1, new long[] {24}, null, 0, 0))).getMessage());
    assertEquals("DLPack dtype with 2 lanes is not supported; only lanes = 1", assertThrows(FormatException.class,
        () -> DlpackImporter.importVersioned(struct(1, 1, 1, 1, 16, 2, new long[] {12}, null, 0, 0))).getMessage());
    assertEquals("unsupported DLPack dtype (code 2, bits 16); supported: int/uint 8-64, float 32/64, bool",
        assertThrows(FormatException.class, () -> DlpackImporter.importVersioned(
            struct(1, 1, 1, 2, 16, 1, new long[] {24}, null, 0, 0))).getMessage());
    assertEquals("DLPack 1.2 tensor has NULL strides; strides are required since 1.2", assertThrows(
        FormatException.class, () -> DlpackImporter.importVersioned(struct(1, 2, 1, 1, 16, 1, new long[] {24}, null, 0,
            0))).getMessage());
    assertEquals("DLPack tensor shape [-1] has a negative dimension", assertThrows(FormatException.class,
        () -> DlpackImporter.importVersioned(plain(new long[] {-1}, null))).getMessage());
    assertEquals(5, DELETED.get());
  }

  @Test
  void cudaTensorsExposeTheirAddressOnly() {
    try (ImportedTensor t = DlpackImporter.importVersioned(struct(1, 1, Device.CUDA, 2, 32, 1, new long[] {12}, null, 0,
        0))) {
      assertEquals(Device.cuda(0), t.device());
      assertEquals(PixelType.FLOAT32, t.type());
      assertEquals("segment() needs host memory but the tensor lives on kDLCUDA:0; use its dataAddress() with a "
          + "CUDA library", assertThrows(OmeArrowException.class, t::segment).getMessage());
    }
    assertEquals(1, DELETED.get());
  }

  @Test
  void arrowBufOverTheImportKeepsTheProducerAlive(BufferAllocator a) {
    ImportedTensor t = DlpackImporter.importVersioned(plain(new long[] {4, 6}, null));
    ArrowBuf buf = t.toArrowBuf(a);
    assertEquals(data.address(), buf.memoryAddress());
    assertEquals(48, a.getAllocatedMemory());
    t.close();
    assertEquals(0, DELETED.get(), "the Arrow buffer still holds the tensor");
    assertEquals(70, buf.getShort(14));
    buf.close();
    assertEquals(1, DELETED.get());
    assertTrue(t.isReleased());
  }

  @Test
  void legacyStructsAreReadAtTheirOwnOffsets() {
    MemorySegment m = arena.allocate(64 + 8, 8);
    m.set(ADDRESS, 0, data);
    m.set(JAVA_INT, 8, Device.CPU);
    m.set(JAVA_INT, 16, 1);
    m.set(JAVA_BYTE, 20, (byte) 2);
    m.set(JAVA_BYTE, 21, (byte) 64);
    m.set(JAVA_SHORT, 22, (short) 1);
    m.set(JAVA_LONG, 64, 6);
    m.set(ADDRESS, 24, m.asSlice(64, 8));
    m.set(ADDRESS, 56, COUNTING_DELETER);
    try (ImportedTensor t = DlpackImporter.importLegacy(MemorySegment.ofAddress(m.address()))) {
      assertEquals(PixelType.FLOAT64, t.type());
      assertArrayEquals(new long[] {6}, t.shape());
      assertFalse(t.readOnly());
    }
    assertEquals(1, DELETED.get());
  }
}
