package io.omearrow.tensor;

import static io.omearrow.tensor.TestImages.u16;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omearrow.core.ChunkCompression;
import io.omearrow.core.ChunkRef;
import io.omearrow.core.OmeImage;
import io.omearrow.core.OmeImageBuilder;
import io.omearrow.core.PixelType;
import io.omearrow.core.SelectionException;
import io.omearrow.testing.LeakCheckedAllocator;
import org.apache.arrow.memory.BufferAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The behaviours of the reference's tests/test_chunks.py (reference §8.2) through tensor views. */
@ExtendWith(LeakCheckedAllocator.class)
class ReferenceChunksTest {
  private static final int[] C0 = {0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23};
  private static final int[] C1 = {100, 101, 102, 103, 110, 111, 112, 113, 120, 121, 122, 123};

  @Test
  void item1_chunksOnlyRecordReadsAllPlanes(BufferAllocator a) {
    try (OmeImage img = TestImages.exampleChunksOnly(a)) {
      assertTrue(img.storedPlane(0, 0, 0).isEmpty());
      try (Tensor t = TensorView.of(img, Selection.all().withLayout("TCZYX")).materialize(a)) {
        assertArrayEquals(new long[] {1, 2, 1, 3, 4}, t.shape());
        int[] v = u16(t);
        assertArrayEquals(C0, java.util.Arrays.copyOfRange(v, 0, 12));
        assertArrayEquals(C1, java.util.Arrays.copyOfRange(v, 12, 24));
      }
    }
  }

  @Test
  void item2_chunkGridOf2x2(BufferAllocator a) {
    short[] v = {0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23};
    try (OmeImage img = OmeImageBuilder.of(PixelType.UINT16, 1, 1, 1, 3, 4).chunkShape(1, 2, 2).fromArray(v, a)) {
      assertEquals(2, img.metadata().chunkGrid().chunkY());
      assertEquals(2, img.metadata().chunkGrid().chunkX());
      assertEquals(4, img.storedChunks().size());
      ChunkRef first = img.storedChunks().get(0);
      assertEquals(2, first.shapeY());
      try (Tensor t = TensorView.of(img, Selection.all().withTile(0, 0)).materialize(a)) {
        assertArrayEquals(new int[] {0, 1, 10, 11}, u16(t));
      }
      // tile (1, 1) is the partial corner chunk, 1×2, and exported without copying
      TensorView corner = TensorView.of(img, Selection.all().withTile(1, 1).withLayout("YX"));
      assertEquals(Roi.of(2, 2, 2, 1), corner.roi());
      assertEquals(img.storedChunks().get(3).payload().address(), corner.arrowValues().address());
      try (Tensor t = corner.materialize(a)) {
        assertArrayEquals(new int[] {22, 23}, u16(t));
      }
      // a crop that is not a chunk: arrow mode refuses with the reference's messages
      assertEquals("Chunk not found for the requested (t, z, c, roi).",
          TensorView.of(img, Selection.all().withRoi(Roi.of(1, 0, 2, 2))).zeroCopyUnavailableReason().orElseThrow());
      assertEquals("mode='arrow' requires ROI to match chunk size.",
          TensorView.of(img, Selection.all().withRoi(Roi.of(0, 0, 1, 2))).zeroCopyUnavailableReason().orElseThrow());
    }
  }

  @Test
  void item3_planeFromChunksChannel1(BufferAllocator a) {
    try (OmeImage img = TestImages.exampleChunksOnly(a);
        Tensor t = TensorView.of(img, Selection.all().t(0).c(1).z(0).withLayout("YX")).materialize(a)) {
      assertArrayEquals(C1, u16(t));
    }
  }

  private static short[] arange24() {
    short[] v = new short[24];
    for (int i = 0; i < 24; i++) {
      v[i] = (short) i;
    }
    return v;
  }

  @Test
  void item4_byteChunksRoundTrip(BufferAllocator a) {
    try (OmeImage img = OmeImageBuilder.of(PixelType.UINT16, 1, 1, 2, 3, 4).encoding("bytes").chunkShape(1, 2, 2).fromArray(arange24(), a)) {
      assertTrue(img.variant().isBytes());
      try (Tensor t = TensorView.of(img, Selection.all().withLayout("TCZYX")).materialize(a)) {
        int[] expected = new int[24];
        for (int i = 0; i < 24; i++) {
          expected[i] = i;
        }
        assertArrayEquals(expected, u16(t));
      }
      try (Tensor t = TensorView.of(img, Selection.all().t(0).c(0).z(1).withLayout("YX")).materialize(a)) {
        assertArrayEquals(new int[] {12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23}, u16(t));
      }
    }
  }

  @Test
  void item5_compressedByteChunks(BufferAllocator a) {
    try (OmeImage img = OmeImageBuilder.of(PixelType.UINT16, 1, 1, 2, 3, 4).encoding("bytes").chunkShape(1, 2, 2)
        .chunkCompression(ChunkCompression.ZSTD).fromArray(arange24(), a)) {
      try (Tensor t = TensorView.of(img, Selection.all().t(0).z(1).c(0).withLayout("YX")).materialize(a)) {
        assertArrayEquals(new int[] {12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23}, u16(t));
      }
      TensorView tile = TensorView.of(img, Selection.all().t(0).z(1).c(0).withTile(0, 0));
      assertFalse(tile.storedValues().isPresent());
      SelectionException ex = assertThrows(SelectionException.class, tile::arrowValues);
      assertEquals("mode='arrow' does not support byte-backed inline chunks; use mode='numpy'.", ex.getMessage());
    }
  }
}
