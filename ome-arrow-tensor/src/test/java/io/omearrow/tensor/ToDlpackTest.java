package io.omearrow.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omearrow.core.OmeImage;
import io.omearrow.core.OmeImageBuilder;
import io.omearrow.core.PixelSlice;
import io.omearrow.core.PixelType;
import io.omearrow.core.SelectionException;
import io.omearrow.dlpack.DlpackImporter;
import io.omearrow.dlpack.ExportOptions;
import io.omearrow.dlpack.ImportedTensor;
import io.omearrow.dlpack.ManagedTensor;
import io.omearrow.testing.LeakCheckedAllocator;
import java.lang.foreign.ValueLayout;
import org.apache.arrow.memory.BufferAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** TensorView.toDlpack in each mode: what is shared, what is copied, and who frees it. */
@ExtendWith(LeakCheckedAllocator.class)
class ToDlpackTest {
  static OmeImage image(BufferAllocator a) {
    short[] v = new short[2 * 3 * 40 * 50];
    for (int i = 0; i < v.length; i++) {
      v[i] = (short) (i * 13);
    }
    return OmeImageBuilder.of(PixelType.UINT16, 1, 2, 3, 40, 50).chunkShape(1, 20, 25).fromArray(v, a);
  }

  @Test
  void arrowModeHandsOutTheStoredPlaneUntilTheConsumerFreesIt(BufferAllocator a) {
    ManagedTensor mt;
    PixelSlice plane;
    long address;
    try (OmeImage img = image(a)) {
      TensorView v = TensorView.of(img).select(s -> s.t(0).z(2).c(1));
      plane = img.storedPlane(0, 1, 2).orElseThrow();
      address = plane.address();
      mt = v.toDlpack(ExportMode.ARROW, a, ExportOptions.DEFAULT);
      assertTrue(mt.readOnly());
      assertFalse(mt.copied());
    }
    // the image is closed; the export still holds the plane's buffer
    assertTrue(a.getAllocatedMemory() > 0);
    try (ImportedTensor in = DlpackImporter.importVersioned(mt.handOff())) {
      assertEquals(address, in.dataAddress());
      assertArrayEquals(new long[] {40 * 50}, in.shape());
      assertEquals((short) ((1 * 3 + 2) * 2000 * 13), in.segment().get(ValueLayout.JAVA_SHORT, 0));
    }
    assertEquals(0, a.getAllocatedMemory());
  }

  @Test
  void stridedModeSharesTheRoiOfAStoredPlane(BufferAllocator a) {
    try (OmeImage img = image(a)) {
      TensorView v = TensorView.of(img).select(s -> s.t(0).z(1).c(0).withRoi(Roi.of(7, 5, 20, 10)));
      try (ManagedTensor mt = v.toDlpack(ExportMode.STRIDED, a, ExportOptions.DEFAULT);
          ImportedTensor in = DlpackImporter.importVersioned(mt.handOff());
          Tensor copy = v.materialize(a)) {
        assertArrayEquals(new long[] {1, 10, 20}, in.shape());
        assertArrayEquals(new long[] {2000, 50, 1}, in.strides());
        assertEquals(img.storedPlane(0, 0, 1).orElseThrow().address() + (5L * 50 + 7) * 2, in.dataAddress());
        assertFalse(in.copied());
        for (int y = 0; y < 10; y++) {
          for (int x = 0; x < 20; x++) {
            assertEquals(copy.segment().get(ValueLayout.JAVA_SHORT, (y * 20L + x) * 2),
                in.segment().get(ValueLayout.JAVA_SHORT, (in.firstElementIndex() + y * 50L + x) * 2));
          }
        }
      }
      SelectionException e = assertThrows(SelectionException.class,
          () -> TensorView.of(img).toDlpack(ExportMode.STRIDED, a, ExportOptions.DEFAULT));
      assertEquals("mode='strided' requires a single (t, z, c) selection.", e.getMessage());
    }
  }

  @Test
  void contiguousModeCopiesTheWholeViewOnce(BufferAllocator a) {
    try (OmeImage img = image(a)) {
      TensorView v = TensorView.of(img).select(s -> s.withRoi(Roi.of(10, 3, 30, 30))).withLayout("ZCYX");
      try (Tensor expected = v.materialize(a);
          ManagedTensor mt = v.toDlpack(ExportMode.CONTIGUOUS, a, ExportOptions.DEFAULT);
          ImportedTensor in = DlpackImporter.importVersioned(mt.handOff())) {
        assertTrue(in.copied());
        assertArrayEquals(new long[] {3, 2, 30, 30}, in.shape());
        assertEquals(0, in.dataAddress() % 64);
        assertEquals(-1, expected.segment().mismatch(in.segment()));
      }
    }
  }
}
