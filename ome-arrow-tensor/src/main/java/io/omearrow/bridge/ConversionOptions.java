package io.omearrow.bridge;

import io.omearrow.core.PixelType;
import io.omearrow.dlpack.ExportOptions;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Settings for {@link MemoryBridge#convert}: the copy policy, how to read flat sources (dtype and
 * shape, for ArrowBuf, MemorySegment, byte buffers and CUDA buffers, which carry neither), where
 * copies and Arrow wrappers are accounted ({@code allocator}), the DJL {@code NDManager} for DJL
 * targets, and DLPack export options. Immutable; use the {@code with*} methods.
 *
 * @param type element type for flat sources; null means the source's own (uint8 for raw bytes)
 * @param shape shape for flat sources; null means 1-D over the whole source
 * @param djlManager an {@code ai.djl.ndarray.NDManager} (typed as Object so DJL stays optional)
 */
public record ConversionOptions(CopyPolicy copy, PixelType type, long[] shape, BufferAllocator allocator,
    Object djlManager, int cudaDevice, ExportOptions dlpack) {

  /** IF_NEEDED, no type/shape hints, device 0, versioned read-only DLPack. */
  public static ConversionOptions defaults() {
    return new ConversionOptions(CopyPolicy.IF_NEEDED, null, null, null, null, 0, ExportOptions.DEFAULT);
  }

  public ConversionOptions withCopy(CopyPolicy p) {
    return new ConversionOptions(p, type, shape, allocator, djlManager, cudaDevice, dlpack);
  }

  public ConversionOptions withType(PixelType t) {
    return new ConversionOptions(copy, t, shape, allocator, djlManager, cudaDevice, dlpack);
  }

  public ConversionOptions withShape(long... s) {
    return new ConversionOptions(copy, type, s == null ? null : s.clone(), allocator, djlManager, cudaDevice, dlpack);
  }

  public ConversionOptions withAllocator(BufferAllocator a) {
    return new ConversionOptions(copy, type, shape, a, djlManager, cudaDevice, dlpack);
  }

  public ConversionOptions withDjlManager(Object m) {
    return new ConversionOptions(copy, type, shape, allocator, m, cudaDevice, dlpack);
  }

  public ConversionOptions withCudaDevice(int d) {
    return new ConversionOptions(copy, type, shape, allocator, djlManager, d, dlpack);
  }

  public ConversionOptions withDlpack(ExportOptions e) {
    return new ConversionOptions(copy, type, shape, allocator, djlManager, cudaDevice, e);
  }
}
