package io.omearrow.bridge;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A flat, contiguous block of bytes in host or CUDA memory (zarr's Buffer). {@link #segment()}
 * never copies; {@link #from} copies only when the memory kind changes. A buffer made by a
 * {@link BufferFactory} owns its memory and frees it on {@link #close()}; {@link #wrap} borrows.
 */
public final class Buffer implements AutoCloseable {
  private final MemoryKind kind;
  private final MemorySegment host;
  private final CudaBuffer device;
  private final AutoCloseable owner;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Buffer(MemoryKind kind, MemorySegment host, CudaBuffer device, AutoCloseable owner) {
    this.kind = kind;
    this.host = host;
    this.device = device;
    this.owner = owner;
  }

  /** Borrows host memory. */
  public static Buffer wrap(MemorySegment bytes) {
    return new Buffer(bytes.isNative() ? MemoryKind.HOST_NATIVE : MemoryKind.HOST_HEAP, bytes, null, null);
  }

  /** Host memory freed by {@code owner} when this buffer closes. */
  public static Buffer owning(MemorySegment bytes, AutoCloseable owner) {
    return new Buffer(bytes.isNative() ? MemoryKind.HOST_NATIVE : MemoryKind.HOST_HEAP, bytes, null, owner);
  }

  /** Device memory; owned when {@code owned}. */
  public static Buffer onDevice(CudaBuffer memory, boolean owned) {
    return new Buffer(MemoryKind.CUDA_DEVICE, null, memory, owned ? memory : null);
  }

  public MemoryKind kind() {
    return kind;
  }

  public long byteSize() {
    return host != null ? host.byteSize() : device.byteSize();
  }

  /** The bytes, never copied (host buffers only). */
  public MemorySegment segment() {
    if (host == null) {
      throw new MemoryConversionException(MemoryType.CUDA, MemoryType.SEGMENT, "zero-copy view",
          "the buffer lives in CUDA device memory; use Buffer.from(buffer, host factory)");
    }
    return host;
  }

  /** The device memory (CUDA buffers only). */
  public CudaBuffer cuda() {
    if (device == null) {
      throw new MemoryConversionException(MemoryType.SEGMENT, MemoryType.CUDA, "zero-copy view",
          "the buffer lives in host memory; use Buffer.from(buffer, BufferPrototype.cuda(...).bytes())");
    }
    return device;
  }

  /** Copies the bytes into a new array (always a copy; for metadata-sized buffers). */
  public byte[] toBytes() {
    if (byteSize() > Integer.MAX_VALUE - 8) {
      throw new MemoryConversionException(MemoryType.SEGMENT, MemoryType.ARRAY, "host copy",
          "a buffer of " + byteSize() + " bytes does not fit a Java array");
    }
    byte[] out = new byte[(int) byteSize()];
    if (host != null) {
      MemorySegment.copy(host, 0, MemorySegment.ofArray(out), 0, out.length);
    } else {
      CudaMemory.copyToHost(device, MemorySegment.ofArray(out));
    }
    return out;
  }

  /** A buffer of {@code target}'s kind holding these bytes: the same memory when the kind matches, else a copy. */
  public static Converted<Buffer> from(Buffer src, BufferFactory target) {
    if (src.kind == target.kind()) {
      return new Converted<>(new Buffer(src.kind, src.host, src.device, null), false, "same memory kind");
    }
    Buffer dst = target.allocate(src.byteSize());
    try {
      if (src.host != null && dst.host != null) {
        MemorySegment.copy(src.host, 0, dst.host, 0, src.byteSize());
        return new Converted<>(dst, true, "host copy");
      } else if (src.host != null) {
        CudaMemory.copyToDevice(src.host, dst.device);
        return new Converted<>(dst, true, "H2D copy");
      } else if (dst.host != null) {
        CudaMemory.copyToHost(src.device, dst.host);
        return new Converted<>(dst, true, "D2H copy");
      }
      throw new MemoryConversionException(MemoryType.CUDA, MemoryType.CUDA, "D2D copy", "unreachable: same kind");
    } catch (RuntimeException | Error e) {
      dst.close();
      throw e;
    }
  }

  /** Frees owned memory once; borrowed buffers are untouched. */
  @Override
  public void close() {
    if (owner != null && closed.compareAndSet(false, true)) {
      try {
        owner.close();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new io.omearrow.core.OmeArrowException("closing buffer memory failed: " + e.getMessage(), e);
      }
    }
  }
}
