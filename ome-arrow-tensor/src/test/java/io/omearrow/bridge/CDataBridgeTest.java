package io.omearrow.bridge;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.omearrow.core.OmeImage;
import io.omearrow.core.OmeImageBuilder;
import io.omearrow.core.PixelType;
import io.omearrow.dlpack.EmbeddedPython;
import io.omearrow.testing.LeakCheckedAllocator;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.apache.arrow.c.ArrowArray;
import org.apache.arrow.c.ArrowSchema;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.UInt2Vector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Arrow C Data Interface both ways with pyarrow in this process (embedded CPython). */
@ExtendWith(LeakCheckedAllocator.class)
class CDataBridgeTest {
  static void requirePyarrow() {
    String why = EmbeddedPython.unavailableReason();
    assumeTrue(why == null, () -> "skipped: " + why);
    assumeTrue(EmbeddedPython.exec("import pyarrow, numpy") == null,
        "skipped: pyarrow/numpy not importable in the embedded Python");
  }

  @Test
  void pyarrowReadsAnOmeArrowColumnZeroCopy(BufferAllocator a) {
    requirePyarrow();
    short[] px = new short[2 * 4 * 5];
    long sum = 0;
    for (int i = 0; i < px.length; i++) {
      px[i] = (short) (i * 1000);
      sum += (i * 1000) & 0xFFFF;
    }
    try (OmeImage image = OmeImageBuilder.of(PixelType.UINT16, 1, 1, 2, 4, 5).fromArray(px, a);
        Arena arena = Arena.ofConfined()) {
      long plane0 = image.storedPlane(0, 0, 0).orElseThrow().address();
      MemorySegment out = arena.allocate(8 * 4);
      try (CDataBridge.Exported ex = CDataBridge.exportImageColumn(image, a)) {
        String err = EmbeddedPython.exec("import pyarrow as pa, numpy as np, ctypes, gc\n"
            + "col = pa.Array._import_from_c(" + ex.arrayAddress() + ", " + ex.schemaAddress() + ")\n"
            + "pix = col.field('planes').flatten().field('pixels').flatten()\n"
            + "o = (ctypes.c_int64 * 4).from_address(" + out.address() + ")\n"
            + "o[0] = pix.buffers()[1].address + pix.offset * 2\n"
            + "o[1] = int(np.asarray(pix).astype(np.int64).sum())\n"
            + "o[2] = int(pix.type == pa.uint16())\n"
            + "o[3] = len(col)\n"
            + "del col, pix\ngc.collect()\n");
        assertNull(err);
      }
      assertEquals(plane0, out.getAtIndex(JAVA_LONG, 0), "pyarrow reads the Java pixel buffer in place");
      assertEquals(sum, out.getAtIndex(JAVA_LONG, 1));
      assertEquals(1, out.getAtIndex(JAVA_LONG, 2));
      assertEquals(1, out.getAtIndex(JAVA_LONG, 3));
    }
  }

  @Test
  void javaImportsAPyarrowArrayZeroCopy(BufferAllocator a) {
    requirePyarrow();
    try (Arena arena = Arena.ofConfined(); ArrowArray arr = ArrowArray.allocateNew(a);
        ArrowSchema schema = ArrowSchema.allocateNew(a)) {
      MemorySegment out = arena.allocate(8);
      String err = EmbeddedPython.exec("import pyarrow as pa, ctypes\n"
          + "back = pa.array([7, 65535, 0, 1234], type=pa.uint16())\n"
          + "(ctypes.c_int64 * 1).from_address(" + out.address() + ")[0] = back.buffers()[1].address\n"
          + "back._export_to_c(" + arr.memoryAddress() + ", " + schema.memoryAddress() + ")\n"
          + "del back\n");
      assertNull(err);
      try (FieldVector v = CDataBridge.importColumn(arr.memoryAddress(), schema.memoryAddress(), a)) {
        assertTrue(v instanceof UInt2Vector);
        UInt2Vector u = (UInt2Vector) v;
        assertEquals(4, u.getValueCount());
        assertEquals(65535, u.get(1));
        assertEquals(1234, u.get(3));
        assertEquals(out.get(JAVA_LONG, 0), u.getDataBuffer().memoryAddress(), "same buffer: zero-copy");
      }
    }
  }
}
