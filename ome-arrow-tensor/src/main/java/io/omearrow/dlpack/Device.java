package io.omearrow.dlpack;

/**
 * A DLPack device: {@code DLDeviceType} code and the producer's device ordinal. A plain value.
 *
 * @param type DLDeviceType ({@link #CPU}, {@link #CUDA}, ...)
 * @param id device ordinal, 0 for the host
 */
public record Device(int type, int id) {
  public static final int CPU = 1;
  public static final int CUDA = 2;
  public static final int CUDA_HOST = 3;
  public static final int CUDA_MANAGED = 13;

  /** The host CPU. */
  public static final Device HOST = new Device(CPU, 0);

  /** CUDA device {@code id}. */
  public static Device cuda(int id) {
    if (id < 0) {
      throw new IllegalArgumentException("CUDA device id must be >= 0, got " + id);
    }
    return new Device(CUDA, id);
  }

  /** True when Java may read the memory directly (host, pinned host or managed memory). */
  public boolean isHostAccessible() {
    return type == CPU || type == CUDA_HOST || type == CUDA_MANAGED;
  }

  /** The DLPack name of the device type, e.g. {@code kDLCUDA}. */
  public String typeName() {
    return switch (type) {
      case CPU -> "kDLCPU";
      case CUDA -> "kDLCUDA";
      case CUDA_HOST -> "kDLCUDAHost";
      case 4 -> "kDLOpenCL";
      case 7 -> "kDLVulkan";
      case 8 -> "kDLMetal";
      case 10 -> "kDLROCM";
      case 11 -> "kDLROCMHost";
      case CUDA_MANAGED -> "kDLCUDAManaged";
      case 14 -> "kDLOneAPI";
      default -> "device type " + type;
    };
  }

  @Override
  public String toString() {
    return typeName() + ":" + id;
  }
}
