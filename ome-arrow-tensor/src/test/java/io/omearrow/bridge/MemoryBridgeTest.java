package io.omearrow.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.omearrow.core.PixelType;
import io.omearrow.dlpack.ManagedTensor;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every host edge of the registry: the value arrives, the {@code copied} flag is asserted against
 * a table, and proven by writing through the source afterwards (a shared result sees the write, a
 * copy does not). NEVER fails loudly on copying edges; ALWAYS copies on sharing ones.
 */
class MemoryBridgeTest {
  static final Set<MemoryType> HOST_TARGETS = EnumSet.of(MemoryType.SEGMENT, MemoryType.NIO_DIRECT, MemoryType.ARRAY,
      MemoryType.ARROW, MemoryType.DLPACK, MemoryType.DJL, MemoryType.NDBUFFER);
  static final Set<MemoryType> NATIVE_SOURCES = EnumSet.of(MemoryType.ARROW, MemoryType.SEGMENT, MemoryType.NIO_DIRECT,
      MemoryType.DLPACK, MemoryType.NDBUFFER);

  /** The expected copy flag of each host edge for compact float32 data with the ONNX Runtime DJL engine. */
  static boolean expectCopied(MemoryType source, MemoryType target) {
    if (source == MemoryType.DJL) {
      return true; // ORT's NDArray.toByteBuffer copies out
    }
    if (NATIVE_SOURCES.contains(source)) {
      return target == MemoryType.ARRAY;
    }
    // heap arrays: only views of the same array are free
    return !(target == MemoryType.SEGMENT || target == MemoryType.ARRAY || target == MemoryType.NDBUFFER);
  }

  @TestFactory
  Stream<DynamicTest> everyHostEdgeReportsTruthfullyWhetherItCopied() {
    String djlWhy = BridgeFixtures.djlUnavailable();
    List<DynamicTest> tests = new ArrayList<>();
    for (MemoryType s : EnumSet.of(MemoryType.ARROW, MemoryType.SEGMENT, MemoryType.NIO_DIRECT, MemoryType.ARRAY,
        MemoryType.DLPACK, MemoryType.NDBUFFER, MemoryType.DJL)) {
      for (MemoryType t : HOST_TARGETS) {
        tests.add(DynamicTest.dynamicTest(s + " -> " + t, () -> {
          if (s == MemoryType.DJL || t == MemoryType.DJL) {
            assumeTrue(djlWhy == null, () -> "skipped: " + djlWhy);
          }
          runEdge(s, t, CopyPolicy.IF_NEEDED);
        }));
      }
    }
    return tests.stream();
  }

  static void runEdge(MemoryType s, MemoryType t, CopyPolicy policy) throws Exception {
    RootAllocator a = new RootAllocator();
    try (Arena arena = Arena.ofConfined();
        NDManager djl = (s == MemoryType.DJL || t == MemoryType.DJL) ? NDManager.newBaseManager("OnnxRuntime") : null) {
      BridgeFixtures.Source src = BridgeFixtures.make(s, a, arena, djl);
      boolean expect = policy == CopyPolicy.ALWAYS || expectCopied(s, t);
      Converted<?> c = MemoryBridge.convert(src.object(), t, ConversionOptions.defaults().withCopy(policy)
          .withAllocator(a).withDjlManager(djl).withType(PixelType.FLOAT32).withShape(BridgeFixtures.SHAPE));
      try {
        assertEquals(expect, c.copied(), s + " -> " + t + " copied flag (method " + c.method() + ")");
        for (int i = 0; i < BridgeFixtures.N; i++) {
          assertEquals(BridgeFixtures.value(i), BridgeFixtures.read(c.value(), i), "element " + i);
        }
        src.writer().set(5, -99f);
        float seen = BridgeFixtures.read(c.value(), 5);
        assertEquals(expect ? BridgeFixtures.value(5) : -99f, seen, "aliasing of " + s + " -> " + t);
      } finally {
        closeResult(c.value());
        src.closeAll();
      }
    }
    // DJL targets hold Arrow sources until their NDManager closes (above)
    assertEquals(0, a.getAllocatedMemory(), "Arrow memory left after " + s + " -> " + t);
    a.close();
  }

  static void closeResult(Object v) {
    switch (v) {
      case ArrowBuf b -> b.close();
      case ManagedTensor m -> m.close();
      case NDBuffer nd -> nd.close();
      case NDArray nd -> nd.close();
      default -> { }
    }
  }

  @TestFactory
  Stream<DynamicTest> neverFailsLoudlyOnEveryCopyingEdge() {
    String djlWhy = BridgeFixtures.djlUnavailable();
    List<DynamicTest> tests = new ArrayList<>();
    for (MemoryType s : EnumSet.of(MemoryType.ARROW, MemoryType.ARRAY, MemoryType.DJL)) {
      for (MemoryType t : HOST_TARGETS) {
        if (!expectCopied(s, t)) {
          continue;
        }
        tests.add(DynamicTest.dynamicTest(s + " -> " + t, () -> {
          if (s == MemoryType.DJL || t == MemoryType.DJL) {
            assumeTrue(djlWhy == null, () -> "skipped: " + djlWhy);
          }
          try (RootAllocator a = new RootAllocator(); Arena arena = Arena.ofConfined();
              NDManager djl = NDManager.newBaseManager("OnnxRuntime")) {
            BridgeFixtures.Source src = BridgeFixtures.make(s, a, arena, djl);
            try {
              MemoryConversionException e = assertThrows(MemoryConversionException.class, () -> MemoryBridge.convert(
                  src.object(), t, ConversionOptions.defaults().withCopy(CopyPolicy.NEVER).withAllocator(a)
                      .withDjlManager(djl).withShape(BridgeFixtures.SHAPE)));
              assertEquals(s, e.sourceType());
              assertEquals(t, e.targetType());
              assertTrue(e.getMessage().startsWith("Cannot convert from " + s + " to " + t + " using "), e.getMessage());
              assertTrue(e.reason().endsWith("copy policy is NEVER"), e.reason());
            } finally {
              src.closeAll();
            }
            assertEquals(0, a.getAllocatedMemory());
          }
        }));
      }
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> alwaysCopiesEvenWhereSharingIsPossible() {
    List<DynamicTest> tests = new ArrayList<>();
    for (MemoryType t : EnumSet.of(MemoryType.SEGMENT, MemoryType.NIO_DIRECT, MemoryType.ARROW, MemoryType.DLPACK,
        MemoryType.NDBUFFER)) {
      tests.add(DynamicTest.dynamicTest("SEGMENT -> " + t, () -> runEdge(MemoryType.SEGMENT, t, CopyPolicy.ALWAYS)));
    }
    return tests.stream();
  }

  @Test
  void neverMessageNamesTheEdgeMethodAndReason() {
    MemoryConversionException e = assertThrows(MemoryConversionException.class, () -> MemoryBridge.convert(
        new float[] {1, 2}, MemoryType.NIO_DIRECT, ConversionOptions.defaults().withCopy(CopyPolicy.NEVER)));
    assertEquals("Cannot convert from ARRAY to NIO_DIRECT using host copy. Reason: the source is on the Java heap, which "
        + "the GC may move, so it cannot be shared by address; copy policy is NEVER", e.getMessage());
    assertEquals("host copy", e.method());
  }

  @Test
  void stridedSourcesCopyForFlatTargetsButNotForDlpack() {
    try (RootAllocator a = new RootAllocator(); Arena arena = Arena.ofConfined()) {
      var seg = arena.allocate(4L * 24, 64);
      for (int i = 0; i < 24; i++) {
        seg.setAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, i, i);
      }
      NDBuffer roi = NDBuffer.wrap(seg.asSlice(4L * (6 + 1)), PixelType.FLOAT32, new long[] {2, 3}, new long[] {6, 1});
      Converted<?> flat = MemoryBridge.convert(roi, MemoryType.ARRAY, ConversionOptions.defaults());
      assertTrue(flat.copied());
      assertEquals(java.util.List.of(7f, 8f, 9f, 13f, 14f, 15f), boxed((float[]) flat.value()));
      Converted<ManagedTensor> dl = MemoryBridge.convert(roi, MemoryType.DLPACK, ManagedTensor.class,
          ConversionOptions.defaults());
      try (ManagedTensor mt = dl.value()) {
        assertTrue(!dl.copied());
        assertEquals(seg.address() + 28, mt.dataAddress());
        assertEquals(6, mt.strides()[0]);
      }
      MemoryConversionException e = assertThrows(MemoryConversionException.class, () -> MemoryBridge.convert(roi,
          MemoryType.SEGMENT, ConversionOptions.defaults().withCopy(CopyPolicy.NEVER)));
      assertEquals("the source is strided (strides [6, 1]) and the target is flat; copy policy is NEVER", e.reason());
      assertEquals(0, a.getAllocatedMemory());
    }
  }

  static List<Float> boxed(float[] f) {
    List<Float> l = new ArrayList<>();
    for (float x : f) {
      l.add(x);
    }
    return l;
  }

  @Test
  void detectNamesEveryTypeAndRejectsOthers() {
    try (RootAllocator a = new RootAllocator(); Arena arena = Arena.ofConfined()) {
      Map<Object, MemoryType> cases = Map.of(arena.allocate(4), MemoryType.SEGMENT,
          java.nio.ByteBuffer.allocateDirect(4), MemoryType.NIO_DIRECT, new short[1], MemoryType.ARRAY);
      cases.forEach((o, t) -> assertEquals(t, MemoryBridge.detect(o)));
      try (ArrowBuf b = a.buffer(8)) {
        assertEquals(MemoryType.ARROW, MemoryBridge.detect(b));
      }
      assertEquals("unsupported memory object of class java.lang.String; expected one of [ARROW, SEGMENT, NIO_DIRECT, "
          + "ARRAY, DLPACK, DJL, CUDA, NDBUFFER]", assertThrows(IllegalArgumentException.class,
          () -> MemoryBridge.detect("x")).getMessage());
      assertThrows(MemoryConversionException.class, () -> MemoryBridge.detect(java.nio.ByteBuffer.allocate(4)));
    }
  }

  @Test
  void registeredConvertersTakePrecedence() {
    MemoryBridge.register(MemoryType.ARRAY, MemoryType.SEGMENT, (src, o) -> new Converted<>("custom", false, "test"));
    try {
      assertEquals("custom", MemoryBridge.convert(new byte[1], MemoryType.SEGMENT, ConversionOptions.defaults()).value());
    } finally {
      MemoryBridge.unregister(MemoryType.ARRAY, MemoryType.SEGMENT);
    }
    assertSame(MemoryType.ARRAY, MemoryBridge.detect(new byte[1]));
    assertTrue(MemoryBridge.edges().contains(new MemoryBridge.Edge(MemoryType.DLPACK, MemoryType.CUDA)));
  }
}
