package io.omearrow.dlpack;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.omearrow.core.PixelSlice;
import io.omearrow.core.PixelType;
import io.omearrow.testing.LeakCheckedAllocator;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.UInt2Vector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * NumPy (and PyTorch where installed) consume our exports in this very process through an
 * embedded CPython: same address, same strides, read-only honoured, freed through our deleter.
 */
@ExtendWith(LeakCheckedAllocator.class)
class PythonDlpackTest {
  static final MemorySegment VERSIONED_NAME = Arena.global().allocateFrom("dltensor_versioned");
  static final MemorySegment LEGACY_NAME = Arena.global().allocateFrom("dltensor");

  @BeforeAll
  static void python() {
    String why = EmbeddedPython.unavailableReason();
    assumeTrue(why == null, () -> "skipped: " + why);
    String err = EmbeddedPython.exec("""
        import ctypes, gc
        _new = ctypes.pythonapi.PyCapsule_New
        _new.restype = ctypes.py_object
        _new.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
        class Exported:
            def __init__(self, cap, dev):
                self.cap, self.dev = cap, dev
            def __dlpack__(self, stream=None, max_version=None, dl_device=None, copy=None):
                c, self.cap = self.cap, None
                return c
            def __dlpack_device__(self):
                return self.dev
        def exported(ptr, name):
            return Exported(_new(ptr, name, None), (1, 0))
        def out(addr, n):
            return (ctypes.c_int64 * n).from_address(addr)
        """);
    assertNull(err);
  }

  static void requireModule(String module) {
    String err = EmbeddedPython.exec("import " + module);
    assumeTrue(err == null, () -> "skipped: Python module " + module + " is not importable in the embedded "
        + "interpreter (" + EmbeddedPython.class.getSimpleName() + " uses " + io.omearrow.testing.Python.executable() + ")");
  }

  static UInt2Vector stack(BufferAllocator a, int n) {
    UInt2Vector v = new UInt2Vector("pixels", a);
    v.allocateNew(n);
    for (int i = 0; i < n; i++) {
      v.set(i, (i * 7) & 0xFFFF);
    }
    v.setValueCount(n);
    return v;
  }

  static long expectedSum(int n, int from, int count) {
    long s = 0;
    for (int i = from; i < from + count; i++) {
      s += (i * 7) & 0xFFFF;
    }
    return s;
  }

  @Test
  void numpyReadsAnArrowExportZeroCopyAndFreesItThroughOurDeleter(BufferAllocator a) {
    requireModule("numpy");
    int n = 2 * 3 * 64 * 48;
    UInt2Vector v = stack(a, n);
    ManagedTensor mt = DlpackExporter.exportArrow(new PixelSlice(v.getDataBuffer(), 0, n, PixelType.UINT16),
        new long[] {2, 3, 64, 48}, ExportOptions.DEFAULT);
    v.close(); // the Java side lets go first; the export keeps the pixels alive
    long freed = DlpackDeleter.freedCount();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(8 * 16);
      String err = EmbeddedPython.exec("import numpy as np\n"
          + "arr = np.from_dlpack(exported(" + mt.handOff().address() + ", " + VERSIONED_NAME.address() + "))\n"
          + "o = out(" + out.address() + ", 16)\n"
          + "o[0] = arr.__array_interface__['data'][0]\n"
          + "o[1] = int(arr.flags.writeable)\n"
          + "o[2:6] = list(arr.strides)\n"
          + "o[6] = int(arr.astype(np.int64).sum())\n"
          + "o[7] = int(arr.dtype == np.uint16)\n"
          + "o[8] = int(arr[1, 2, 63, 47])\n"
          + "o[9:13] = list(arr.shape)\n"
          + "del arr\ngc.collect()\n");
      assertNull(err);
      assertEquals(mt.dataAddress(), out.getAtIndex(JAVA_LONG, 0), "same address: zero-copy");
      assertEquals(0, out.getAtIndex(JAVA_LONG, 1), "READ_ONLY honoured");
      assertArrayEquals(new long[] {18432, 6144, 96, 2}, out.asSlice(16, 32).toArray(JAVA_LONG));
      assertEquals(expectedSum(n, 0, n), out.getAtIndex(JAVA_LONG, 6));
      assertEquals(1, out.getAtIndex(JAVA_LONG, 7));
      assertEquals(((n - 1) * 7) & 0xFFFF, out.getAtIndex(JAVA_LONG, 8));
      assertArrayEquals(new long[] {2, 3, 64, 48}, out.asSlice(72, 32).toArray(JAVA_LONG));
    }
    assertEquals(freed + 1, DlpackDeleter.freedCount(), "NumPy called our deleter exactly once");
    assertFalse(mt.isLive());
    assertEquals(0, a.getAllocatedMemory());
  }

  @Test
  void numpyWritesThroughAWritableStridedRoi(BufferAllocator a) {
    requireModule("numpy");
    try (UInt2Vector v = stack(a, 8 * 10)) {
      PixelSlice plane = new PixelSlice(v.getDataBuffer(), 0, 80, PixelType.UINT16);
      ManagedTensor mt = DlpackExporter.exportStrided(plane, 2 * 10 + 3, new long[] {4, 5}, new long[] {10, 1},
          ExportOptions.writable());
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment out = arena.allocate(8 * 8);
        String err = EmbeddedPython.exec("import numpy as np\n"
            + "arr = np.from_dlpack(exported(" + mt.handOff().address() + ", " + VERSIONED_NAME.address() + "))\n"
            + "o = out(" + out.address() + ", 8)\n"
            + "o[0] = arr.__array_interface__['data'][0]\n"
            + "o[1] = int(arr.flags.writeable)\n"
            + "o[2:4] = list(arr.strides)\n"
            + "o[4] = int(arr[0, 0])\n"
            + "arr[3, 4] = 4242\n"
            + "del arr\ngc.collect()\n");
        assertNull(err);
        assertEquals(mt.dataAddress(), out.getAtIndex(JAVA_LONG, 0));
        assertEquals(1, out.getAtIndex(JAVA_LONG, 1));
        assertArrayEquals(new long[] {20, 2}, out.asSlice(16, 16).toArray(JAVA_LONG));
        assertEquals(23 * 7, out.getAtIndex(JAVA_LONG, 4));
      }
      assertEquals(4242, v.get(5 * 10 + 7), "NumPy wrote into the Arrow vector");
      assertFalse(mt.isLive());
    }
  }

  @Test
  void numpyImportsTheLegacyStructReadOnly(BufferAllocator a) {
    requireModule("numpy");
    try (UInt2Vector v = stack(a, 12)) {
      ManagedTensor mt = DlpackExporter.exportArrow(new PixelSlice(v.getDataBuffer(), 0, 12, PixelType.UINT16),
          new long[] {3, 4}, ExportOptions.legacy());
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment out = arena.allocate(8 * 4);
        String err = EmbeddedPython.exec("import numpy as np\n"
            + "arr = np.from_dlpack(exported(" + mt.handOff().address() + ", " + LEGACY_NAME.address() + "))\n"
            + "o = out(" + out.address() + ", 4)\n"
            + "o[0] = arr.__array_interface__['data'][0]\n"
            + "o[1] = int(arr.flags.writeable)\n"
            + "o[2] = int(arr.sum())\n"
            + "del arr\ngc.collect()\n");
        assertNull(err);
        assertEquals(mt.dataAddress(), out.getAtIndex(JAVA_LONG, 0));
        assertEquals(0, out.getAtIndex(JAVA_LONG, 1));
        assertEquals(expectedSum(12, 0, 12), out.getAtIndex(JAVA_LONG, 2));
      }
      assertFalse(mt.isLive());
    }
  }

  @Test
  void javaImportsANumpyExport(BufferAllocator a) {
    requireModule("numpy");
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(8 * 4);
      // NumPy hands out a capsule; Java takes the struct pointer and renames the capsule as a consumer must.
      String err = EmbeddedPython.exec("import numpy as np\n"
          + "src = np.arange(24, dtype=np.float32).reshape(4, 6)[:, ::2]\n"
          + "cap = src.__dlpack__(max_version=(1, 0))\n"
          + "_ptr = ctypes.pythonapi.PyCapsule_GetPointer\n"
          + "_ptr.restype = ctypes.c_void_p\n_ptr.argtypes = [ctypes.py_object, ctypes.c_char_p]\n"
          + "_rn = ctypes.pythonapi.PyCapsule_SetName\n_rn.argtypes = [ctypes.py_object, ctypes.c_char_p]\n"
          + "_used = b'used_dltensor_versioned'\n"
          + "o = out(" + out.address() + ", 4)\n"
          + "o[0] = _ptr(cap, b'dltensor_versioned')\n"
          + "_rn(cap, _used)\n"
          + "o[1] = src.__array_interface__['data'][0]\n"
          + "del src, cap\ngc.collect()\n");
      assertNull(err);
      try (ImportedTensor t = DlpackImporter.take(out.getAtIndex(JAVA_LONG, 0), true)) {
        assertEquals(PixelType.FLOAT32, t.type());
        assertArrayEquals(new long[] {4, 3}, t.shape());
        assertArrayEquals(new long[] {6, 2}, t.strides());
        assertEquals(out.getAtIndex(JAVA_LONG, 1), t.dataAddress());
        float last = t.segment().getAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, t.firstElementIndex() + 3 * 6 + 2 * 2);
        assertEquals(22f, last);
      }
    }
  }

  @Test
  void torchReadsAnArrowExportZeroCopy(BufferAllocator a) {
    requireModule("torch");
    try (UInt2Vector v = stack(a, 64)) {
      ManagedTensor mt = DlpackExporter.exportArrow(new PixelSlice(v.getDataBuffer(), 0, 64, PixelType.UINT16),
          new long[] {8, 8}, ExportOptions.DEFAULT);
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment out = arena.allocate(8 * 4);
        String err = EmbeddedPython.exec("import torch\n"
            + "t = torch.from_dlpack(exported(" + mt.handOff().address() + ", " + VERSIONED_NAME.address() + "))\n"
            + "o = out(" + out.address() + ", 4)\n"
            + "o[0] = t.data_ptr()\n"
            + "o[1] = int(t.to(torch.int64).sum())\n"
            + "o[2:4] = list(t.stride())\n"
            + "del t\ngc.collect()\n");
        assertNull(err);
        assertEquals(mt.dataAddress(), out.getAtIndex(JAVA_LONG, 0));
        assertEquals(expectedSum(64, 0, 64), out.getAtIndex(JAVA_LONG, 1));
        assertArrayEquals(new long[] {8, 1}, out.asSlice(16, 16).toArray(JAVA_LONG));
      }
      assertFalse(mt.isLive());
    }
  }
}
