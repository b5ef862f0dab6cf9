package io.omearrow.bridge;

import io.omearrow.core.PixelType;
import io.omearrow.core.SelectionException;
import io.omearrow.memory.AlignedBuffers;
import io.omearrow.dlpack.StridedCopy;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;

/**
 * An n-dimensional typed buffer over host memory (an Arrow buffer or a memory segment) or CUDA
 * device memory: dtype, shape and element strides (non-negative) over one block, element
 * [0,...,0] at the block's start. A buffer either owns its memory ({@link #allocate}, factories of
 * a {@link BufferPrototype}) and frees it on {@link #close()}, or borrows it ({@link #wrap}, views
 * from {@link #slice}), in which case close does nothing and the buffer is valid while the
 * memory's owner is.
 */
@SuppressWarnings("restricted") // FFM is this class's purpose; run with --enable-native-access
public final class NDBuffer implements AutoCloseable {
  private final MemoryKind kind;
  private final PixelType type;
  private final long[] shape;
  private final long[] strides;
  private final MemorySegment host;
  private final CudaBuffer device;
  private final AutoCloseable owner;
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

  private NDBuffer(MemoryKind kind, PixelType type, long[] shape, long[] strides, MemorySegment host, CudaBuffer device,
      AutoCloseable owner) {
    for (long d : shape) {
      if (d < 0) {
        throw new SelectionException("shape " + Arrays.toString(shape) + " has a negative dimension");
      }
    }
    if (strides.length != shape.length) {
      throw new SelectionException("strides " + Arrays.toString(strides) + " do not match shape " + Arrays.toString(shape));
    }
    for (long s : strides) {
      if (s < 0) {
        throw new SelectionException("NDBuffer strides must be non-negative, got " + Arrays.toString(strides));
      }
    }
    this.kind = kind;
    this.type = type;
    this.shape = shape.clone();
    this.strides = strides.clone();
    this.host = host;
    this.device = device;
    this.owner = owner;
    long need = spanBytes();
    long have = host != null ? host.byteSize() : device.byteSize();
    if (need > have) {
      throw new SelectionException("shape " + Arrays.toString(shape) + " with strides " + Arrays.toString(strides) + " of "
          + type + " needs " + need + " bytes but the memory holds " + have);
    }
  }

  /** A compact row-major view over host memory (borrowed). */
  public static NDBuffer wrap(MemorySegment data, PixelType type, long[] shape) {
    return wrap(data, type, shape, StridedCopy.compactStrides(shape));
  }

  /** A strided view over host memory (borrowed); element [0,...,0] at offset 0. */
  public static NDBuffer wrap(MemorySegment data, PixelType type, long[] shape, long[] strides) {
    return new NDBuffer(data.isNative() ? MemoryKind.HOST_NATIVE : MemoryKind.HOST_HEAP, type, shape, strides, data, null,
        null);
  }

  /** A compact view over CUDA memory (borrowed unless {@code owned}). */
  public static NDBuffer onDevice(CudaBuffer memory, PixelType type, long[] shape, boolean owned) {
    return new NDBuffer(MemoryKind.CUDA_DEVICE, type, shape, StridedCopy.compactStrides(shape), null, memory,
        owned ? memory : null);
  }

  /** Allocates a compact, 64-byte-aligned buffer from {@code allocator}; the result owns it. */
  public static NDBuffer allocate(BufferAllocator allocator, PixelType type, long[] shape) {
    long bytes = Math.multiplyExact(StridedCopy.elementCount(shape), (long) type.byteSize());
    ArrowBuf buf = AlignedBuffers.allocate(allocator, bytes);
    MemorySegment seg = MemorySegment.ofAddress(buf.memoryAddress()).reinterpret(bytes);
    try {
      return new NDBuffer(MemoryKind.HOST_NATIVE, type, shape, StridedCopy.compactStrides(shape), seg, null, buf);
    } catch (RuntimeException e) {
      buf.close();
      throw e;
    }
  }

  /** Wraps host memory whose lifetime {@code owner} controls; the NDBuffer closes the owner. */
  public static NDBuffer owning(MemorySegment data, PixelType type, long[] shape, AutoCloseable owner) {
    return new NDBuffer(data.isNative() ? MemoryKind.HOST_NATIVE : MemoryKind.HOST_HEAP, type, shape,
        StridedCopy.compactStrides(shape), data, null, owner);
  }

  public MemoryKind kind() {
    return kind;
  }

  public PixelType type() {
    return type;
  }

  public int ndim() {
    return shape.length;
  }

  public long[] shape() {
    return shape.clone();
  }

  /** Element strides. */
  public long[] strides() {
    return strides.clone();
  }

  public long elementCount() {
    return StridedCopy.elementCount(shape);
  }

  /** Bytes of the compact form. */
  public long byteSize() {
    return elementCount() * type.byteSize();
  }

  /** Bytes from element [0,...,0] to the end of the last element. */
  public long spanBytes() {
    long[] r = StridedCopy.offsetRange(shape, strides);
    return (r[1] + 1) * type.byteSize();
  }

  public boolean isCompact() {
    return StridedCopy.isCompact(shape, strides);
  }

  /** True when this buffer frees its memory on close. */
  public boolean ownsMemory() {
    return owner != null;
  }

  /** The host memory, no copy (covers the span). */
  public MemorySegment segment() {
    if (host == null) {
      throw new MemoryConversionException(MemoryType.NDBUFFER, MemoryType.SEGMENT, "zero-copy view",
          "the buffer lives in CUDA device memory; copy it to the host first (NDBuffer.from with a host prototype)");
    }
    return host;
  }

  /** The device memory (CUDA buffers only). */
  public CudaBuffer cuda() {
    if (device == null) {
      throw new MemoryConversionException(MemoryType.NDBUFFER, MemoryType.CUDA, "zero-copy view",
          "the buffer lives in host memory; copy it to a device first (NDBuffer.from with BufferPrototype.cuda)");
    }
    return device;
  }

  /** The (n-1)-d view at {@code index} along axis 0 (no copy, borrowed). */
  public NDBuffer slice(long index) {
    if (shape.length == 0) {
      throw new SelectionException("cannot slice a 0-d buffer");
    }
    if (index < 0 || index >= shape[0]) {
      throw new SelectionException("index " + index + " outside axis 0 of size " + shape[0]);
    }
    long[] s = Arrays.copyOfRange(shape, 1, shape.length);
    long[] st = Arrays.copyOfRange(strides, 1, strides.length);
    long off = index * strides[0] * type.byteSize();
    long[] r = StridedCopy.offsetRange(s, st);
    long span = (r[1] + 1) * type.byteSize();
    if (host != null) {
      return new NDBuffer(kind, type, s, st, host.asSlice(off, span), null, null);
    }
    return new NDBuffer(kind, type, s, st, null, device.view(off, span), null);
  }

  /** Copies this buffer's elements (host) compactly into {@code dst}. */
  public void copyCompactTo(MemorySegment dst) {
    StridedCopy.gather(segment(), 0, shape, strides, type.byteSize(), dst);
  }

  /**
   * The same elements in memory made by {@code target}; copies only when the memory kind differs
   * (host to device or back), otherwise returns a borrowed view of this buffer.
   */
  public static Converted<NDBuffer> from(NDBuffer src, NDBufferFactory target) {
    if (src.kind == target.kind() || (src.kind.isHost() && target.kind().isHost() && target.kind() != MemoryKind.HOST_HEAP
        && src.kind == MemoryKind.HOST_NATIVE)) {
      return new Converted<>(src.view(), false, "same memory kind");
    }
    NDBuffer dst = target.allocate(src.type, src.shape);
    try {
      if (src.kind.isHost() && dst.kind.isHost()) {
        src.copyCompactTo(dst.segment());
        return new Converted<>(dst, true, "host copy");
      }
      if (src.kind.isHost()) {
        MemorySegment compact = src.isCompact() ? src.segment().asSlice(0, src.byteSize()) : null;
        if (compact == null) {
          try (var arena = java.lang.foreign.Arena.ofConfined()) {
            MemorySegment tmp = arena.allocate(src.byteSize(), 64);
            src.copyCompactTo(tmp);
            CudaMemory.copyToDevice(tmp, dst.cuda());
          }
        } else {
          CudaMemory.copyToDevice(compact, dst.cuda());
        }
        return new Converted<>(dst, true, "H2D copy");
      }
      if (!src.isCompact()) {
        throw new MemoryConversionException(MemoryType.CUDA, MemoryType.NDBUFFER, "D2H copy",
            "strided device buffers are not supported; make them compact on the device first");
      }
      CudaMemory.copyToHost(src.cuda(), dst.segment());
      return new Converted<>(dst, true, "D2H copy");
    } catch (RuntimeException | Error e) {
      dst.close();
      throw e;
    }
  }

  /** A borrowed view of the same memory. */
  public NDBuffer view() {
    return new NDBuffer(kind, type, shape, strides, host, device, null);
  }

  /** Frees owned memory; no effect on borrowed buffers. */
  @Override
  public void close() {
    if (owner != null && closed.compareAndSet(false, true)) {
      try {
        owner.close();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new io.omearrow.core.OmeArrowException("closing NDBuffer memory failed: " + e.getMessage(), e);
      }
    }
  }

  @Override
  public String toString() {
    return "NDBuffer[" + type + Arrays.toString(shape) + ", strides " + Arrays.toString(strides) + ", " + kind + "]";
  }
}
