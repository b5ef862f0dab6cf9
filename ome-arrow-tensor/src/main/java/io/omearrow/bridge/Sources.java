package io.omearrow.bridge;

import io.omearrow.core.PixelType;
import io.omearrow.dlpack.ImportedTensor;
import io.omearrow.dlpack.StridedCopy;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.Arrays;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;

/** Reads every supported source object as a {@link SourceView} without copying (DJL may copy). */
final class Sources {
  private Sources() {}

  static SourceView view(Object src, MemoryType type, MemoryType target, ConversionOptions o) {
    return switch (type) {
      case ARROW -> arrow(src, target, o);
      case SEGMENT -> {
        MemorySegment s = (MemorySegment) src;
        yield flat(type, target, s, o.type() == null ? PixelType.UINT8 : o.type(), o, SourceView.pin(src));
      }
      case NIO_DIRECT -> nio((java.nio.Buffer) src, target, o);
      case ARRAY -> array(src, target, o);
      case DLPACK -> dlpack((ImportedTensor) src, target);
      case DJL -> DjlBridge.view(src, target);
      case CUDA -> {
        CudaBuffer c = (CudaBuffer) src;
        PixelType t = o.type() == null ? PixelType.UINT8 : o.type();
        long[] shape = shapeFor(type, target, o, c.byteSize(), t);
        yield new SourceView(type, NDBuffer.onDevice(c, t, shape, false), false, SourceView.pin(c));
      }
      case NDBUFFER -> new SourceView(type, ((NDBuffer) src).view(), false, SourceView.pin(src));
    };
  }

  private static long[] shapeFor(MemoryType type, MemoryType target, ConversionOptions o, long bytes, PixelType t) {
    if (o.shape() == null) {
      if (bytes % t.byteSize() != 0) {
        throw new MemoryConversionException(type, target, "zero-copy view", bytes + " bytes are not a whole number of "
            + t + " elements");
      }
      return new long[] {bytes / t.byteSize()};
    }
    long need = StridedCopy.elementCount(o.shape()) * t.byteSize();
    if (need > bytes) {
      throw new MemoryConversionException(type, target, "zero-copy view", "shape " + Arrays.toString(o.shape()) + " of "
          + t + " needs " + need + " bytes but the source holds " + bytes);
    }
    return o.shape();
  }

  private static SourceView flat(MemoryType type, MemoryType target, MemorySegment s, PixelType t, ConversionOptions o,
      SourceView.KeepAlive keep) {
    long[] shape = shapeFor(type, target, o, s.byteSize(), t);
    return new SourceView(type, NDBuffer.wrap(s, t, shape), false, keep);
  }

  private static SourceView arrow(Object src, MemoryType target, ConversionOptions o) {
    ArrowBuf buf;
    PixelType t;
    long bytes;
    if (src instanceof BaseFixedWidthVector v) {
      if (v.getNullCount() > 0) {
        throw new MemoryConversionException(MemoryType.ARROW, target, "zero-copy view", "vector '" + v.getName()
            + "' has " + v.getNullCount() + " nulls, which a dense tensor cannot represent");
      }
      t = PixelType.fromArrow(v.getField().getType());
      if (o.type() != null && o.type().byteSize() == t.byteSize()) {
        t = o.type();
      }
      buf = v.getDataBuffer();
      bytes = (long) v.getValueCount() * t.byteSize();
    } else {
      buf = (ArrowBuf) src;
      t = o.type() == null ? PixelType.UINT8 : o.type();
      bytes = buf.capacity();
    }
    MemorySegment s = MemorySegment.ofAddress(buf.memoryAddress()).reinterpret(bytes);
    ArrowBuf b = buf;
    return flat(MemoryType.ARROW, target, s, t, o, () -> {
      b.getReferenceManager().retain();
      return () -> b.getReferenceManager().release();
    });
  }

  private static SourceView nio(java.nio.Buffer b, MemoryType target, ConversionOptions o) {
    PixelType t;
    if (b instanceof ByteBuffer) {
      t = o.type() == null ? PixelType.UINT8 : o.type();
    } else {
      ByteOrder order = b instanceof ShortBuffer sb ? sb.order() : b instanceof IntBuffer ib ? ib.order()
          : b instanceof LongBuffer lb ? lb.order() : b instanceof FloatBuffer fb ? fb.order()
          : ((DoubleBuffer) b).order();
      if (order != ByteOrder.LITTLE_ENDIAN) {
        throw new MemoryConversionException(MemoryType.NIO_DIRECT, target, "zero-copy view",
            "typed buffer is big-endian; pixel data must be little-endian");
      }
      t = typed(b instanceof ShortBuffer ? PixelType.INT16 : b instanceof IntBuffer ? PixelType.INT32
          : b instanceof LongBuffer ? PixelType.INT64 : b instanceof FloatBuffer ? PixelType.FLOAT32 : PixelType.FLOAT64,
          o.type());
    }
    return flat(MemoryType.NIO_DIRECT, target, MemorySegment.ofBuffer(b), t, o, SourceView.pin(b));
  }

  private static PixelType typed(PixelType natural, PixelType requested) {
    return requested != null && requested.byteSize() == natural.byteSize()
        && requested.isFloating() == natural.isFloating() ? requested : natural;
  }

  private static SourceView array(Object a, MemoryType target, ConversionOptions o) {
    MemorySegment s;
    PixelType t;
    switch (a) {
      case byte[] x -> {
        s = MemorySegment.ofArray(x);
        t = typed(PixelType.INT8, o.type());
      }
      case short[] x -> {
        s = MemorySegment.ofArray(x);
        t = typed(PixelType.INT16, o.type());
      }
      case int[] x -> {
        s = MemorySegment.ofArray(x);
        t = typed(PixelType.INT32, o.type());
      }
      case long[] x -> {
        s = MemorySegment.ofArray(x);
        t = typed(PixelType.INT64, o.type());
      }
      case float[] x -> {
        s = MemorySegment.ofArray(x);
        t = PixelType.FLOAT32;
      }
      case double[] x -> {
        s = MemorySegment.ofArray(x);
        t = PixelType.FLOAT64;
      }
      default -> throw new MemoryConversionException(MemoryType.ARRAY, target, "zero-copy view",
          "unsupported array class " + a.getClass().getSimpleName());
    }
    return flat(MemoryType.ARRAY, target, s, t, o, SourceView.pin(a));
  }

  private static SourceView dlpack(ImportedTensor t, MemoryType target) {
    if (!t.device().isHostAccessible()) {
      CudaBuffer c = CudaBuffer.wrap(t.dataAddress(), t.elementCount() * t.type().byteSize(), t.device().id(), null);
      if (!t.isCompact()) {
        throw new MemoryConversionException(MemoryType.DLPACK, target, "zero-copy view",
            "strided kDLCUDA tensors are not supported");
      }
      return new SourceView(MemoryType.DLPACK, NDBuffer.onDevice(c, t.type(), t.shape(), false), false, t::retain);
    }
    for (long s : t.strides()) {
      if (s < 0) {
        throw new MemoryConversionException(MemoryType.DLPACK, target, "zero-copy view",
            "negative strides " + Arrays.toString(t.strides()) + " are not supported by the bridge");
      }
    }
    MemorySegment seg = t.segment().asSlice(t.firstElementIndex() * t.type().byteSize());
    return new SourceView(MemoryType.DLPACK, NDBuffer.wrap(seg, t.type(), t.shape(), t.strides()), false, t::retain);
  }
}
