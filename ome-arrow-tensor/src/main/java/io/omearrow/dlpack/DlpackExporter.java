package io.omearrow.dlpack;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.omearrow.core.PixelSlice;
import io.omearrow.core.PixelType;
import io.omearrow.core.SelectionException;
import io.omearrow.memory.AlignedBuffers;
import io.omearrow.memory.NativeHeap;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Builds DLPack structs over Java-held memory, one per consumer.
 *
 * <p>Every export allocates one native header (struct + shape + strides) with libc, writes
 * byte_offset 0 with {@code data} at the first element, always fills strides (in elements), and
 * registers what it must keep alive: Arrow sources are retained
 * ({@code getReferenceManager().retain()}) and released by the deleter, so the data outlives the
 * caller's own vectors. The returned {@link ManagedTensor} frees the export on close unless it was
 * handed off. Zero-copy modes cost the same for any tensor size.
 */
@SuppressWarnings("restricted") // FFM is this class's purpose; run with --enable-native-access
public final class DlpackExporter {
  /** Alignment of buffers this class allocates for copies. */
  public static final int ALIGNMENT = 64;
  private static final AtomicLong IDS = new AtomicLong();

  private DlpackExporter() {}

  /**
   * {@link io.omearrow.tensor.ExportMode#ARROW}: the stored values of one plane or chunk tile as a 1-D tensor, no copy.
   * The slice's buffer is retained until the consumer's deleter runs.
   */
  public static ManagedTensor exportArrow(PixelSlice slice, ExportOptions options) {
    return exportArrow(slice, new long[] {slice.length()}, options);
  }

  /**
   * {@link io.omearrow.tensor.ExportMode#ARROW} with a compact shape over the slice (for example {@code [Y, X]} of a
   * stored plane, or {@code [Z, Y, X]} of a chunk tile). The product of {@code shape} must equal the
   * slice length.
   */
  public static ManagedTensor exportArrow(PixelSlice slice, long[] shape, ExportOptions options) {
    long n = checkShape(shape);
    if (n != slice.length()) {
      throw new SelectionException("shape " + Arrays.toString(shape) + " holds " + n + " elements but the slice has "
          + slice.length());
    }
    return exportStrided(slice.buffer(), slice.byteOffset(), slice.type(), shape, StridedCopy.compactStrides(shape),
        options);
  }

  /**
   * {@link io.omearrow.tensor.ExportMode#STRIDED}: a zero-copy view into an Arrow buffer. Element [0,...,0] sits
   * {@code byteOffset} bytes into {@code buffer}; {@code strides} are in elements (negative allowed).
   * Every reachable element must lie inside the buffer. The buffer is retained until the deleter runs.
   */
  public static ManagedTensor exportStrided(ArrowBuf buffer, long byteOffset, PixelType type, long[] shape,
      long[] strides, ExportOptions options) {
    checkShape(shape);
    checkStrides(shape, strides);
    long[] range = StridedCopy.offsetRange(shape, strides);
    long lo = byteOffset + range[0] * type.byteSize();
    long hi = byteOffset + (range[1] + 1) * type.byteSize();
    if (range[1] >= range[0] && (lo < 0 || hi > buffer.capacity())) {
      throw new SelectionException("strided view " + Arrays.toString(shape) + " strides " + Arrays.toString(strides)
          + " at byte " + byteOffset + " reaches bytes [" + lo + ", " + hi + ") outside the Arrow buffer of "
          + buffer.capacity() + " bytes");
    }
    buffer.getReferenceManager().retain();
    AutoCloseable keep = () -> buffer.getReferenceManager().release();
    try {
      return export(buffer.memoryAddress() + byteOffset, type, shape, strides, Device.HOST, false, keep, options);
    } catch (RuntimeException e) {
      buffer.getReferenceManager().release();
      throw e;
    }
  }

  /** {@link io.omearrow.tensor.ExportMode#STRIDED} over a stored plane's slice: element offset plus element strides. */
  public static ManagedTensor exportStrided(PixelSlice plane, long firstElement, long[] shape, long[] strides,
      ExportOptions options) {
    checkShape(shape);
    checkStrides(shape, strides);
    long[] range = StridedCopy.offsetRange(shape, strides);
    if (range[1] >= range[0] && (firstElement + range[0] < 0 || firstElement + range[1] >= plane.length())) {
      throw new SelectionException("strided view " + Arrays.toString(shape) + " strides " + Arrays.toString(strides)
          + " from element " + firstElement + " leaves the plane of " + plane.length() + " elements");
    }
    return exportStrided(plane.buffer(), plane.byteOffset() + firstElement * plane.type().byteSize(), plane.type(),
        shape, strides, options);
  }

  /**
   * {@link io.omearrow.tensor.ExportMode#CONTIGUOUS}: copies a strided source into a fresh 64-byte-aligned buffer from
   * {@code allocator} and exports it compact, with {@code IS_COPIED} set. The copy is owned by the
   * export and freed by the deleter (or {@link ManagedTensor#close()} if never handed off).
   *
   * @param src memory holding element [0,...,0] at byte {@code srcOffset}
   * @param srcStrides element strides of the source
   */
  public static ManagedTensor exportContiguous(MemorySegment src, long srcOffset, PixelType type, long[] shape,
      long[] srcStrides, BufferAllocator allocator, ExportOptions options) {
    long n = checkShape(shape);
    checkStrides(shape, srcStrides);
    long bytes = Math.multiplyExact(n, (long) type.byteSize());
    ArrowBuf copy = AlignedBuffers.allocate(allocator, bytes);
    try {
      MemorySegment dst = MemorySegment.ofAddress(copy.memoryAddress()).reinterpret(bytes);
      StridedCopy.gather(src, srcOffset, shape, srcStrides, type.byteSize(), dst);
      return export(dst.address(), type, shape, StridedCopy.compactStrides(shape), Device.HOST, true, copy::close,
          options);
    } catch (RuntimeException | Error e) {
      copy.close();
      throw e;
    }
  }

  /**
   * {@link io.omearrow.tensor.ExportMode#CONTIGUOUS} over an already materialised compact buffer (for example the
   * result of a view's materialisation). The export takes over one reference: it retains
   * {@code buffer} and the deleter releases it, so the caller may close its own reference at once.
   */
  public static ManagedTensor exportMaterialised(ArrowBuf buffer, long byteOffset, PixelType type, long[] shape,
      ExportOptions options) {
    long n = checkShape(shape);
    if (byteOffset < 0 || byteOffset + n * type.byteSize() > buffer.capacity()) {
      throw new SelectionException("materialised buffer of " + buffer.capacity() + " bytes cannot hold "
          + Arrays.toString(shape) + " " + type + " at byte " + byteOffset);
    }
    buffer.getReferenceManager().retain();
    try {
      return export(buffer.memoryAddress() + byteOffset, type, shape, StridedCopy.compactStrides(shape), Device.HOST,
          true, () -> buffer.getReferenceManager().release(), options);
    } catch (RuntimeException e) {
      buffer.getReferenceManager().release();
      throw e;
    }
  }

  /**
   * The general export: any address on any device (CUDA device pointers included). The memory
   * must stay valid until {@code keepAlive} is closed, which happens exactly once, when the
   * consumer calls the deleter or the unconsumed handle is closed.
   *
   * @param dataAddress address of element [0,...,0] (written as {@code data}; byte_offset is 0)
   * @param strides element strides, never null
   * @param copied whether this export owns a private copy ({@code IS_COPIED})
   * @param keepAlive closed when the export is deleted; may be null
   */
  public static ManagedTensor export(long dataAddress, PixelType type, long[] shape, long[] strides, Device device,
      boolean copied, AutoCloseable keepAlive, ExportOptions options) {
    checkShape(shape);
    checkStrides(shape, strides);
    if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
      throw new UnsupportedOperationException("DLPack export needs a little-endian platform (Arrow data is little-endian)");
    }
    int ndim = shape.length;
    boolean versioned = options.versioned();
    long structSize = DlpackAbi.managedSize(versioned);
    MemorySegment h = NativeHeap.malloc(structSize + 16L * ndim);
    long id = IDS.incrementAndGet();
    long shapeAt = h.address() + structSize;
    long stridesAt = shapeAt + 8L * ndim;
    for (int i = 0; i < ndim; i++) {
      h.set(JAVA_LONG, structSize + 8L * i, shape[i]);
      h.set(JAVA_LONG, structSize + 8L * (ndim + i), strides[i]);
    }
    long flags = 0;
    long t = DlpackAbi.tensorOffset(versioned);
    if (versioned) {
      flags = (options.readOnly() ? DlpackAbi.FLAG_READ_ONLY : 0) | (copied ? DlpackAbi.FLAG_IS_COPIED : 0);
      h.set(JAVA_INT, DlpackAbi.V_MAJOR, DlpackAbi.MAJOR_VERSION);
      h.set(JAVA_INT, DlpackAbi.V_MINOR, DlpackAbi.MINOR_VERSION);
      h.set(JAVA_LONG, DlpackAbi.V_FLAGS, flags);
    }
    h.set(JAVA_LONG, DlpackAbi.contextOffset(versioned), id);
    h.set(ADDRESS, DlpackAbi.deleterOffset(versioned), DlpackDeleter.stub());
    h.set(JAVA_LONG, t + DlpackAbi.T_DATA, dataAddress);
    h.set(JAVA_INT, t + DlpackAbi.T_DEVICE_TYPE, device.type());
    h.set(JAVA_INT, t + DlpackAbi.T_DEVICE_ID, device.id());
    h.set(JAVA_INT, t + DlpackAbi.T_NDIM, ndim);
    h.set(JAVA_BYTE, t + DlpackAbi.T_CODE, (byte) type.dlpackCode());
    h.set(JAVA_BYTE, t + DlpackAbi.T_BITS, (byte) type.bits());
    h.set(JAVA_SHORT, t + DlpackAbi.T_LANES, (short) 1);
    h.set(JAVA_LONG, t + DlpackAbi.T_SHAPE, ndim == 0 ? 0 : shapeAt);
    h.set(JAVA_LONG, t + DlpackAbi.T_STRIDES, ndim == 0 ? 0 : stridesAt);
    h.set(JAVA_LONG, t + DlpackAbi.T_BYTE_OFFSET, 0L);
    ExportRecord record = new ExportRecord(id, h, keepAlive);
    DlpackDeleter.register(record);
    return new ManagedTensor(record, versioned, flags, type, shape.clone(), strides.clone(), device, dataAddress);
  }

  private static long checkShape(long[] shape) {
    if (shape == null) {
      throw new SelectionException("shape must not be null");
    }
    for (long d : shape) {
      if (d < 0) {
        throw new SelectionException("shape " + Arrays.toString(shape) + " has a negative dimension");
      }
    }
    return StridedCopy.elementCount(shape);
  }

  private static void checkStrides(long[] shape, long[] strides) {
    if (strides == null || strides.length != shape.length) {
      throw new SelectionException("strides " + Arrays.toString(strides) + " do not match shape " + Arrays.toString(shape)
          + "; DLPack exports always carry one stride per dimension");
    }
  }
}
