package io.omearrow.bridge;

import io.omearrow.core.OmeArrowException;
import java.lang.foreign.MemorySegment;

/**
 * Host↔device copies and device allocation through JCuda. Host→device copies go through a
 * pinned staging buffer ({@code cudaMallocHost}) and {@code cudaMemcpyAsync} on a private stream,
 * double-buffered in chunks so the host-side copy of one chunk overlaps the transfer of the
 * previous one; every method returns after its stream is synchronised. Fails with a clear
 * {@link OmeArrowException} when JCuda, the driver or a GPU is missing ({@link GpuProbe}).
 */
public final class CudaMemory {
  /** Size of each pinned staging chunk. */
  public static final long STAGING_CHUNK = 16L << 20;

  private CudaMemory() {}

  static long malloc(int deviceId, long bytes) {
    requireGpu();
    return JCudaOps.malloc(deviceId, bytes);
  }

  static void free(int deviceId, long address) {
    requireGpu();
    JCudaOps.free(deviceId, address);
  }

  /** Copies {@code src} (host, any kind) to the start of {@code dst}. */
  public static void copyToDevice(MemorySegment src, CudaBuffer dst) {
    if (src.byteSize() > dst.byteSize()) {
      throw new IllegalArgumentException("cannot copy " + src.byteSize() + " bytes into a CUDA buffer of " + dst.byteSize());
    }
    requireGpu();
    JCudaOps.copyToDevice(src, dst.address(), dst.deviceId());
  }

  /** Copies the first {@code dst.byteSize()} bytes of {@code src} to host memory {@code dst}. */
  public static void copyToHost(CudaBuffer src, MemorySegment dst) {
    if (dst.byteSize() > src.byteSize()) {
      throw new IllegalArgumentException("cannot copy " + dst.byteSize() + " bytes out of a CUDA buffer of "
          + src.byteSize());
    }
    requireGpu();
    JCudaOps.copyToHost(src.address(), dst, src.deviceId());
  }

  private static void requireGpu() {
    GpuProbe.Result r = GpuProbe.probe();
    if (r.status() != GpuProbe.Status.AVAILABLE) {
      throw new OmeArrowException("CUDA is not usable: " + r.reason());
    }
  }
}
