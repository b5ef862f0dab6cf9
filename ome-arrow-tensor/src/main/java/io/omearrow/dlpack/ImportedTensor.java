package io.omearrow.dlpack;

import io.omearrow.core.OmeArrowException;
import io.omearrow.core.PixelType;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.ForeignAllocation;

/**
 * A DLPack tensor taken from another producer. This object owns the producer's struct: the
 * producer's deleter runs exactly once, when this handle and every {@link #toArrowBuf} buffer made
 * from it have been closed (reference counted). Views from {@link #segment()} do not own the memory
 * and are valid only until then. Device memory (kDLCUDA) is never dereferenced from Java: only its
 * address is exposed. Thread-safe.
 */
public final class ImportedTensor implements AutoCloseable {
  private final MemorySegment struct;
  private final boolean versioned;
  private final long deleter;
  private final long flags;
  private final boolean readOnly;
  private final Device device;
  private final PixelType type;
  private final long[] shape;
  private final long[] strides;
  private final long firstElementAddress;
  private final long[] range;
  private final AtomicInteger refs = new AtomicInteger(1);
  private volatile boolean closed;

  ImportedTensor(MemorySegment struct, boolean versioned, long deleter, long flags, boolean readOnly, Device device,
      PixelType type, long[] shape, long[] strides, long firstElementAddress, long[] range) {
    this.struct = struct;
    this.versioned = versioned;
    this.deleter = deleter;
    this.flags = flags;
    this.readOnly = readOnly;
    this.device = device;
    this.type = type;
    this.shape = shape;
    this.strides = strides;
    this.firstElementAddress = firstElementAddress;
    this.range = range;
  }

  public boolean versioned() {
    return versioned;
  }

  public long flags() {
    return flags;
  }

  /** True when the producer set READ_ONLY; {@link #segment()} is then read-only too. */
  public boolean readOnly() {
    return readOnly;
  }

  /** True when the producer made a private copy for this export. */
  public boolean copied() {
    return (flags & DlpackAbi.FLAG_IS_COPIED) != 0;
  }

  public Device device() {
    return device;
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

  /** Element strides (compact row-major when the producer passed NULL). */
  public long[] strides() {
    return strides.clone();
  }

  public long elementCount() {
    return StridedCopy.elementCount(shape);
  }

  /** True when the strides are compact row-major. */
  public boolean isCompact() {
    return StridedCopy.isCompact(shape, strides);
  }

  /** Address of element [0,...,0] ({@code data + byte_offset}). */
  public long dataAddress() {
    return firstElementAddress;
  }

  /** Lowest address any element occupies (differs from {@link #dataAddress()} for negative strides). */
  public long spanAddress() {
    return firstElementAddress + range[0] * type.byteSize();
  }

  /** Bytes from {@link #spanAddress()} to the end of the last reachable element. */
  public long spanBytes() {
    return (range[1] - range[0] + 1) * type.byteSize();
  }

  /** Element offset of element [0,...,0] inside {@link #segment()}. */
  public long firstElementIndex() {
    return -range[0];
  }

  /**
   * The whole span as a segment, no copy (read-only when READ_ONLY was set). Valid until the
   * deleter runs; host-accessible devices only.
   */
  public MemorySegment segment() {
    checkOpen();
    requireHost("segment()");
    MemorySegment s = MemorySegment.ofAddress(spanAddress()).reinterpret(spanBytes());
    return readOnly ? s.asReadOnly() : s;
  }

  /**
   * An Arrow buffer over the span, no copy, accounted to {@code allocator}. It holds a reference:
   * the producer's deleter waits for it to be closed too. Arrow buffers are writable; honouring
   * {@link #readOnly()} is up to the caller.
   */
  public ArrowBuf toArrowBuf(BufferAllocator allocator) {
    checkOpen();
    requireHost("toArrowBuf()");
    acquire();
    try {
      return allocator.wrapForeignAllocation(new ForeignAllocation(spanBytes(), spanAddress()) {
        @Override
        protected void release0() {
          ImportedTensor.this.releaseRef();
        }
      });
    } catch (RuntimeException e) {
      releaseRef();
      throw e;
    }
  }

  /**
   * Takes one more reference; the producer's deleter waits until the returned handle is closed
   * too (closing it twice has no further effect).
   */
  public AutoCloseable retain() {
    checkOpen();
    acquire();
    java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
    return () -> {
      if (done.compareAndSet(false, true)) {
        releaseRef();
      }
    };
  }

  /** The struct address (for diagnostics). */
  public long structAddress() {
    return struct.address();
  }

  /** True once the producer's deleter has run. */
  public boolean isReleased() {
    return refs.get() == 0;
  }

  /** Drops this handle's reference; the deleter runs when no Arrow buffer still holds one. Idempotent. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      releaseRef();
    }
  }

  private void acquire() {
    refs.updateAndGet(r -> {
      if (r <= 0) {
        throw new IllegalStateException("imported DLPack tensor was already released");
      }
      return r + 1;
    });
  }

  private void releaseRef() {
    if (refs.decrementAndGet() == 0) {
      DlpackImporter.callDeleter(deleter, struct.address());
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("imported DLPack tensor is closed");
    }
  }

  private void requireHost(String what) {
    if (!device.isHostAccessible()) {
      throw new OmeArrowException(what + " needs host memory but the tensor lives on " + device
          + "; use its dataAddress() with a CUDA library");
    }
  }

  @Override
  public String toString() {
    return "ImportedTensor[" + type + Arrays.toString(shape) + ", strides " + Arrays.toString(strides) + ", " + device
        + (readOnly ? ", read-only" : "") + "]";
  }
}
