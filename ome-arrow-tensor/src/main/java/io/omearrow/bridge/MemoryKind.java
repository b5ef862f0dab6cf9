package io.omearrow.bridge;

/** Where bytes live. Conversions between different kinds always copy. */
public enum MemoryKind {
  /** Native host memory with a stable address (Arrow, native segments, direct buffers). */
  HOST_NATIVE,
  /** The Java heap: the GC may move it, so it is never handed out by address. */
  HOST_HEAP,
  /** CUDA device memory: never dereferenced from Java. */
  CUDA_DEVICE;

  /** True for memory Java can read. */
  public boolean isHost() {
    return this != CUDA_DEVICE;
  }
}
