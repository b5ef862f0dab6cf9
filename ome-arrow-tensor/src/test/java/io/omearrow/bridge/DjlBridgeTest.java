package io.omearrow.bridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.omearrow.core.PixelType;
import io.omearrow.testing.LeakCheckedAllocator;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.UInt2Vector;
import org.apache.arrow.vector.UInt4Vector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** DJL (ONNX Runtime engine, offline, test scope): shared where the engine can hold the dtype, widened otherwise. */
@ExtendWith(LeakCheckedAllocator.class)
class DjlBridgeTest {
  @BeforeAll
  static void engine() {
    String why = BridgeFixtures.djlUnavailable();
    assumeTrue(why == null, () -> "skipped: " + why);
  }

  @Test
  void uint16IsWidenedToInt32WithAVisibleCopy(BufferAllocator a) {
    try (NDManager m = NDManager.newBaseManager("OnnxRuntime"); UInt2Vector v = new UInt2Vector("px", a)) {
      v.allocateNew(6);
      int[] values = {0, 1, 40000, 65535, 7, 1234};
      for (int i = 0; i < 6; i++) {
        v.set(i, values[i]);
      }
      v.setValueCount(6);
      Converted<NDArray> c = MemoryBridge.convert(v, MemoryType.DJL, NDArray.class,
          ConversionOptions.defaults().withDjlManager(m).withShape(2, 3));
      assertTrue(c.copied());
      assertEquals("widening copy", c.method());
      assertEquals(DataType.INT32, c.value().getDataType());
      assertArrayEquals(new long[] {2, 3}, c.value().getShape().getShape());
      assertArrayEquals(values, c.value().toIntArray());
      MemoryConversionException e = assertThrows(MemoryConversionException.class, () -> MemoryBridge.convert(v,
          MemoryType.DJL, ConversionOptions.defaults().withDjlManager(m).withCopy(CopyPolicy.NEVER)));
      assertEquals("Cannot convert from ARROW to DJL using widening copy. Reason: uint16 must be widened to int32 for DJL "
          + "engines; copy policy is NEVER", e.getMessage());
    }
  }

  @Test
  void uint32IsWidenedToInt64(BufferAllocator a) {
    try (NDManager m = NDManager.newBaseManager("OnnxRuntime"); UInt4Vector v = new UInt4Vector("px", a)) {
      v.allocateNew(2);
      v.set(0, 0xFFFFFFFF);
      v.set(1, 5);
      v.setValueCount(2);
      Converted<NDArray> c = MemoryBridge.convert(v, MemoryType.DJL, NDArray.class,
          ConversionOptions.defaults().withDjlManager(m));
      assertTrue(c.copied());
      assertEquals(DataType.INT64, c.value().getDataType());
      assertArrayEquals(new long[] {4294967295L, 5}, c.value().toLongArray());
    }
  }

  @Test
  void uint8IsShared(BufferAllocator a) {
    try (NDManager m = NDManager.newBaseManager("OnnxRuntime"); UInt1Vector v = new UInt1Vector("px", a)) {
      v.allocateNew(4);
      for (int i = 0; i < 4; i++) {
        v.set(i, 250 + i);
      }
      v.setValueCount(4);
      Converted<NDArray> c = MemoryBridge.convert(v, MemoryType.DJL, NDArray.class,
          ConversionOptions.defaults().withDjlManager(m).withCopy(CopyPolicy.NEVER));
      assertFalse(c.copied());
      assertEquals(DataType.UINT8, c.value().getDataType());
      v.set(0, 9);
      assertEquals(9, Byte.toUnsignedInt(c.value().toByteArray()[0]), "the NDArray aliases the Arrow buffer");
    }
  }

  @Test
  void uint64IsRefused(BufferAllocator a) {
    try (NDManager m = NDManager.newBaseManager("OnnxRuntime")) {
      MemoryConversionException e = assertThrows(MemoryConversionException.class, () -> MemoryBridge.convert(new long[4],
          MemoryType.DJL, ConversionOptions.defaults().withDjlManager(m).withType(PixelType.UINT64)));
      assertEquals("uint64 is not supported by DJL engines (PyTorch aborts the JVM on it); convert the pixels first",
          e.reason());
    }
  }
}
