package io.omearrow.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.omearrow.core.OmeImage;
import io.omearrow.core.SelectionException;
import io.omearrow.testing.LeakCheckedAllocator;
import java.util.function.UnaryOperator;
import org.apache.arrow.memory.BufferAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every check of reference §4.3 and §4.4 with its exact message, and the order they run in. */
@ExtendWith(LeakCheckedAllocator.class)
class SelectionErrorsTest {

  /** image T3 C2 Z4 Y5 X6 with chunk grid 1×2×4 (3 tile rows, 2 tile columns). */
  private static OmeImage image(BufferAllocator a) {
    return TestImages.arange(a, 3, 2, 4, 5, 6, new int[] {1, 2, 4});
  }

  private static String error(OmeImage img, UnaryOperator<Selection> s) {
    return assertThrows(SelectionException.class, () -> TensorView.of(img, s.apply(Selection.all()))).getMessage();
  }

  @Test
  void indexErrors(BufferAllocator a) {
    try (OmeImage img = image(a)) {
      assertEquals("t index 3 out of range", error(img, s -> s.t(3)));
      assertEquals("z index -5 out of range", error(img, s -> s.z(-5)));
      assertEquals("c index 7 out of range", error(img, s -> s.withC(IndexSelection.list(0, 7))));
      assertEquals("slice step cannot be zero", error(img, s -> s.withT(IndexSelection.slice(null, null, 0))));
      assertArrayEquals(new int[] {3}, TensorView.of(img, Selection.all().z(-1)).z());
      assertArrayEquals(new int[] {1, 1, 0}, TensorView.of(img, Selection.all().withC(IndexSelection.list(-1, 1, 0))).c());
      assertEquals("t size must be positive", assertThrows(SelectionException.class, () -> IndexSelection.all().resolve("t", 0)).getMessage());
    }
  }

  @Test
  void roi3dErrors(BufferAllocator a) {
    try (OmeImage img = image(a)) {
      assertEquals("Provide only one of roi3d, roi, or tile.", error(img, s -> s.withRoi3d(0, 0, 0, 1, 1, 1).withRoi(Roi.of(0, 0, 1, 1))));
      assertEquals("Provide only one of roi3d, roi, or tile.", error(img, s -> s.withRoi3d(0, 0, 0, 1, 1, 1).withTile(0, 0)));
      assertEquals("Provide either z or roi3d, not both.", error(img, s -> s.z(0).withRoi3d(0, 0, 0, 1, 1, 1)));
      assertEquals("roi3d must be (x, y, z, w, h, d)", error(img, s -> s.withRoi3d(0, 0, 0, 1, 1)));
      assertEquals("roi3d depth must be positive", error(img, s -> s.withRoi3d(0, 0, 0, 1, 1, 0)));
      assertEquals("roi3d z origin must be non-negative", error(img, s -> s.withRoi3d(0, 0, -1, 1, 1, 1)));
      assertEquals("roi3d depth is out of bounds", error(img, s -> s.withRoi3d(0, 0, 2, 1, 1, 3)));
      assertEquals("roi is out of bounds", error(img, s -> s.withRoi3d(5, 0, 0, 2, 1, 1)));
    }
  }

  @Test
  void roiNdErrors(BufferAllocator a) {
    try (OmeImage img = image(a)) {
      assertEquals("Provide only one of roi_nd, roi3d, roi, or tile.", error(img, s -> s.withRoiNd(0, 0, 1, 1).withRoi(Roi.of(0, 0, 1, 1))));
      assertEquals("Provide only one of roi_nd, roi3d, roi, or tile.", error(img, s -> s.withRoiNd(0, 0, 1, 1).withRoi3d(0, 0, 0, 1, 1, 1)));
      assertEquals("roi_nd must have length 4, 6, or 8.", error(img, s -> s.withRoiNd(0, 0, 1)));
      assertEquals("Unsupported roi_type: '5d'.", error(img, s -> s.withRoiNd(0, 0, 1, 1).withRoiType("5d")));
      assertEquals("roi_type='2d' requires 4 values.", error(img, s -> s.withRoiNd(0, 0, 0, 1, 1, 1).withRoiType("2d")));
      assertEquals("roi_type='3d' requires 6 values.", error(img, s -> s.withRoiNd(0, 0, 1, 1).withRoiType("3d")));
      assertEquals("roi_type='2d_timelapse' requires 6 values.", error(img, s -> s.withRoiNd(0, 0, 1, 1).withRoiType("2d_timelapse")));
      assertEquals("roi_type='4d' requires 8 values.", error(img, s -> s.withRoiNd(0, 0, 1, 1).withRoiType("4d")));
      assertEquals("roi_type requires roi_nd.", error(img, s -> s.withRoiType("2d")));
      assertEquals("Provide either t or roi_nd time bounds, not both.", error(img, s -> s.t(0).withRoiNd(0, 0, 0, 1, 1, 1).withRoiType("2d_timelapse")));
      assertEquals("Provide either z or roi_nd depth bounds, not both.", error(img, s -> s.z(0).withRoiNd(0, 0, 0, 1, 1, 1).withRoiType("3d")));
      assertEquals("roi_nd time bounds are out of range.", error(img, s -> s.withRoiNd(0, 0, 0, 4, 1, 1).withRoiType("2d_timelapse")));
      assertEquals("roi_nd time bounds are out of range.", error(img, s -> s.withRoiNd(2, 0, 0, 2, 1, 1).withRoiType("2d_timelapse")));
      assertEquals("roi_nd depth bounds are out of range.", error(img, s -> s.withRoiNd(-1, 0, 0, 1, 1, 1).withRoiType("3d")));
      assertEquals("roi_nd spatial bounds must satisfy max > min.", error(img, s -> s.withRoiNd(1, 1, 1, 2)));
      assertEquals("roi is out of bounds", error(img, s -> s.withRoiNd(0, 0, 6, 7)));
      // t with a 2d/3d roi_nd is fine: the type carries no time bounds
      TensorView v = TensorView.of(img, Selection.all().t(1).withRoiNd(1, 0, 1, 3, 2, 3).withRoiType("3d"));
      assertArrayEquals(new int[] {1, 2}, v.z());
      assertEquals(Roi.of(1, 0, 2, 2), v.roi());
    }
  }

  @Test
  void tileErrors(BufferAllocator a) {
    try (OmeImage img = image(a); OmeImage plain = TestImages.arange(a, 1, 1, 1, 3, 3)) {
      assertEquals("Provide either roi or tile, not both.", error(img, s -> s.withRoi(Roi.of(0, 0, 1, 1)).withTile(0, 0)));
      assertEquals("tile must be (tile_y, tile_x)", error(img, s -> s.withTile(0)));
      assertEquals("tile selection requires chunk_grid metadata", error(plain, s -> s.withTile(0, 0)));
      assertEquals("tile indices must be non-negative", error(img, s -> s.withTile(-1, 0)));
      assertEquals("tile indices out of bounds", error(img, s -> s.withTile(3, 0)));
      assertEquals("tile indices out of bounds", error(img, s -> s.withTile(0, 2)));
      // edge tiles are partial: row 2 holds y=4 only, column 1 holds x=4..5
      assertEquals(Roi.of(4, 4, 2, 1), TensorView.of(img, Selection.all().withTile(2, 1)).roi());
      // index checks run before the tile checks
      assertEquals("t index 9 out of range", error(img, s -> s.t(9).withTile(-1, 0)));
    }
  }

  @Test
  void roiErrors(BufferAllocator a) {
    try (OmeImage img = image(a)) {
      assertEquals("roi width and height must be positive", error(img, s -> s.withRoi(Roi.of(0, 0, 0, 1))));
      assertEquals("roi origin must be non-negative", error(img, s -> s.withRoi(Roi.of(-1, 0, 1, 1))));
      assertEquals("roi is out of bounds", error(img, s -> s.withRoi(Roi.of(0, 4, 1, 2))));
    }
  }

  @Test
  void layoutErrors(BufferAllocator a) {
    try (OmeImage img = image(a)) {
      assertEquals("layout must use only TZC + (Y/X or H/W) letters (for example CYX, YXC, TZCYX).", error(img, s -> s.withLayout("CQX")));
      assertEquals("layout cannot repeat dimensions", error(img, s -> s.withLayout("CYY")));
      assertEquals("layout must be non-empty", error(img, s -> s.withLayout("  ")));
      // layout syntax is checked before the selection
      assertEquals("layout cannot repeat dimensions", error(img, s -> s.t(99).withLayout("HYX")));
      assertEquals("Unsupported channel_policy 'last'. Expected one of: error, first.",
          assertThrows(SelectionException.class, () -> ChannelPolicy.parse("last")).getMessage());
      TensorView v = TensorView.of(img, Selection.all().t(0).withLayout("ZYX"));
      assertEquals("ZHW", v.layout());
      assertEquals("layout 'ZHW' drops non-singleton dimension 'C'.", assertThrows(SelectionException.class, v::shape).getMessage());
      assertArrayEquals(new long[] {4, 5, 6}, v.select(s -> s.withChannelPolicy(ChannelPolicy.FIRST)).shape());
      assertEquals("TZCHW", TensorView.of(img, Selection.all().t(0)).layout());
      assertEquals("CHW", TensorView.of(img, Selection.all().t(0).z(1)).layout());
      assertEquals("TZCHW", TensorView.of(img, Selection.all().t(0).z(1)).withLayout("tzcyx").layout());
    }
  }
}
