package io.omearrow.bridge;

import io.omearrow.core.PixelType;
import io.omearrow.dlpack.Device;
import io.omearrow.dlpack.DlpackExporter;
import io.omearrow.dlpack.ExportOptions;
import io.omearrow.dlpack.ImportedTensor;
import io.omearrow.dlpack.ManagedTensor;
import io.omearrow.dlpack.StridedCopy;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A block of CUDA device memory: address, size and device ordinal. Never dereferenced from Java.
 * Memory from {@link #allocate} is owned and freed ({@code cudaFree}) on {@link #close()};
 * {@link #wrap} and {@link #view} borrow (closing them closes only the given owner, if any).
 */
public final class CudaBuffer implements AutoCloseable {
  private final long address;
  private final long byteSize;
  private final int deviceId;
  private final boolean owned;
  private final AutoCloseable owner;
  private final AtomicBoolean closed = new AtomicBoolean();

  private CudaBuffer(long address, long byteSize, int deviceId, boolean owned, AutoCloseable owner) {
    if (byteSize < 0) {
      throw new IllegalArgumentException("negative CUDA buffer size " + byteSize);
    }
    this.address = address;
    this.byteSize = byteSize;
    this.deviceId = deviceId;
    this.owned = owned;
    this.owner = owner;
  }

  /** {@code cudaMalloc} of {@code bytes} on {@code deviceId}; the result owns the memory. */
  public static CudaBuffer allocate(int deviceId, long bytes) {
    return new CudaBuffer(CudaMemory.malloc(deviceId, bytes), bytes, deviceId, true, null);
  }

  /** Borrows device memory; {@code owner} (may be null) is closed with this buffer. */
  public static CudaBuffer wrap(long address, long bytes, int deviceId, AutoCloseable owner) {
    return new CudaBuffer(address, bytes, deviceId, false, owner);
  }

  /**
   * Wraps a compact kDLCUDA DLPack import without copying; closing the buffer closes the import
   * (which calls the producer's deleter).
   */
  public static CudaBuffer fromDlpack(ImportedTensor tensor) {
    if (tensor.device().type() != Device.CUDA) {
      throw new MemoryConversionException(MemoryType.DLPACK, MemoryType.CUDA, "zero-copy wrap",
          "the tensor lives on " + tensor.device() + ", not kDLCUDA; copy host tensors with CudaBuffer.allocate + "
              + "CudaMemory.copyToDevice");
    }
    if (!tensor.isCompact()) {
      throw new MemoryConversionException(MemoryType.DLPACK, MemoryType.CUDA, "zero-copy wrap",
          "strided device tensors are not supported; make it compact on the device first");
    }
    return new CudaBuffer(tensor.dataAddress(), tensor.elementCount() * tensor.type().byteSize(),
        tensor.device().id(), false, tensor);
  }

  /** A borrowed window of this buffer. */
  public CudaBuffer view(long offset, long bytes) {
    if (offset < 0 || bytes < 0 || offset + bytes > byteSize) {
      throw new IllegalArgumentException("window [" + offset + ", " + (offset + bytes) + ") outside a CUDA buffer of "
          + byteSize + " bytes");
    }
    return new CudaBuffer(address + offset, bytes, deviceId, false, null);
  }

  /** The device address. */
  public long address() {
    return address;
  }

  public long byteSize() {
    return byteSize;
  }

  public int deviceId() {
    return deviceId;
  }

  /**
   * Exports this memory as a compact kDLCUDA DLPack tensor with this buffer's device id. The
   * copies this package makes are complete (their stream synchronised) before they return, so a
   * consumer on any stream sees the data. The export borrows: this buffer must stay open until the
   * consumer's deleter has run.
   */
  public ManagedTensor toDlpack(PixelType type, long[] shape, ExportOptions options) {
    long bytes = Math.multiplyExact(StridedCopy.elementCount(shape), (long) type.byteSize());
    if (bytes > byteSize) {
      throw new io.omearrow.core.SelectionException("shape " + java.util.Arrays.toString(shape) + " of " + type
          + " needs " + bytes + " bytes but the CUDA buffer holds " + byteSize);
    }
    return DlpackExporter.export(address, type, shape, StridedCopy.compactStrides(shape), Device.cuda(deviceId), false,
        null, options);
  }

  /** Frees owned memory (or closes the owner of borrowed memory) once. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (owned) {
      CudaMemory.free(deviceId, address);
    } else if (owner != null) {
      try {
        owner.close();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new io.omearrow.core.OmeArrowException("closing CUDA buffer owner failed: " + e.getMessage(), e);
      }
    }
  }

  @Override
  public String toString() {
    return "CudaBuffer[0x" + Long.toHexString(address) + ", " + byteSize + " bytes, device " + deviceId + "]";
  }
}
