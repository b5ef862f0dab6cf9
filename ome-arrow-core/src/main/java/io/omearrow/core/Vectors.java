package io.omearrow.core;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BaseLargeVariableWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FloatingPointVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.complex.LargeListVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;

/**
 * Typed access to the Arrow vectors of an OME-Arrow struct that tolerates the width variations
 * other writers produce (int16 vs int32 sizes, utf8 vs large_utf8, list vs large_list), and bulk
 * appends of pixel runs. Each getter names the field in its error when the type is wrong.
 */
public final class Vectors {
  private Vectors() {}

  /** The child of a struct, or null when absent. */
  public static FieldVector child(StructVector s, String name) {
    return (FieldVector) s.getChild(name);
  }

  /** The child, which must exist. */
  public static FieldVector required(StructVector s, String name, String where) {
    FieldVector v = child(s, name);
    if (v == null) {
      throw new FormatException(where + ": field '" + name + "' is missing");
    }
    return v;
  }

  /** A string value (utf8, large_utf8 or binary), or null. */
  public static String string(ValueVector v, int i, String where) {
    if (v == null || v.isNull(i)) {
      return null;
    }
    if (v instanceof BaseVariableWidthVector b) {
      return new String(b.get(i), StandardCharsets.UTF_8);
    }
    if (v instanceof BaseLargeVariableWidthVector b) {
      return new String(b.get(i), StandardCharsets.UTF_8);
    }
    throw new FormatException(where + ": field '" + v.getName() + "' should be a string, got " + v.getField().getType());
  }

  /** An integer value, or {@code dflt} when null/absent. */
  public static long integer(ValueVector v, int i, long dflt, String where) {
    if (v == null || v.isNull(i)) {
      return dflt;
    }
    if (v instanceof BaseIntVector b) {
      return b.getValueAsLong(i);
    }
    throw new FormatException(where + ": field '" + v.getName() + "' should be an integer, got " + v.getField().getType());
  }

  /** An int value that must fit in 32 bits. */
  public static int int32(ValueVector v, int i, int dflt, String where) {
    long x = integer(v, i, dflt, where);
    if (x < Integer.MIN_VALUE || x > Integer.MAX_VALUE) {
      throw new FormatException(where + ": field '" + v.getName() + "' value " + x + " does not fit in 32 bits");
    }
    return (int) x;
  }

  /** A floating value (any float or integer type), or NaN when null/absent. */
  public static double real(ValueVector v, int i, String where) {
    if (v == null || v.isNull(i)) {
      return Double.NaN;
    }
    if (v instanceof FloatingPointVector f) {
      return f.getValueAsDouble(i);
    }
    if (v instanceof BaseIntVector b) {
      return b.getValueAsLong(i);
    }
    throw new FormatException(where + ": field '" + v.getName() + "' should be a number, got " + v.getField().getType());
  }

  /** A timestamp value in microseconds since the epoch, or null. */
  public static Long timestampMicros(ValueVector v, int i, String where) {
    if (v == null || v.isNull(i)) {
      return null;
    }
    if (v instanceof TimeStampVector ts) {
      long raw = ts.get(i);
      var type = (org.apache.arrow.vector.types.pojo.ArrowType.Timestamp) ts.getField().getType();
      return switch (type.getUnit()) {
        case SECOND -> raw * 1_000_000L;
        case MILLISECOND -> raw * 1_000L;
        case MICROSECOND -> raw;
        case NANOSECOND -> raw / 1_000L;
      };
    }
    throw new FormatException(where + ": field '" + v.getName() + "' should be a timestamp, got " + v.getField().getType());
  }

  /** Start (inclusive) of list element i of a list or large list. */
  public static long listStart(ValueVector list, int i) {
    if (list instanceof ListVector l) {
      return l.getOffsetBuffer().getInt((long) i * 4);
    }
    return ((LargeListVector) list).getOffsetBuffer().getLong((long) i * 8);
  }

  /** End (exclusive) of list element i. */
  public static long listEnd(ValueVector list, int i) {
    if (list instanceof ListVector l) {
      return l.getOffsetBuffer().getInt((long) (i + 1) * 4);
    }
    return ((LargeListVector) list).getOffsetBuffer().getLong((long) (i + 1) * 8);
  }

  /** The values vector of a list or large list. */
  public static FieldVector listData(ValueVector list, String where) {
    if (list instanceof ListVector l) {
      return l.getDataVector();
    }
    if (list instanceof LargeListVector l) {
      return l.getDataVector();
    }
    throw new FormatException(where + ": field '" + list.getName() + "' should be a list, got " + list.getField().getType());
  }

  /** True for list and large-list vectors. */
  public static boolean isList(ValueVector v) {
    return v instanceof ListVector || v instanceof LargeListVector;
  }

  /** Start offset and length (bytes) of a binary value, as {start, length}. */
  public static long[] binarySpan(ValueVector v, int i, String where) {
    if (v instanceof BaseLargeVariableWidthVector b) {
      long s = b.getOffsetBuffer().getLong((long) i * 8);
      long e = b.getOffsetBuffer().getLong((long) (i + 1) * 8);
      return new long[] {s, e - s};
    }
    if (v instanceof BaseVariableWidthVector b) {
      long s = b.getOffsetBuffer().getInt((long) i * 4);
      long e = b.getOffsetBuffer().getInt((long) (i + 1) * 4);
      return new long[] {s, e - s};
    }
    throw new FormatException(where + ": field '" + v.getName() + "' should be binary, got " + v.getField().getType());
  }

  /** The data buffer of a variable-width vector. */
  public static ArrowBuf binaryData(ValueVector v) {
    if (v instanceof BaseLargeVariableWidthVector b) {
      return b.getDataBuffer();
    }
    return ((BaseVariableWidthVector) v).getDataBuffer();
  }

  /**
   * Appends {@code src} (whole elements of the vector's width) at element {@code index} of a
   * fixed-width vector, growing it as needed and marking the run valid. The caller sets the
   * value count when done.
   */
  public static void appendRun(BaseFixedWidthVector v, long index, MemorySegment src) {
    int width = v.getTypeWidth();
    long count = src.byteSize() / width;
    while (v.getValueCapacity() < index + count) {
      v.reAlloc();
    }
    MemorySegment dst = MemorySegment.ofAddress(v.getDataBuffer().memoryAddress()).reinterpret(v.getDataBuffer().capacity());
    MemorySegment.copy(src, 0, dst, index * width, count * width);
    setValid(v.getValidityBuffer(), index, index + count);
  }

  /** Sets validity bits [from, to) in bulk. */
  public static void setValid(ArrowBuf validity, long from, long to) {
    long i = from;
    while (i < to && (i & 7) != 0) {
      setBit(validity, i++);
    }
    long fullBytes = (to - i) >>> 3;
    if (fullBytes > 0) {
      validity.setOne(i >>> 3, fullBytes);
      i += fullBytes << 3;
    }
    while (i < to) {
      setBit(validity, i++);
    }
  }

  private static void setBit(ArrowBuf validity, long i) {
    long byteIndex = i >>> 3;
    byte b = validity.getByte(byteIndex);
    validity.setByte(byteIndex, b | (1 << (i & 7)));
  }
}
