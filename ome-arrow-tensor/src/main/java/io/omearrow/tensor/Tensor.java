package io.omearrow.tensor;

import io.omearrow.core.PixelType;
import io.omearrow.memory.AlignedBuffers;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;

/**
 * A materialised tensor: C-contiguous values of one {@link TensorView} in its layout, held in an
 * Arrow buffer whose first element is 64-byte aligned. What {@link TensorView#materialize},
 * the iterators of {@link ViewSequence} and DLPack exports hand out.
 *
 * <p>Memory: the tensor owns its {@link ArrowBuf} (allocated from the caller's allocator) and
 * frees it in {@link #close()}; {@link #segment()} and {@link #address()} are valid until then.
 * A consumer that must keep the memory longer (a DLPack deleter) retains
 * {@code buffer().getReferenceManager()} and releases it itself.
 */
public final class Tensor implements AutoCloseable {
  /** Alignment of the first element, in bytes. */
  public static final int ALIGNMENT = 64;

  private final ArrowBuf buffer;
  private final long offset;
  private final long byteSize;
  private final long[] shape;
  private final PixelType dtype;
  private final Layout layout;
  private final TensorView view;
  private volatile boolean closed;

  private Tensor(ArrowBuf buffer, long offset, long byteSize, long[] shape, PixelType dtype, Layout layout, TensorView view) {
    this.buffer = buffer;
    this.offset = offset;
    this.byteSize = byteSize;
    this.shape = shape;
    this.dtype = dtype;
    this.layout = layout;
    this.view = view;
  }

  /**
   * Allocates an uninitialised tensor of {@code shape} × {@code dtype} through
   * {@link AlignedBuffers} (64-byte aligned; huge-page backed from 4 MiB on), accounted to
   * {@code allocator}.
   */
  static Tensor allocate(BufferAllocator allocator, long[] shape, PixelType dtype, Layout layout, TensorView view) {
    long n = 1;
    for (long s : shape) {
      n = Math.multiplyExact(n, s);
    }
    long bytes = Math.multiplyExact(n, (long) dtype.byteSize());
    return new Tensor(AlignedBuffers.allocate(allocator, bytes), 0, bytes, shape.clone(), dtype, layout, view);
  }

  /** Extent of each axis, in layout order. */
  public long[] shape() {
    return shape.clone();
  }

  /** Byte strides of each axis (C-contiguous in layout order). */
  public long[] strides() {
    return TensorView.contiguousStrides(shape, dtype.byteSize());
  }

  /** Element type. */
  public PixelType dtype() {
    return dtype;
  }

  /** The axis order ({@link Layout#toString()} gives the reference's letters, e.g. "CHW"). */
  public Layout layout() {
    return layout;
  }

  /** The view this tensor was materialised from (its t/z/c lists and ROI say what it holds). */
  public TensorView view() {
    return view;
  }

  /** Number of elements. */
  public long elementCount() {
    return byteSize / dtype.byteSize();
  }

  /** Size of the values in bytes. */
  public long byteSize() {
    return byteSize;
  }

  /** The values (no copy; valid until {@link #close()}). */
  public MemorySegment segment() {
    checkOpen();
    return MemorySegment.ofAddress(address()).reinterpret(byteSize);
  }

  /** Native address of the first element (64-byte aligned). */
  public long address() {
    checkOpen();
    return buffer.memoryAddress() + offset;
  }

  /** The owning Arrow buffer; the values start {@link #bufferOffset()} bytes into it. */
  public ArrowBuf buffer() {
    checkOpen();
    return buffer;
  }

  /** Offset of the first element in {@link #buffer()}. */
  public long bufferOffset() {
    return offset;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("Tensor is closed");
    }
  }

  /** True once {@link #close()} ran. */
  public boolean isClosed() {
    return closed;
  }

  /** Frees the buffer (once; later calls do nothing). */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    buffer.close();
  }

  @Override
  public String toString() {
    return "Tensor[" + dtype + " " + Arrays.toString(shape) + " " + layout + "]";
  }
}
