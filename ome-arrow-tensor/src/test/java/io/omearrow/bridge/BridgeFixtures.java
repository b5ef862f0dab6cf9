package io.omearrow.bridge;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.omearrow.core.PixelType;
import io.omearrow.dlpack.DlpackExporter;
import io.omearrow.dlpack.DlpackImporter;
import io.omearrow.dlpack.ExportOptions;
import io.omearrow.dlpack.ManagedTensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.Float4Vector;

/** Sources of every memory type holding the same 3×4 float32 ramp, with a writer to prove aliasing. */
final class BridgeFixtures {
  static final int N = 12;
  static final long[] SHAPE = {3, 4};

  private BridgeFixtures() {}

  static float value(int i) {
    return i * 1.5f + 2;
  }

  /** One source object, how to overwrite its element i, and what to close afterwards. */
  record Source(MemoryType type, String name, Object object, Writer writer, List<AutoCloseable> closeables) {
    void closeAll() throws Exception {
      for (int i = closeables.size() - 1; i >= 0; i--) {
        closeables.get(i).close();
      }
    }
  }

  interface Writer {
    void set(int i, float v);
  }

  static String djlUnavailable() {
    try {
      Engine e = Engine.getEngine("OnnxRuntime");
      return e == null ? "DJL ONNX Runtime engine not found" : null;
    } catch (Throwable t) {
      return "DJL ONNX Runtime engine cannot load: " + t;
    }
  }

  static Source make(MemoryType type, BufferAllocator a, Arena arena, NDManager djl) {
    List<AutoCloseable> close = new ArrayList<>();
    switch (type) {
      case ARROW -> {
        Float4Vector v = new Float4Vector("px", a);
        v.allocateNew(N);
        for (int i = 0; i < N; i++) {
          v.set(i, value(i));
        }
        v.setValueCount(N);
        close.add(v);
        return new Source(type, "Float4Vector", v, (i, x) -> v.set(i, x), close);
      }
      case SEGMENT -> {
        MemorySegment s = arena.allocate(4L * N, 64);
        fill(s);
        return new Source(type, "native MemorySegment", s, (i, x) -> s.setAtIndex(ValueLayout.JAVA_FLOAT, i, x), close);
      }
      case NIO_DIRECT -> {
        FloatBuffer f = ByteBuffer.allocateDirect(4 * N).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        fill(MemorySegment.ofBuffer(f));
        return new Source(type, "direct FloatBuffer", f, (i, x) -> f.put(i, x), close);
      }
      case ARRAY -> {
        float[] arr = new float[N];
        for (int i = 0; i < N; i++) {
          arr[i] = value(i);
        }
        return new Source(type, "float[]", arr, (i, x) -> arr[i] = x, close);
      }
      case DLPACK -> {
        MemorySegment s = arena.allocate(4L * N, 64);
        fill(s);
        ManagedTensor mt = DlpackExporter.export(s.address(), PixelType.FLOAT32, SHAPE, new long[] {4, 1},
            io.omearrow.dlpack.Device.HOST, false, null, ExportOptions.writable());
        var in = DlpackImporter.importVersioned(mt.handOff());
        close.add(in);
        return new Source(type, "ImportedTensor", in, (i, x) -> s.setAtIndex(ValueLayout.JAVA_FLOAT, i, x), close);
      }
      case NDBUFFER -> {
        NDBuffer nd = NDBuffer.allocate(a, PixelType.FLOAT32, SHAPE);
        fill(nd.segment());
        close.add(nd);
        return new Source(type, "NDBuffer", nd, (i, x) -> nd.segment().setAtIndex(ValueLayout.JAVA_FLOAT, i, x), close);
      }
      case DJL -> {
        ByteBuffer bb = ByteBuffer.allocateDirect(4 * N).order(ByteOrder.LITTLE_ENDIAN);
        fill(MemorySegment.ofBuffer(bb));
        NDArray arr = djl.create(bb, new ai.djl.ndarray.types.Shape(SHAPE), ai.djl.ndarray.types.DataType.FLOAT32);
        return new Source(type, "ORT NDArray", arr, (i, x) -> bb.putFloat(4 * i, x), close);
      }
      default -> throw new IllegalArgumentException(type.toString());
    }
  }

  static void fill(MemorySegment s) {
    for (int i = 0; i < N; i++) {
      s.setAtIndex(ValueLayout.JAVA_FLOAT, i, value(i));
    }
  }

  /** Reads element i of any conversion result. */
  static float read(Object result, int i) {
    return switch (result) {
      case MemorySegment s -> s.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i);
      case ByteBuffer b -> b.order(ByteOrder.LITTLE_ENDIAN).getFloat(4 * i);
      case float[] f -> f[i];
      case ArrowBuf b -> b.getFloat(4L * i);
      case ManagedTensor t -> MemorySegment.ofAddress(t.dataAddress()).reinterpret(4L * N)
          .getAtIndex(ValueLayout.JAVA_FLOAT, i);
      case NDBuffer nd -> nd.segment().getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i);
      case NDArray nd -> nd.toFloatArray()[i];
      default -> throw new AssertionError("unexpected result " + result.getClass());
    };
  }
}
