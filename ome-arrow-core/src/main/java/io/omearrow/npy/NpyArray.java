package io.omearrow.npy;

import io.omearrow.core.PixelType;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.apache.arrow.memory.ArrowBuf;

/**
 * An n-dimensional array read from a NumPy {@code .npy} file, normalised to C order and
 * little-endian whatever the file held.
 *
 * <p>Memory: the array owns {@link #data()}, allocated from the allocator given to
 * {@link Npy#read}; {@link #close()} frees it.
 */
public final class NpyArray implements AutoCloseable {
  private final long[] shape;
  private final PixelType type;
  private final ArrowBuf data;

  NpyArray(long[] shape, PixelType type, ArrowBuf data) {
    this.shape = shape.clone();
    this.type = type;
    this.data = data;
  }

  /** The shape, C order. */
  public long[] shape() {
    return shape.clone();
  }

  public PixelType type() {
    return type;
  }

  /** Number of elements. */
  public long size() {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    return n;
  }

  /** The values (C order, little-endian); owned by this array. */
  public ArrowBuf data() {
    return data;
  }

  /** The values as a segment (no copy; valid until close). */
  public MemorySegment segment() {
    return MemorySegment.ofAddress(data.memoryAddress()).reinterpret(size() * type.byteSize());
  }

  @Override
  public void close() {
    data.close();
  }

  @Override
  public String toString() {
    return "NpyArray[" + type + " " + Arrays.toString(shape) + "]";
  }
}
