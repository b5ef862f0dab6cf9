package io.omearrow.tensor;

import static io.omearrow.tensor.TestImages.u16;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omearrow.core.FormatException;
import io.omearrow.core.ImageMetadata;
import io.omearrow.core.OmeImage;
import io.omearrow.core.PixelType;
import io.omearrow.core.PixelsMeta;
import io.omearrow.core.SelectionException;
import io.omearrow.testing.LeakCheckedAllocator;
import io.omearrow.testing.Python;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Tiles, batches, shuffle, sharding and the prefetch pipeline. */
@ExtendWith(LeakCheckedAllocator.class)
class IterationTest {

  private static List<int[]> drain(ViewSequence seq, BufferAllocator a) {
    List<int[]> out = new ArrayList<>();
    try (TensorIterator it = seq.iterator(a)) {
      while (it.hasNext()) {
        try (Tensor t = it.next()) {
          out.add(u16(t));
        }
      }
    }
    return out;
  }

  @Test
  void tilesScanTheRoiRowMajorWithPartialBorders(BufferAllocator a) {
    try (OmeImage img = TestImages.arange(a, 1, 1, 1, 10, 10)) {
      TensorView v = TensorView.of(img, Selection.all().withRoi(Roi.of(1, 2, 5, 3)).withLayout("YX"));
      List<Roi> rois = v.iterTiles(2, 2).views().stream().map(TensorView::roi).toList();
      assertEquals(List.of(Roi.of(1, 2, 2, 2), Roi.of(3, 2, 2, 2), Roi.of(5, 2, 1, 2), Roi.of(1, 4, 2, 1), Roi.of(3, 4, 2, 1),
          Roi.of(5, 4, 1, 1)), rois);
      List<int[]> items = drain(v.iterTiles(2, 2), a);
      assertArrayEquals(new int[] {21, 22, 31, 32}, items.get(0));
      assertArrayEquals(new int[] {45}, items.get(5));
      assertEquals("tiles must be positive", assertThrows(SelectionException.class, () -> v.iterTiles(0, 2)).getMessage());
      assertEquals("batch_size must be > 0", assertThrows(SelectionException.class, () -> v.iterBatches(0)).getMessage());
      assertEquals("tile_size entries must be positive", assertThrows(SelectionException.class, () -> v.iterTiles3d(1, 0, 1)).getMessage());
      assertEquals("prefetch must be >= 0", assertThrows(SelectionException.class, () -> v.iterTiles(1, 1).prefetch(-1)).getMessage());
    }
  }

  @Test
  void emptySelectionsYieldNothingOrEmptyItems(BufferAllocator a) {
    try (OmeImage img = TestImages.arange(a, 3, 1, 2, 4, 4)) {
      TensorView empty = TensorView.of(img, Selection.all().withT(IndexSelection.slice(2, 1)));
      assertEquals(0, empty.iterBatches(2).size());
      assertEquals(0, empty.iterTiles3d(1, 2, 2).size());
      // 2-D tiles keep the (empty) t selection: zero-length tensors, as the reference
      List<TensorView> tiles = empty.iterTiles(2, 2).views();
      assertEquals(4, tiles.size());
      try (Tensor t = tiles.get(0).materialize(a)) {
        assertArrayEquals(new long[] {0, 2, 1, 2, 2}, t.shape());
        assertEquals(0, t.byteSize());
      }
      assertEquals(1, TensorView.of(img).iterBatches().size());
    }
  }

  @Test
  void tiles3dOrderIsTThenZBatchThenYThenX(BufferAllocator a) {
    try (OmeImage img = TestImages.arange(a, 2, 2, 3, 3, 2)) {
      List<TensorView> items = TensorView.of(img).iterTiles3d(2, 2, 2).views();
      assertEquals(2 * 2 * 2, items.size());
      assertArrayEquals(new int[] {0}, items.get(0).t());
      assertArrayEquals(new int[] {0, 1}, items.get(0).z());
      assertEquals(Roi.of(0, 2, 2, 1), items.get(1).roi());
      assertArrayEquals(new int[] {2}, items.get(2).z());
      assertArrayEquals(new int[] {1}, items.get(4).t());
      assertArrayEquals(new int[] {0, 1}, items.get(7).c());
      assertEquals("TZCHW", items.get(7).layout());
    }
  }

  @Test
  void shuffleMatchesCPythonRandom(BufferAllocator a) {
    Python.require("numpy");
    long[] seeds = {0, 7, 42, 123456789012L, -5};
    int[] sizes = {2, 5, 17, 100, 1000};
    StringBuilder script = new StringBuilder("import random\n");
    for (long s : seeds) {
      for (int n : sizes) {
        script.append("x=list(range(").append(n).append(")); random.Random(").append(s).append(").shuffle(x); print(x)\n");
      }
    }
    String[] lines = Python.run(script.toString()).check().stdout().strip().split("\n");
    int k = 0;
    for (long s : seeds) {
      for (int n : sizes) {
        List<Integer> x = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          x.add(i);
        }
        new PythonRandom(s).shuffle(x);
        assertEquals(lines[k++].strip(), x.toString(), "seed " + s + " n " + n);
      }
    }
  }

  @Test
  void shardsPartitionTheShuffledSequence(BufferAllocator a) {
    try (OmeImage img = TestImages.arange(a, 1, 1, 1, 9, 9)) {
      ViewSequence all = TensorView.of(img).iterTiles(2, 2).shuffle(3);
      List<Roi> full = all.views().stream().map(TensorView::roi).toList();
      assertEquals(25, full.size());
      List<Roi> seen = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        seen.addAll(all.shard(i, 3).views().stream().map(TensorView::roi).toList());
      }
      assertEquals(25, seen.size());
      assertEquals(new HashSet<>(full), new HashSet<>(seen));
      assertEquals(9, all.shard(0, 3).size());
      assertEquals(full.get(4), all.shard(1, 3).views().get(1).roi());
      assertThrows(SelectionException.class, () -> all.shard(3, 3));
    }
  }

  @Test
  void prefetchGivesTheSameItemsInOrderForAnyWorkerCount(BufferAllocator a) {
    try (OmeImage img = TestImages.arange(a, 4, 2, 3, 16, 16, new int[] {1, 8, 8})) {
      ViewSequence seq = TensorView.of(img).iterTiles(5, 7);
      List<int[]> expected = drain(seq, a);
      for (int workers : new int[] {1, 2, 4}) {
        List<int[]> got = drain(seq.prefetch(4).workers(workers), a);
        assertEquals(expected.size(), got.size());
        for (int i = 0; i < got.size(); i++) {
          assertArrayEquals(expected.get(i), got.get(i), "workers " + workers + " item " + i);
        }
      }
    }
  }

  @Test
  void closingMidwayFreesEverythingAndBoundsMemory(BufferAllocator a) {
    try (OmeImage img = TestImages.arange(a, 8, 1, 1, 64, 64)) {
      long before = a.getAllocatedMemory();
      ViewSequence seq = TensorView.of(img).iterBatches(1).prefetch(3).workers(2);
      try (TensorIterator it = seq.iterator(a)) {
        try (Tensor first = it.next()) {
          assertArrayEquals(new long[] {1, 1, 1, 64, 64}, first.shape());
          // at most 3 items ahead plus the one held (each 8 KiB + alignment padding)
          assertTrue(a.getAllocatedMemory() - before <= 4 * (8192 + 64), "memory " + (a.getAllocatedMemory() - before));
        }
        it.next().close();
      }
      assertEquals(before, a.getAllocatedMemory());
    }
  }

  @Test
  void workerFailureSurfacesOnItsItem(BufferAllocator a) {
    ImageMetadata meta = ImageMetadata.of(PixelsMeta.of(PixelType.UINT16, 6, 1, 1, 4, 4));
    AtomicInteger calls = new AtomicInteger();
    TensorView v = TensorView.of(meta, (t, z, c, dst) -> {
      calls.incrementAndGet();
      if (t == 3) {
        throw new FormatException("plane t=3 is corrupt");
      }
      dst.fill((byte) t);
    }, Selection.all());
    try (TensorIterator it = v.iterBatches(1).prefetch(4).workers(2).iterator(a)) {
      for (int i = 0; i < 3; i++) {
        try (Tensor t = it.next()) {
          assertEquals(i, t.segment().get(ValueLayout.JAVA_BYTE, 0));
        }
      }
      FormatException ex = assertThrows(FormatException.class, it::next);
      assertEquals("plane t=3 is corrupt", ex.getMessage());
      try (Tensor t = it.next()) {
        assertEquals(4, t.segment().get(ValueLayout.JAVA_BYTE, 0));
      }
    }
  }

  @Test
  void synchronousIteratorWithoutPrefetch(BufferAllocator a) {
    try (OmeImage img = TestImages.arange(a, 3, 1, 1, 2, 2)) {
      try (TensorIterator it = TensorView.of(img).iterBatches(2).iterator(a)) {
        assertEquals(2, it.size());
        Tensor t = it.next();
        t.close();
        assertTrue(t.isClosed());
      }
    }
  }

  @Test
  void lazyCollectIsOnceAndThreadSafe(BufferAllocator a) throws Exception {
    try (OmeImage img = TestImages.arange(a, 2, 1, 1, 4, 4)) {
      AtomicInteger opens = new AtomicInteger();
      TestImages.CountingSource src = new TestImages.CountingSource(img);
      LazyTensorView lazy = LazyTensorView.open(() -> {
        opens.incrementAndGet();
        return src;
      }).select(s -> s.t(1));
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<TensorView>> fs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          fs.add(pool.submit(() -> {
            go.await();
            return lazy.collect();
          }));
        }
        go.countDown();
        Set<TensorView> views = new HashSet<>();
        for (Future<TensorView> f : fs) {
          views.add(f.get());
        }
        assertEquals(1, views.size());
        assertEquals(1, opens.get());
        assertSame(views.iterator().next(), lazy.collect());
      } finally {
        pool.shutdown();
      }
      // a derived plan shares the opened source but collects on its own
      LazyTensorView other = lazy.select(s -> s.t(0));
      assertFalse(other.isCollected());
      assertArrayEquals(new int[] {0}, other.collect().t());
      assertEquals(1, opens.get());
      // validation errors surface at collect
      LazyTensorView bad = lazy.select(s -> s.t(5));
      assertEquals("t index 5 out of range", assertThrows(SelectionException.class, bad::collect).getMessage());
      lazy.close();
      assertTrue(img.isClosed());
    }
  }
}
