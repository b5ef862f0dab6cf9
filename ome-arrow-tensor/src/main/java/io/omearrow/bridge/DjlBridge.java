package io.omearrow.bridge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.omearrow.core.PixelType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Set;
import java.util.UUID;

/**
 * DJL NDArray edges. Loaded only when DJL is on the class path. Engines alias a direct
 * ByteBuffer given to {@code NDManager.create} on the CPU (verified for PyTorch and ONNX Runtime),
 * so supported dtypes are shared; uint16, int16 and uint32 are widened to int32/int32/int64 with a
 * visible copy, because the PyTorch engine aborts the JVM on them and ONNX Runtime rejects them.
 */
final class DjlBridge {
  /** Engines known to alias direct buffers on the CPU. */
  static final Set<String> ALIASING_ENGINES = Set.of("PyTorch", "OnnxRuntime");

  private DjlBridge() {}

  static PixelType fromDjl(DataType t) {
    return switch (t) {
      case UINT8 -> PixelType.UINT8;
      case INT8 -> PixelType.INT8;
      case INT16 -> PixelType.INT16;
      case UINT16 -> PixelType.UINT16;
      case INT32 -> PixelType.INT32;
      case UINT32 -> PixelType.UINT32;
      case INT64 -> PixelType.INT64;
      case UINT64 -> PixelType.UINT64;
      case FLOAT32 -> PixelType.FLOAT32;
      case FLOAT64 -> PixelType.FLOAT64;
      default -> throw new MemoryConversionException(MemoryType.DJL, MemoryType.NDBUFFER, "zero-copy view",
          "DJL data type " + t + " has no pixel type");
    };
  }

  /** The DJL type for a pixel type, after widening; null when the engine cannot hold it even widened. */
  static DataType toDjl(PixelType t) {
    return switch (t) {
      case UINT8 -> DataType.UINT8;
      case INT8 -> DataType.INT8;
      case INT32 -> DataType.INT32;
      case INT64 -> DataType.INT64;
      case FLOAT32 -> DataType.FLOAT32;
      case FLOAT64 -> DataType.FLOAT64;
      default -> null;
    };
  }

  /** The pixel type engines get for {@code t}: itself when supported, else its widened form. */
  static PixelType widened(PixelType t) {
    return switch (t) {
      case UINT16, INT16 -> PixelType.INT32;
      case UINT32 -> PixelType.INT64;
      default -> t;
    };
  }

  static SourceView view(Object src, MemoryType target) {
    NDArray a = (NDArray) src;
    PixelType t = fromDjl(a.getDataType());
    boolean gpu = a.getDevice().isGpu();
    ByteBuffer bb = a.toByteBuffer(true).order(ByteOrder.LITTLE_ENDIAN);
    boolean aliased = !gpu && bb.isDirect() && "PyTorch".equals(a.getManager().getEngine().getEngineName());
    NDBuffer v = NDBuffer.wrap(MemorySegment.ofBuffer(bb), t, a.getShape().getShape());
    return new SourceView(MemoryType.DJL, v, !aliased, SourceView.pin(new Object[] {a, bb}));
  }

  static Converted<?> toNDArray(SourceView s, ConversionOptions o) {
    if (!(o.djlManager() instanceof NDManager m)) {
      throw new MemoryConversionException(s.type(), MemoryType.DJL, "NDManager.create",
          "no NDManager given; set ConversionOptions.withDjlManager");
    }
    NDBuffer v = s.view();
    PixelType target = widened(v.type());
    DataType dt = toDjl(target);
    if (dt == null) {
      throw new MemoryConversionException(s.type(), MemoryType.DJL, "NDManager.create",
          v.type() + " is not supported by DJL engines (PyTorch aborts the JVM on it); convert the pixels first");
    }
    long bytes = v.elementCount() * target.byteSize();
    if (bytes > Integer.MAX_VALUE) {
      throw new MemoryConversionException(s.type(), MemoryType.DJL, "NDManager.create",
          bytes + " bytes exceed DJL's 2 GiB buffer limit");
    }
    Shape shape = new Shape(v.shape());
    String engine = m.getEngine().getEngineName();
    boolean share = o.copy() != CopyPolicy.ALWAYS && target == v.type() && v.kind() == MemoryKind.HOST_NATIVE
        && v.isCompact() && !m.getDevice().isGpu() && ALIASING_ENGINES.contains(engine);
    if (share) {
      ByteBuffer bb = v.segment().asSlice(0, bytes).asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      NDArray arr = m.create(bb, shape, dt);
      AutoCloseable keep = s.retain().acquire();
      m.attachInternal("omearrow-keepalive-" + UUID.randomUUID(), keep);
      return new Converted<>(arr, s.copied(), Targets.VIEW);
    }
    String reason = target != v.type() ? v.type() + " must be widened to " + target + " for DJL engines"
        : o.copy() == CopyPolicy.ALWAYS ? "a copy was requested"
        : m.getDevice().isGpu() ? "the NDManager is on " + m.getDevice() + ", so data moves to the device"
        : !ALIASING_ENGINES.contains(engine) ? "engine " + engine + " is not known to share direct buffers"
        : v.kind() == MemoryKind.HOST_HEAP ? "the source is on the Java heap"
        : v.kind() == MemoryKind.CUDA_DEVICE ? "the source is in CUDA device memory" : "the source is strided";
    String method = target != v.type() ? "widening copy" : Targets.HOST_COPY;
    Targets.mayCopy(s, MemoryType.DJL, o, method, reason);
    ByteBuffer out = ByteBuffer.allocateDirect((int) Math.max(bytes, 1)).order(ByteOrder.LITTLE_ENDIAN);
    MemorySegment dst = MemorySegment.ofBuffer(out);
    if (target == v.type()) {
      Targets.fill(s, v, MemoryType.DJL, dst.asSlice(0, bytes));
    } else {
      MemorySegment compact = v.isCompact() && v.kind().isHost() ? v.segment()
          : Targets.hostCopy(s, v, MemoryType.DJL, o);
      widen(compact, v.type(), dst, v.elementCount());
    }
    out.limit((int) bytes);
    return new Converted<>(m.create(out, shape, dt), true, method);
  }

  private static void widen(MemorySegment src, PixelType from, MemorySegment dst, long n) {
    switch (from) {
      case UINT16 -> {
        for (long i = 0; i < n; i++) {
          dst.setAtIndex(ValueLayout.JAVA_INT, i, Short.toUnsignedInt(src.getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i)));
        }
      }
      case INT16 -> {
        for (long i = 0; i < n; i++) {
          dst.setAtIndex(ValueLayout.JAVA_INT, i, src.getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i));
        }
      }
      case UINT32 -> {
        for (long i = 0; i < n; i++) {
          dst.setAtIndex(ValueLayout.JAVA_LONG, i, Integer.toUnsignedLong(src.getAtIndex(ValueLayout.JAVA_INT_UNALIGNED, i)));
        }
      }
      default -> throw new IllegalStateException("no widening for " + from);
    }
  }
}
