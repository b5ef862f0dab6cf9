package io.omearrow.bridge;

import io.omearrow.dlpack.Device;
import io.omearrow.dlpack.DlpackExporter;
import io.omearrow.dlpack.ManagedTensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.ForeignAllocation;

/** Builds each target type from a {@link SourceView}, sharing memory when the policy and layout allow. */
final class Targets {
  static final String VIEW = "zero-copy view";
  static final String HOST_COPY = "host copy";

  private Targets() {}

  static Converted<?> build(SourceView s, MemoryType target, ConversionOptions o) {
    NDBuffer v = s.view();
    return switch (target) {
      case SEGMENT -> segment(s, v, o);
      case NIO_DIRECT -> nio(s, v, o);
      case ARRAY -> array(s, v, o);
      case ARROW -> arrow(s, v, o);
      case DLPACK -> dlpack(s, v, o);
      case DJL -> DjlBridge.toNDArray(s, o);
      case CUDA -> cuda(s, v, o);
      case NDBUFFER -> ndbuffer(s, v, o);
    };
  }

  /** Throws under NEVER; otherwise the caller copies. */
  static void mayCopy(SourceView s, MemoryType target, ConversionOptions o, String method, String reason) {
    if (o.copy() == CopyPolicy.NEVER) {
      throw new MemoryConversionException(s.type(), target, method, reason + "; copy policy is NEVER");
    }
  }

  private static boolean shareable(SourceView s, NDBuffer v, ConversionOptions o, MemoryType target, boolean needCompact,
      boolean needNative) {
    if (o.copy() == CopyPolicy.ALWAYS) {
      return false;
    }
    if (!v.kind().isHost()) {
      return false;
    }
    String why = null;
    if (needNative && v.kind() == MemoryKind.HOST_HEAP) {
      why = "the source is on the Java heap, which the GC may move, so it cannot be shared by address";
    } else if (needCompact && !v.isCompact()) {
      why = "the source is strided (strides " + java.util.Arrays.toString(v.strides()) + ") and the target is flat";
    }
    if (why != null) {
      mayCopy(s, target, o, HOST_COPY, why);
      return false;
    }
    return true;
  }

  /** A compact host copy of the view (D2H for device sources) in GC-managed native memory. */
  static MemorySegment hostCopy(SourceView s, NDBuffer v, MemoryType target, ConversionOptions o) {
    MemorySegment dst = Arena.ofAuto().allocate(Math.max(v.byteSize(), 1), 64).asSlice(0, v.byteSize());
    fill(s, v, target, dst);
    return dst;
  }

  static String fill(SourceView s, NDBuffer v, MemoryType target, MemorySegment dst) {
    if (v.kind().isHost()) {
      v.copyCompactTo(dst);
      return HOST_COPY;
    }
    if (!v.isCompact()) {
      throw new MemoryConversionException(s.type(), target, "D2H copy", "strided device memory is not supported");
    }
    CudaMemory.copyToHost(v.cuda().view(0, v.byteSize()), dst);
    return "D2H copy";
  }

  private static String copyMethod(NDBuffer v) {
    return v.kind().isHost() ? HOST_COPY : "D2H copy";
  }

  private static Converted<?> segment(SourceView s, NDBuffer v, ConversionOptions o) {
    if (shareable(s, v, o, MemoryType.SEGMENT, true, false)) {
      return new Converted<>(v.segment().asSlice(0, v.byteSize()), s.copied(), VIEW);
    }
    mayCopy(s, MemoryType.SEGMENT, o, copyMethod(v), why(v, o));
    return new Converted<>(hostCopy(s, v, MemoryType.SEGMENT, o), true, copyMethod(v));
  }

  private static String why(NDBuffer v, ConversionOptions o) {
    return o.copy() == CopyPolicy.ALWAYS ? "a copy was requested"
        : v.kind().isHost() ? "the layout does not allow sharing" : "the source is in CUDA device memory";
  }

  private static Converted<?> nio(SourceView s, NDBuffer v, ConversionOptions o) {
    if (v.byteSize() > Integer.MAX_VALUE) {
      throw new MemoryConversionException(s.type(), MemoryType.NIO_DIRECT, VIEW,
          v.byteSize() + " bytes exceed the 2 GiB limit of NIO buffers");
    }
    if (shareable(s, v, o, MemoryType.NIO_DIRECT, true, true)) {
      return new Converted<>(v.segment().asSlice(0, v.byteSize()).asByteBuffer().order(ByteOrder.LITTLE_ENDIAN),
          s.copied(), VIEW);
    }
    mayCopy(s, MemoryType.NIO_DIRECT, o, copyMethod(v), why(v, o));
    ByteBuffer out = ByteBuffer.allocateDirect((int) v.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
    String m = fill(s, v, MemoryType.NIO_DIRECT, MemorySegment.ofBuffer(out));
    return new Converted<>(out, true, m);
  }

  private static Converted<?> array(SourceView s, NDBuffer v, ConversionOptions o) {
    long n = v.elementCount();
    if (n > Integer.MAX_VALUE - 8) {
      throw new MemoryConversionException(s.type(), MemoryType.ARRAY, HOST_COPY,
          n + " elements do not fit a Java array");
    }
    if (o.copy() != CopyPolicy.ALWAYS && s.type() == MemoryType.ARRAY && v.isCompact()
        && v.segment().heapBase().isPresent() && v.segment().byteSize() == v.byteSize()) {
      return new Converted<>(v.segment().heapBase().get(), false, "same array");
    }
    mayCopy(s, MemoryType.ARRAY, o, copyMethod(v), "a Java array always holds its own copy of native memory");
    Object arr = switch (v.type()) {
      case UINT8, INT8 -> new byte[(int) n];
      case UINT16, INT16 -> new short[(int) n];
      case UINT32, INT32 -> new int[(int) n];
      case UINT64, INT64 -> new long[(int) n];
      case FLOAT32 -> new float[(int) n];
      case FLOAT64 -> new double[(int) n];
    };
    MemorySegment dst = switch (arr) {
      case byte[] a -> MemorySegment.ofArray(a);
      case short[] a -> MemorySegment.ofArray(a);
      case int[] a -> MemorySegment.ofArray(a);
      case long[] a -> MemorySegment.ofArray(a);
      case float[] a -> MemorySegment.ofArray(a);
      default -> MemorySegment.ofArray((double[]) arr);
    };
    String m = fill(s, v, MemoryType.ARRAY, dst);
    return new Converted<>(arr, true, m);
  }

  private static BufferAllocator allocator(SourceView s, MemoryType target, ConversionOptions o) {
    if (o.allocator() == null) {
      throw new MemoryConversionException(s.type(), target, VIEW,
          "no BufferAllocator given; set ConversionOptions.withAllocator so Arrow memory is accounted");
    }
    return o.allocator();
  }

  private static Converted<?> arrow(SourceView s, NDBuffer v, ConversionOptions o) {
    BufferAllocator a = allocator(s, MemoryType.ARROW, o);
    if (shareable(s, v, o, MemoryType.ARROW, true, true)) {
      AutoCloseable keep = s.retain().acquire();
      MemorySegment seg = v.segment();
      try {
        ArrowBuf buf = a.wrapForeignAllocation(new ForeignAllocation(v.byteSize(), seg.address()) {
          @Override
          protected void release0() {
            try {
              keep.close();
            } catch (Exception e) {
              throw new IllegalStateException("releasing the wrapped source failed", e);
            }
          }
        });
        return new Converted<>(buf, s.copied(), VIEW);
      } catch (RuntimeException e) {
        closeQuietly(keep);
        throw e;
      }
    }
    mayCopy(s, MemoryType.ARROW, o, copyMethod(v), why(v, o));
    ArrowBuf buf = a.buffer(v.byteSize());
    try {
      String m = fill(s, v, MemoryType.ARROW, MemorySegment.ofAddress(buf.memoryAddress()).reinterpret(v.byteSize()));
      return new Converted<>(buf, true, m);
    } catch (RuntimeException | Error e) {
      buf.close();
      throw e;
    }
  }

  private static Converted<?> dlpack(SourceView s, NDBuffer v, ConversionOptions o) {
    if (!v.kind().isHost()) {
      if (o.copy() == CopyPolicy.ALWAYS) {
        throw new MemoryConversionException(s.type(), MemoryType.DLPACK, "D2D copy",
            "copying device memory for a kDLCUDA export is not supported; export the device buffer itself");
      }
      AutoCloseable keep = s.retain().acquire();
      ManagedTensor t = DlpackExporter.export(v.cuda().address(), v.type(), v.shape(), v.strides(),
          Device.cuda(v.cuda().deviceId()), false, keep, o.dlpack());
      return new Converted<>(t, s.copied(), VIEW);
    }
    if (shareable(s, v, o, MemoryType.DLPACK, false, true)) {
      AutoCloseable keep = s.retain().acquire();
      try {
        ManagedTensor t = DlpackExporter.export(v.segment().address(), v.type(), v.shape(), v.strides(), Device.HOST,
            s.copied(), keep, o.dlpack());
        return new Converted<>(t, s.copied(), VIEW);
      } catch (RuntimeException e) {
        closeQuietly(keep);
        throw e;
      }
    }
    mayCopy(s, MemoryType.DLPACK, o, HOST_COPY, why(v, o));
    ManagedTensor t = DlpackExporter.exportContiguous(v.segment(), 0, v.type(), v.shape(), v.strides(),
        allocator(s, MemoryType.DLPACK, o), o.dlpack());
    return new Converted<>(t, true, HOST_COPY);
  }

  private static Converted<?> cuda(SourceView s, NDBuffer v, ConversionOptions o) {
    if (!v.kind().isHost()) {
      if (o.copy() == CopyPolicy.ALWAYS) {
        throw new MemoryConversionException(s.type(), MemoryType.CUDA, "D2D copy", "device-to-device copies are not "
            + "supported");
      }
      return new Converted<>(v.cuda(), s.copied(), VIEW);
    }
    mayCopy(s, MemoryType.CUDA, o, "H2D copy", "host memory always moves to the device by copy");
    CudaBuffer dst = CudaBuffer.allocate(o.cudaDevice(), v.byteSize());
    try {
      if (v.isCompact()) {
        CudaMemory.copyToDevice(v.segment().asSlice(0, v.byteSize()), dst);
      } else {
        CudaMemory.copyToDevice(hostCopy(s, v, MemoryType.CUDA, o), dst);
      }
      return new Converted<>(dst, true, "H2D copy");
    } catch (RuntimeException | Error e) {
      dst.close();
      throw e;
    }
  }

  private static Converted<?> ndbuffer(SourceView s, NDBuffer v, ConversionOptions o) {
    if (o.copy() != CopyPolicy.ALWAYS) {
      return new Converted<>(v, s.copied(), VIEW);
    }
    BufferAllocator a = allocator(s, MemoryType.NDBUFFER, o);
    NDBuffer out = NDBuffer.allocate(a, v.type(), v.shape());
    try {
      String m = fill(s, v, MemoryType.NDBUFFER, out.segment());
      return new Converted<>(out, true, m);
    } catch (RuntimeException | Error e) {
      out.close();
      throw e;
    }
  }

  static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // best effort on an error path
    }
  }

}
