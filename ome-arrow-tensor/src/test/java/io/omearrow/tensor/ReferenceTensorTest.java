package io.omearrow.tensor;

import static io.omearrow.tensor.TestImages.u16;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omearrow.core.ChunkRef;
import io.omearrow.core.OmeImage;
import io.omearrow.core.PixelSlice;
import io.omearrow.core.PixelType;
import io.omearrow.core.SelectionException;
import io.omearrow.testing.LeakCheckedAllocator;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The behaviours the reference's tests/test_tensor.py asserts (reference §8.1), item by item, on
 * the same inputs. Items needing torch/jax, Python-only types (ChunkedArray, StructScalar) or the
 * TIFF/Parquet readers of ome-arrow-io are ported onto the equivalent Java path and say so.
 */
@ExtendWith(LeakCheckedAllocator.class)
class ReferenceTensorTest {

  private static int[] e(int from, int to) {
    int[] out = new int[to - from];
    for (int i = from; i < to; i++) {
      out[i - from] = Short.toUnsignedInt(TestImages.E[i]);
    }
    return out;
  }

  @Test
  void item01_defaultLayoutChwEqualsE(BufferAllocator a) {
    try (OmeImage img = TestImages.example(a)) {
      TensorView v = TensorView.of(img, Selection.all().t(0).z(0));
      assertEquals("CHW", v.layout());
      assertArrayEquals(new long[] {2, 3, 4}, v.shape());
      try (Tensor t = v.materialize(a)) {
        assertArrayEquals(e(0, 24), u16(t));
        assertEquals(0, t.address() % 64);
      }
    }
  }

  @Test
  void item02_layoutYxc(BufferAllocator a) {
    try (OmeImage img = TestImages.example(a)) {
      TensorView v = TensorView.of(img, Selection.all().t(0).z(0).withLayout("YXC"));
      assertArrayEquals(new long[] {3, 4, 2}, v.shape());
      // the reference's non-contiguous strides (§4.5 example) ...
      assertArrayEquals(new long[] {8, 2, 24}, v.strides());
      try (Tensor t = v.materialize(a)) {
        // ... and the contiguous result's
        assertArrayEquals(new long[] {16, 4, 2}, t.strides());
        int[] got = u16(t);
        assertEquals(0, got[0]);
        assertEquals(100, got[1]);
        assertArrayEquals(new int[] {0, 100, 1, 101, 2, 102, 3, 103, 10, 110, 11, 111, 12, 112, 13, 113, 20, 120, 21, 121, 22, 122, 23, 123},
            got);
      }
    }
  }

  // item 3 (ChunkedArray chunk_policy) and item 4 (chunk_policy="invalid") concern pyarrow's
  // ChunkedArray, which has no Java counterpart: a view is built over one ImageSource.

  @Test
  void item05_08_lazyViewReadsNothingUntilCollectAndKeepsRawLayout(BufferAllocator a) {
    try (OmeImage img = TestImages.example(a)) {
      TestImages.CountingSource src = new TestImages.CountingSource(img);
      int[] opened = {0};
      LazyTensorView lazy = LazyTensorView.open(() -> {
        opened[0]++;
        return src;
      }).select(s -> s.t(0).z(0).c(0)).withLayout("YX");
      assertEquals("YX", lazy.layout());
      assertEquals(0, opened[0]);
      assertFalse(lazy.isSourceOpen());
      TensorView v = lazy.collect();
      assertSame(v, lazy.collect());
      assertEquals("HW", v.layout());
      assertEquals(0, src.reads.get());
      try (Tensor t = lazy.materialize(a)) {
        assertArrayEquals(new long[] {3, 4}, t.shape());
        assertArrayEquals(e(0, 12), u16(t));
      }
      assertEquals(1, opened[0]);
      lazy.close();
      assertTrue(img.isClosed());
    }
  }

  // item 6 (lazy=True on an ndarray → TypeError) has no Java counterpart: LazyTensorView.open
  // takes an opener, never an array.

  @Test
  void item07_lazySelectReadsOnlySelectedPlanes(BufferAllocator a) {
    // multi-channel-time-series.ome.tiff is T7 C3 Z1 167×439; the TIFF reader lives in
    // ome-arrow-io, so the same sizes come from an in-memory source that counts reads.
    try (OmeImage img = TestImages.arange(a, 7, 3, 1, 167, 439)) {
      TestImages.CountingSource src = new TestImages.CountingSource(img);
      try (LazyTensorView lazy = LazyTensorView.of(src).select(s -> s.t(2).c(1))) {
        LazyTensorView sel = lazy.select(s -> s.z(0));
        assertFalse(sel.isCollected());
        try (Tensor t = sel.materialize(a)) {
          assertArrayEquals(new long[] {1, 167, 439}, t.shape());
          assertEquals("CHW", sel.layout());
          int[] got = u16(t);
          int base = (2 * 3 + 1) * 167 * 439;
          assertEquals((short) base & 0xFFFF, got[0]);
          assertEquals((short) (base + 439 * 166 + 438) & 0xFFFF, got[got.length - 1]);
        }
        assertEquals(java.util.Set.of("2,1,0"), src.planesRead);
        assertFalse(lazy.isCollected());
      }
    }
  }

  // item 9 (torch pointer equality with the cached to_numpy array): Java does not cache
  // materialised arrays (each materialize is a new, owned tensor); zero-copy is arrowValues().

  @Test
  void item10_channelPolicyFirst(BufferAllocator a) {
    try (OmeImage img = TestImages.example(a);
        Tensor t = TensorView.of(img, Selection.all().t(0).z(0).withLayout("YX").withChannelPolicy(ChannelPolicy.FIRST)).materialize(a)) {
      assertArrayEquals(new long[] {3, 4}, t.shape());
      assertArrayEquals(e(0, 12), u16(t));
    }
  }

  private static final int[] ITEM11 = {26, 27, 28, 31, 32, 33, 46, 47, 48, 51, 52, 53};

  @Test
  void item11_roi3d(BufferAllocator a) {
    try (OmeImage img = TestImages.arange(a, 1, 1, 3, 4, 5);
        Tensor t = TensorView.of(img, Selection.all().withRoi3d(1, 1, 1, 3, 2, 2).withLayout("TZCYX")).materialize(a)) {
      assertArrayEquals(new long[] {1, 2, 1, 2, 3}, t.shape());
      assertArrayEquals(ITEM11, u16(t));
    }
  }

  @Test
  void item12_zAndRoi3d(BufferAllocator a) {
    try (OmeImage img = TestImages.arange(a, 1, 1, 3, 4, 5)) {
      SelectionException ex = assertThrows(SelectionException.class,
          () -> TensorView.of(img, Selection.all().z(0).withRoi3d(0, 0, 0, 2, 2, 1)));
      assertEquals("Provide either z or roi3d, not both.", ex.getMessage());
    }
  }

  @Test
  void item13_roiNd3d(BufferAllocator a) {
    try (OmeImage img = TestImages.arange(a, 1, 1, 3, 4, 5);
        Tensor t = TensorView.of(img, Selection.all().withRoiNd(1, 1, 1, 3, 3, 4).withRoiType("3d").withLayout("TZCYX")).materialize(a)) {
      assertArrayEquals(new long[] {1, 2, 1, 2, 3}, t.shape());
      assertArrayEquals(ITEM11, u16(t));
    }
  }

  @Test
  void item14_roiNdTimelapse(BufferAllocator a) {
    try (OmeImage img = TestImages.arange(a, 3, 1, 1, 4, 5);
        Tensor t = TensorView.of(img, Selection.all().withRoiNd(1, 1, 1, 3, 3, 4).withRoiType("2d_timelapse")).materialize(a)) {
      assertEquals("TZCHW", t.layout().toString());
      assertArrayEquals(new long[] {2, 1, 1, 2, 3}, t.shape());
      assertArrayEquals(ITEM11, u16(t));
    }
  }

  @Test
  void item15_roiNdImplicit4d(BufferAllocator a) {
    try (OmeImage img = TestImages.arange(a, 3, 1, 4, 5, 6);
        Tensor t = TensorView.of(img, Selection.all().withRoiNd(1, 1, 1, 2, 3, 3, 4, 5)).materialize(a)) {
      assertArrayEquals(new long[] {2, 2, 1, 3, 3}, t.shape());
      // arr[1:3, :, 1:3, 1:4, 2:5] of arange (3,1,4,5,6): value = t*120 + z*30 + y*6 + x
      int[] expected = {
          158, 159, 160, 164, 165, 166, 170, 171, 172,
          188, 189, 190, 194, 195, 196, 200, 201, 202,
          278, 279, 280, 284, 285, 286, 290, 291, 292,
          308, 309, 310, 314, 315, 316, 320, 321, 322};
      assertArrayEquals(expected, u16(t));
    }
  }

  @Test
  void item16_roiNdSixValuesAmbiguous(BufferAllocator a) {
    try (OmeImage img = TestImages.arange(a, 1, 1, 3, 4, 5)) {
      SelectionException ex = assertThrows(SelectionException.class, () -> TensorView.of(img, Selection.all().withRoiNd(0, 0, 0, 1, 2, 3)));
      assertEquals("roi_nd with 6 values is ambiguous; provide roi_type ('2d_timelapse' or '3d').", ex.getMessage());
    }
  }

  @Test
  void item18_modeNames() {
    // device names belong to the DLPack exporter; the mode names are parsed here.
    assertEquals(ExportMode.ARROW, ExportMode.parse(" Arrow "));
    assertEquals("Unsupported mode 'tpu'.", assertThrows(SelectionException.class, () -> ExportMode.parse("tpu")).getMessage());
  }

  @Test
  void item19_26_arrowValuesOfOnePlaneAreTheStoredBuffer(BufferAllocator a) {
    try (OmeImage img = TestImages.example(a)) {
      TensorView v = TensorView.of(img, Selection.all().t(0).z(0).c(0));
      PixelSlice s = v.arrowValues();
      assertEquals(12, s.length());
      assertEquals(PixelType.UINT16, s.type());
      assertArrayEquals(e(0, 12), u16(s.segment(), 12));
      // zero copy: the address is that of the stored plane (or the full-plane chunk)
      long plane = img.storedPlane(0, 0, 0).orElseThrow().address();
      ChunkRef chunk = img.storedChunks().get(0);
      assertTrue(s.address() == plane || s.address() == chunk.payload().address());
      // tile (0, 0) covers the full frame here: the stored plane is preferred, the chunk would do
      TensorView tile = TensorView.of(img, Selection.all().t(0).z(0).c(1).withTile(0, 0));
      long tileAddr = tile.arrowValues().address();
      assertTrue(tileAddr == img.storedPlane(0, 1, 0).orElseThrow().address()
          || tileAddr == img.storedChunks().get(1).payload().address());
      assertEquals("mode='arrow' requires a single (t, z, c) selection.",
          TensorView.of(img, Selection.all().t(0).z(0)).zeroCopyUnavailableReason().orElseThrow());
    }
  }

  @Test
  void item20_layoutDropsNonSingleton(BufferAllocator a) {
    try (OmeImage img = TestImages.arange(a, 2, 1, 1, 2, 2)) {
      TensorView v = TensorView.of(img, Selection.all().withLayout("CYX"));
      SelectionException ex = assertThrows(SelectionException.class, () -> v.materialize(a));
      assertEquals("layout 'CHW' drops non-singleton dimension 'T'.", ex.getMessage());
    }
  }

  @Test
  void item21_batches(BufferAllocator a) {
    try (OmeImage img = TestImages.arange(a, 3, 1, 1, 2, 2)) {
      TensorView v = TensorView.of(img);
      assertEquals("TZCHW", v.layout());
      List<int[]> parts = new ArrayList<>();
      List<long[]> shapes = new ArrayList<>();
      try (TensorIterator it = v.iterBatches(2).iterator(a)) {
        while (it.hasNext()) {
          try (Tensor t = it.next()) {
            parts.add(u16(t));
            shapes.add(t.shape());
          }
        }
      }
      assertEquals(2, parts.size());
      assertArrayEquals(new long[] {2, 1, 1, 2, 2}, shapes.get(0));
      assertArrayEquals(new long[] {1, 1, 1, 2, 2}, shapes.get(1));
      assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, parts.get(0));
      assertArrayEquals(new int[] {8, 9, 10, 11}, parts.get(1));
    }
  }

  @Test
  void item22_shuffledBatchesSameSeedSameOrder(BufferAllocator a) {
    try (OmeImage img = TestImages.arange(a, 4, 1, 1, 2, 2)) {
      TensorView v = TensorView.of(img);
      List<Integer> first = new ArrayList<>();
      List<Integer> second = new ArrayList<>();
      for (List<Integer> run : List.of(first, second)) {
        try (TensorIterator it = v.iterBatches(1).shuffle(7).iterator(a)) {
          while (it.hasNext()) {
            try (Tensor t = it.next()) {
              run.add(u16(t)[0]);
            }
          }
        }
      }
      assertEquals(first, second);
      assertEquals(4, first.size());
      // CPython: random.Random(7).shuffle([0, 1, 2, 3]) gives [3, 1, 0, 2] (checked against
      // Python itself in ShuffleTest)
      assertEquals(List.of(12, 4, 0, 8), first);
    }
  }

  @Test
  void item23_tilesOfFixture(BufferAllocator a) {
    try (OmeImage img = TestImages.example(a)) {
      List<TensorView> tiles = TensorView.of(img, Selection.all().t(0).z(0)).iterTiles(2, 2).views();
      assertEquals(4, tiles.size());
      assertArrayEquals(new long[] {2, 2, 2}, tiles.get(0).shape());
      assertArrayEquals(new long[] {2, 2, 2}, tiles.get(1).shape());
      assertArrayEquals(new long[] {2, 1, 2}, tiles.get(2).shape());
      assertArrayEquals(new long[] {2, 1, 2}, tiles.get(3).shape());
      try (Tensor t = tiles.get(3).materialize(a)) {
        assertArrayEquals(new int[] {22, 23, 122, 123}, u16(t));
      }
    }
  }

  @Test
  void item24_tiles3d(BufferAllocator a) {
    try (OmeImage img = TestImages.arange(a, 1, 1, 3, 4, 4)) {
      List<TensorView> tiles = TensorView.of(img).iterTiles3d(2, 2, 2).views();
      assertEquals(8, tiles.size());
      try (Tensor t = tiles.get(0).materialize(a)) {
        assertArrayEquals(new long[] {1, 2, 1, 2, 2}, t.shape());
        assertArrayEquals(new int[] {0, 1, 4, 5, 16, 17, 20, 21}, u16(t));
      }
      // the second z-batch holds only z=2 (partial)
      assertArrayEquals(new long[] {1, 1, 1, 2, 2}, tiles.get(4).shape());
    }
  }

  @Test
  void item25_tiles3dOnlyNumpyMode(BufferAllocator a) {
    try (OmeImage img = TestImages.arange(a, 1, 1, 2, 2, 2)) {
      SelectionException ex = assertThrows(SelectionException.class, () -> TensorView.of(img).iterTiles3d(1, 1, 1, ExportMode.ARROW));
      assertEquals("iter_tiles_3d currently supports only mode='numpy'.", ex.getMessage());
    }
  }

  @Test
  void item28_planesOnlyRecordUsesPlanePath(BufferAllocator a) {
    try (OmeImage img = TestImages.examplePlanesOnly(a)) {
      assertFalse(img.isChunked());
      TensorView v = TensorView.of(img, Selection.all().t(0).z(0).c(0).withLayout("YX"));
      try (Tensor t = v.materialize(a)) {
        assertArrayEquals(new long[] {3, 4}, t.shape());
        assertArrayEquals(e(0, 12), u16(t));
      }
      assertEquals(img.storedPlane(0, 0, 0).orElseThrow().address(), v.arrowValues().address());
    }
  }

  @Test
  void item29_chunkedRecordChannel1(BufferAllocator a) {
    try (OmeImage img = TestImages.example(a);
        Tensor t = TensorView.of(img, Selection.all().t(0).z(0).c(1).withLayout("YX")).materialize(a)) {
      assertArrayEquals(new int[] {100, 101, 102, 103, 110, 111, 112, 113, 120, 121, 122, 123}, u16(t));
    }
  }

  @Test
  void item30_planeLoaderReadsOnlySelectedPlane(BufferAllocator a) {
    // single-channel.ome.tiff (167×439) through the reference's plane_loader path
    List<String> loaded = new ArrayList<>();
    var meta = io.omearrow.core.ImageMetadata.of(io.omearrow.core.PixelsMeta.of(PixelType.UINT16, 1, 1, 1, 167, 439));
    TensorView v = TensorView.of(meta, (t, z, c, dst) -> {
      loaded.add(t + "," + z + "," + c);
      for (long i = 0; i < 167L * 439; i++) {
        dst.set(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, 2 * i, (short) (i % 1000));
      }
    }, Selection.all().t(0).z(0).c(0).withLayout("YX"));
    assertTrue(loaded.isEmpty());
    try (Tensor t = v.materialize(a)) {
      assertArrayEquals(new long[] {167, 439}, t.shape());
      assertEquals(999, u16(t)[999]);
    }
    assertEquals(List.of("0,0,0"), loaded);
  }
}
