package io.omearrow.bridge;

import io.omearrow.core.PixelType;
import io.omearrow.memory.AlignedBuffers;
import java.lang.foreign.MemorySegment;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Where decoded bytes should land, passed down by the caller (zarr's BufferPrototype): a factory
 * for flat buffers and one for n-d buffers of the same memory kind. {@link #host} allocates
 * 64-byte-aligned Arrow memory from the caller's allocator; {@link #cuda} allocates device memory.
 *
 * @param bytes flat buffers
 * @param nd n-dimensional buffers
 */
@SuppressWarnings("restricted") // FFM is this class's purpose; run with --enable-native-access
public record BufferPrototype(BufferFactory bytes, NDBufferFactory nd) {

  /** Host buffers from {@code allocator} (accounted; every buffer must be closed). */
  public static BufferPrototype host(BufferAllocator allocator) {
    BufferFactory b = new BufferFactory() {
      @Override
      public MemoryKind kind() {
        return MemoryKind.HOST_NATIVE;
      }

      @Override
      public Buffer allocate(long size) {
        ArrowBuf buf = AlignedBuffers.allocate(allocator, size);
        return Buffer.owning(MemorySegment.ofAddress(buf.memoryAddress()).reinterpret(size), buf);
      }
    };
    NDBufferFactory n = new NDBufferFactory() {
      @Override
      public MemoryKind kind() {
        return MemoryKind.HOST_NATIVE;
      }

      @Override
      public NDBuffer allocate(PixelType type, long[] shape) {
        return NDBuffer.allocate(allocator, type, shape);
      }
    };
    return new BufferPrototype(b, n);
  }

  /** Device buffers on CUDA device {@code deviceId} (needs JCuda and a GPU; see {@link GpuProbe}). */
  public static BufferPrototype cuda(int deviceId) {
    BufferFactory b = new BufferFactory() {
      @Override
      public MemoryKind kind() {
        return MemoryKind.CUDA_DEVICE;
      }

      @Override
      public Buffer allocate(long size) {
        return Buffer.onDevice(CudaBuffer.allocate(deviceId, size), true);
      }
    };
    NDBufferFactory n = new NDBufferFactory() {
      @Override
      public MemoryKind kind() {
        return MemoryKind.CUDA_DEVICE;
      }

      @Override
      public NDBuffer allocate(PixelType type, long[] shape) {
        long size = Math.multiplyExact(io.omearrow.dlpack.StridedCopy.elementCount(shape), (long) type.byteSize());
        return NDBuffer.onDevice(CudaBuffer.allocate(deviceId, size), type, shape, true);
      }
    };
    return new BufferPrototype(b, n);
  }
}
