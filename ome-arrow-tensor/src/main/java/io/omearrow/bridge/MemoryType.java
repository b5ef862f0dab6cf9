package io.omearrow.bridge;

/**
 * The carrier of a block of pixels: which Java (or native) object holds the bytes. Where the bytes
 * live is {@link MemoryKind}; one type may hold several kinds (a DLPack tensor may be on the host or
 * on a GPU).
 */
public enum MemoryType {
  /** {@code org.apache.arrow.memory.ArrowBuf} or a fixed-width Arrow {@code FieldVector}. Ref-counted. */
  ARROW,
  /** {@code java.lang.foreign.MemorySegment}, native or heap. Owned by its arena. */
  SEGMENT,
  /** A direct {@code java.nio} buffer (at most 2 GiB). Freed by the GC. */
  NIO_DIRECT,
  /** A Java primitive array ({@code byte[]}, {@code short[]}, ..., {@code double[]}). Moved by the GC. */
  ARRAY,
  /** A DLPack tensor: an {@code ImportedTensor} as source, a {@code ManagedTensor} export as target. */
  DLPACK,
  /** A DJL {@code ai.djl.ndarray.NDArray} (optional dependency). Owned by its NDManager. */
  DJL,
  /** CUDA device memory ({@link CudaBuffer}, through JCuda; optional dependency). */
  CUDA,
  /** This package's {@link NDBuffer} (host or CUDA). */
  NDBUFFER
}
