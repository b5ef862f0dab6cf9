package io.omearrow.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.omearrow.core.ImageMetadata;
import io.omearrow.core.OmeImage;
import io.omearrow.core.PixelConverter;
import io.omearrow.core.PixelType;
import io.omearrow.core.PixelsMeta;
import io.omearrow.core.SelectionException;
import io.omearrow.testing.LeakCheckedAllocator;
import io.omearrow.testing.Python;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Slice semantics against Python, dtype rules, copyTo, plane loaders with a ROI, strides. */
@ExtendWith(LeakCheckedAllocator.class)
class ValuesAndConversionTest {

  @Test
  void slicesMatchPythonRangeSlicing() {
    Python.require("numpy");
    Integer[] bounds = {null, -7, -4, -2, -1, 0, 1, 2, 3, 5, 8};
    Integer[] steps = {null, 1, 2, 3, -1, -2, -3};
    StringBuilder py = new StringBuilder("for n in range(1, 6):\n");
    List<String> mine = new ArrayList<>();
    for (Integer a : bounds) {
      for (Integer b : bounds) {
        for (Integer st : steps) {
          py.append(" print(list(range(n)[slice(").append(a).append(", ").append(b).append(", ").append(st).append(")]))\n");
        }
      }
    }
    for (int n = 1; n < 6; n++) {
      for (Integer a : bounds) {
        for (Integer b : bounds) {
          for (Integer st : steps) {
            mine.add(java.util.Arrays.toString(IndexSelection.slice(a, b, st).resolve("t", n)));
          }
        }
      }
    }
    String[] lines = Python.run(py.toString().replace("null", "None")).check().stdout().strip().split("\n");
    assertEquals(mine.size(), lines.length);
    for (int i = 0; i < lines.length; i++) {
      assertEquals(lines[i].strip(), mine.get(i), "case " + i);
    }
  }

  @Test
  void parsesCommandLineSelections() {
    assertArrayEquals(new int[] {4}, IndexSelection.parse("-1", "--t").resolve("t", 5));
    assertArrayEquals(new int[] {1, 3}, IndexSelection.parse("1:5:2", "--t").resolve("t", 5));
    assertArrayEquals(new int[] {4, 3, 2, 1, 0}, IndexSelection.parse("::-1", "--t").resolve("t", 5));
    assertArrayEquals(new int[] {0, 1, 2}, IndexSelection.parse(":3", "--t").resolve("t", 5));
    assertArrayEquals(new int[] {0, 2, 2}, IndexSelection.parse("0,2,2", "--t").resolve("t", 5));
    assertArrayEquals(new int[] {}, IndexSelection.parse("3:1", "--t").resolve("t", 5));
    assertEquals("--c: cannot parse selection '1:2:3:4'; expected an integer, a slice start:stop[:step] or a comma list such as 0,2,2",
        assertThrows(SelectionException.class, () -> IndexSelection.parse("1:2:3:4", "--c")).getMessage());
    Selection s = new SelectionArgs("0", null, "1,0", "1,2,3,4", null, null, null, null, "YXC", "float32", "first").toSelection();
    assertEquals(Roi.of(1, 2, 3, 4), s.roi());
    assertEquals(PixelType.FLOAT32, s.dtype());
    assertEquals(ChannelPolicy.FIRST, s.channelPolicy());
    assertEquals("--roi: expected X,Y,W,H (4 integers), got '1,2'",
        assertThrows(SelectionException.class, () -> new SelectionArgs(null, null, null, "1,2", null, null, null, null, null, null, null)
            .toSelection()).getMessage());
  }

  @Test
  void dtypeWrapAndClamp(BufferAllocator a) {
    short[] v = {0, 127, 128, 255, 256, (short) 40000};
    try (OmeImage img = io.omearrow.core.OmeImageBuilder.of(PixelType.UINT16, 1, 1, 1, 1, 6).buildChunks(false).fromArray(v, a)) {
      try (Tensor t = TensorView.of(img, Selection.all().withDtype(PixelType.INT8)).materialize(a)) {
        byte[] got = t.segment().toArray(ValueLayout.JAVA_BYTE);
        // NumPy: np.array([0,127,128,255,256,40000], np.uint16).astype(np.int8)
        assertArrayEquals(new byte[] {0, 127, -128, -1, 0, 64}, got);
      }
      try (Tensor t = TensorView.of(img, Selection.all().withDtype(PixelType.INT8, PixelConverter.Rule.CLAMP)).materialize(a)) {
        assertArrayEquals(new byte[] {0, 127, 127, 127, 127, 127}, t.segment().toArray(ValueLayout.JAVA_BYTE));
      }
      TensorView f = TensorView.of(img).withDtype(PixelType.FLOAT32).withLayout("XYC");
      assertArrayEquals(new long[] {6, 1, 1}, f.shape());
      try (Tensor t = f.materialize(a)) {
        assertArrayEquals(new float[] {0, 127, 128, 255, 256, 40000}, t.segment().toArray(ValueLayout.JAVA_FLOAT));
      }
    }
  }

  @Test
  void copyToChecksTheDestination(BufferAllocator a) {
    try (OmeImage img = TestImages.example(a); Arena arena = Arena.ofConfined()) {
      TensorView v = TensorView.of(img, Selection.all().t(0).z(0).withRoi(Roi.of(1, 1, 2, 2)));
      assertEquals(16, v.byteSize());
      MemorySegment small = arena.allocate(15);
      assertEquals("destination holds 15 bytes; the view needs 16", assertThrows(SelectionException.class, () -> v.copyTo(small)).getMessage());
      MemorySegment dst = arena.allocate(16);
      v.copyTo(dst);
      assertArrayEquals(new short[] {11, 12, 21, 22, 111, 112, 121, 122}, dst.toArray(ValueLayout.JAVA_SHORT));
    }
  }

  @Test
  void planeLoaderWithRoiAndStrides(BufferAllocator a) {
    ImageMetadata meta = ImageMetadata.of(PixelsMeta.of(PixelType.UINT8, 2, 3, 1, 4, 5));
    TensorView v = TensorView.of(meta, (t, z, c, dst) -> {
      for (int i = 0; i < 20; i++) {
        dst.set(ValueLayout.JAVA_BYTE, i, (byte) (t * 100 + c * 20 + i));
      }
    }, Selection.all().withRoi(Roi.of(3, 2, 2, 2)).withC(IndexSelection.list(2, 0)).withLayout("TCYX"));
    assertArrayEquals(new long[] {2, 2, 2, 2}, v.shape());
    // strides of the TZCHW buffer (2,1,2,2,2) of uint8, permuted to TCYX
    assertArrayEquals(new long[] {8, 4, 2, 1}, v.strides());
    try (Tensor t = v.materialize(a)) {
      assertArrayEquals(new byte[] {53, 54, 58, 59, 13, 14, 18, 19, (byte) 153, (byte) 154, (byte) 158, (byte) 159, 113, 114, 118, 119},
          t.segment().toArray(ValueLayout.JAVA_BYTE));
    }
    // layout YXT with channel policy first: T-stride counts both selected channels
    TensorView first = v.withLayout("YXT").select(s -> s.withChannelPolicy(ChannelPolicy.FIRST).withLayout("YXT"));
    assertArrayEquals(new long[] {2, 2, 2}, first.shape());
    assertArrayEquals(new long[] {2, 1, 8}, first.strides());
  }
}
