package io.omearrow.bridge;

import io.omearrow.core.OmeArrowException;
import java.lang.foreign.MemorySegment;
import jcuda.Pointer;
import jcuda.runtime.JCuda;
import jcuda.runtime.cudaError;
import jcuda.runtime.cudaEvent_t;
import jcuda.runtime.cudaMemcpyKind;
import jcuda.runtime.cudaStream_t;

/** The only class that touches JCuda; loaded only after {@link GpuProbe} found the jar. */
final class JCudaOps {
  private JCudaOps() {}

  /** A JCuda pointer with a raw address (the Pointer(long) constructor is protected). */
  static final class RawPointer extends Pointer {
    RawPointer() {
      super();
    }

    RawPointer(long address) {
      super(address);
    }

    long address() {
      return getNativePointer();
    }
  }

  static GpuProbe.Result probe() {
    int[] count = {0};
    int rc = JCuda.cudaGetDeviceCount(count);
    if (rc == cudaError.cudaErrorInsufficientDriver) {
      return new GpuProbe.Result(GpuProbe.Status.DRIVER_MISSING, 0, 0,
          "no usable CUDA driver (cudaErrorInsufficientDriver: libcuda.so.1 missing or older than CUDA 12.6 needs)");
    }
    if (rc == cudaError.cudaErrorNoDevice || (rc == cudaError.cudaSuccess && count[0] == 0)) {
      return new GpuProbe.Result(GpuProbe.Status.NO_DEVICE, 0, 0, "the CUDA driver reports no device");
    }
    if (rc != cudaError.cudaSuccess) {
      return new GpuProbe.Result(GpuProbe.Status.DRIVER_MISSING, 0, 0,
          "cudaGetDeviceCount failed: " + cudaError.stringFor(rc));
    }
    int[] version = {0};
    JCuda.cudaDriverGetVersion(version);
    return new GpuProbe.Result(GpuProbe.Status.AVAILABLE, count[0], version[0],
        count[0] + " CUDA device(s), driver " + version[0]);
  }

  static void check(int rc, String call) {
    if (rc != cudaError.cudaSuccess) {
      throw new OmeArrowException(call + " failed: " + cudaError.stringFor(rc) + " (" + rc + ")");
    }
  }

  static long malloc(int device, long bytes) {
    check(JCuda.cudaSetDevice(device), "cudaSetDevice(" + device + ")");
    RawPointer p = new RawPointer();
    check(JCuda.cudaMalloc(p, Math.max(bytes, 1)), "cudaMalloc(" + bytes + ")");
    return p.address();
  }

  static void free(int device, long address) {
    check(JCuda.cudaSetDevice(device), "cudaSetDevice(" + device + ")");
    check(JCuda.cudaFree(new RawPointer(address)), "cudaFree");
  }

  /** Pinned, double-buffered, chunked host→device copy on a private stream. */
  static void copyToDevice(MemorySegment src, long dst, int device) {
    transfer(src, dst, device, true);
  }

  static void copyToHost(long src, MemorySegment dst, int device) {
    transfer(dst, src, device, false);
  }

  private static void transfer(MemorySegment host, long deviceAddress, int device, boolean toDevice) {
    long total = host.byteSize();
    if (total == 0) {
      return;
    }
    check(JCuda.cudaSetDevice(device), "cudaSetDevice(" + device + ")");
    long chunk = Math.min(CudaMemory.STAGING_CHUNK, total);
    RawPointer[] staging = {new RawPointer(), new RawPointer()};
    cudaEvent_t[] done = {new cudaEvent_t(), new cudaEvent_t()};
    boolean[] pending = new boolean[2];
    cudaStream_t stream = new cudaStream_t();
    check(JCuda.cudaStreamCreate(stream), "cudaStreamCreate");
    int made = 0;
    try {
      for (; made < 2; made++) {
        check(JCuda.cudaMallocHost(staging[made], chunk), "cudaMallocHost(" + chunk + ")");
        check(JCuda.cudaEventCreate(done[made]), "cudaEventCreate");
      }
      int i = 0;
      for (long off = 0; off < total; off += chunk, i ^= 1) {
        long n = Math.min(chunk, total - off);
        if (pending[i]) {
          check(JCuda.cudaEventSynchronize(done[i]), "cudaEventSynchronize");
          pending[i] = false;
        }
        MemorySegment pinned = MemorySegment.ofAddress(staging[i].address()).reinterpret(chunk);
        if (toDevice) {
          MemorySegment.copy(host, off, pinned, 0, n);
          check(JCuda.cudaMemcpyAsync(new RawPointer(deviceAddress + off), staging[i], n,
              cudaMemcpyKind.cudaMemcpyHostToDevice, stream), "cudaMemcpyAsync(H2D)");
          check(JCuda.cudaEventRecord(done[i], stream), "cudaEventRecord");
          pending[i] = true;
        } else {
          check(JCuda.cudaMemcpyAsync(staging[i], new RawPointer(deviceAddress + off), n,
              cudaMemcpyKind.cudaMemcpyDeviceToHost, stream), "cudaMemcpyAsync(D2H)");
          check(JCuda.cudaStreamSynchronize(stream), "cudaStreamSynchronize");
          MemorySegment.copy(pinned, 0, host, off, n);
        }
      }
      check(JCuda.cudaStreamSynchronize(stream), "cudaStreamSynchronize");
    } finally {
      JCuda.cudaStreamSynchronize(stream); // no async copy may still read a staging buffer we free
      for (int k = 0; k < made; k++) {
        JCuda.cudaFreeHost(staging[k]);
        JCuda.cudaEventDestroy(done[k]);
      }
      if (made < 2 && staging[made].address() != 0) {
        JCuda.cudaFreeHost(staging[made]);
      }
      JCuda.cudaStreamDestroy(stream);
    }
  }
}
