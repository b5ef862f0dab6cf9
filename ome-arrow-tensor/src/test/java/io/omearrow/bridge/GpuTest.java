package io.omearrow.bridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.omearrow.core.OmeArrowException;
import io.omearrow.core.PixelType;
import io.omearrow.dlpack.Device;
import io.omearrow.dlpack.DlpackImporter;
import io.omearrow.dlpack.ExportOptions;
import io.omearrow.dlpack.ImportedTensor;
import io.omearrow.dlpack.ManagedTensor;
import io.omearrow.testing.LeakCheckedAllocator;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** CUDA edges: run where {@link GpuProbe} finds a GPU, skipped with its reason elsewhere. */
@ExtendWith(LeakCheckedAllocator.class)
class GpuTest {
  static void requireGpu() {
    GpuProbe.Result r = GpuProbe.probe();
    assumeTrue(r.status() == GpuProbe.Status.AVAILABLE, () -> "skipped: " + r.reason());
  }

  @Test
  void probeAnswersWithoutThrowing() {
    GpuProbe.Result r = GpuProbe.probe();
    assertTrue(!r.reason().isBlank());
    if (r.status() != GpuProbe.Status.AVAILABLE) {
      assertEquals(0, r.deviceCount());
      OmeArrowException e = assertThrows(OmeArrowException.class, () -> MemoryBridge.convert(new float[4],
          MemoryType.CUDA, ConversionOptions.defaults()));
      assertEquals("CUDA is not usable: " + r.reason(), e.getMessage());
    } else {
      assertTrue(r.deviceCount() > 0);
    }
  }

  @Test
  void hostToDeviceIsAlwaysACopyAndNeverRefusesIt() {
    MemoryConversionException e = assertThrows(MemoryConversionException.class, () -> MemoryBridge.convert(
        new float[4], MemoryType.CUDA, ConversionOptions.defaults().withCopy(CopyPolicy.NEVER)));
    assertEquals("host memory always moves to the device by copy; copy policy is NEVER", e.reason());
  }

  @Test
  void roundTripThroughTheDeviceWithStagingChunks(BufferAllocator a) {
    requireGpu();
    int n = (int) (CudaMemory.STAGING_CHUNK / 2 * 3 + 17); // more than two staging chunks of uint16
    short[] src = new short[n];
    for (int i = 0; i < n; i++) {
      src[i] = (short) (i * 31);
    }
    Converted<CudaBuffer> up = MemoryBridge.convert(src, MemoryType.CUDA, CudaBuffer.class,
        ConversionOptions.defaults().withType(PixelType.UINT16));
    try (CudaBuffer dev = up.value()) {
      assertTrue(up.copied());
      assertEquals("H2D copy", up.method());
      Converted<?> down = MemoryBridge.convert(dev, MemoryType.ARRAY, ConversionOptions.defaults()
          .withType(PixelType.UINT16));
      assertTrue(down.copied());
      assertArrayEquals(src, (short[]) down.value());
    }
  }

  @Test
  void deviceMemoryExportsAsKdlCudaAndImportsBack(BufferAllocator a) {
    requireGpu();
    try (CudaBuffer dev = CudaBuffer.allocate(0, 4 * 64)) {
      CudaMemory.copyToDevice(MemorySegment.ofArray(new float[64]), dev);
      ManagedTensor mt = dev.toDlpack(PixelType.FLOAT32, new long[] {8, 8}, ExportOptions.DEFAULT);
      assertEquals(Device.cuda(0), mt.device());
      assertEquals(dev.address(), mt.dataAddress());
      try (ImportedTensor in = DlpackImporter.importVersioned(mt.handOff());
          CudaBuffer wrapped = CudaBuffer.fromDlpack(in)) {
        assertEquals(dev.address(), wrapped.address());
        assertEquals(0, wrapped.deviceId());
        Converted<?> c = MemoryBridge.convert(in, MemoryType.CUDA, ConversionOptions.defaults());
        assertFalse(c.copied());
      }
      assertFalse(mt.isLive());
    }
  }

  @Test
  void cudaPrototypeStacksPlanesOnTheDevice(BufferAllocator a) {
    requireGpu();
    try (NDBuffer vol = Stacks.stack(List.of(new float[] {1, 2, 3, 4}, new float[] {5, 6, 7, 8}),
        BufferPrototype.cuda(0), ConversionOptions.defaults().withShape(2, 2))) {
      assertEquals(MemoryKind.CUDA_DEVICE, vol.kind());
      Converted<NDBuffer> back = NDBuffer.from(vol, BufferPrototype.host(a).nd());
      try (NDBuffer h = back.value()) {
        assertTrue(back.copied());
        assertEquals("D2H copy", back.method());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8},
            h.segment().toArray(java.lang.foreign.ValueLayout.JAVA_FLOAT));
      }
    }
  }
}
