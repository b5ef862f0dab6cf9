package io.omearrow.core;

import java.util.Locale;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * The element type of pixel data. Each constant carries its NumPy name (the spelling
 * {@code pixels_meta.type} uses), its size, its Arrow type and its DLPack type code, so one value
 * is enough to talk to Arrow, NumPy files and DLPack consumers.
 */
public enum PixelType {
  UINT8("uint8", 1, false, false),
  INT8("int8", 1, true, false),
  UINT16("uint16", 2, false, false),
  INT16("int16", 2, true, false),
  UINT32("uint32", 4, false, false),
  INT32("int32", 4, true, false),
  UINT64("uint64", 8, false, false),
  INT64("int64", 8, true, false),
  FLOAT32("float32", 4, true, true),
  FLOAT64("float64", 8, true, true);

  /** DLPack {@code DLDataTypeCode} values. */
  public static final int DL_INT = 0;
  public static final int DL_UINT = 1;
  public static final int DL_FLOAT = 2;

  private final String numpyName;
  private final int byteSize;
  private final boolean signed;
  private final boolean floating;

  PixelType(String numpyName, int byteSize, boolean signed, boolean floating) {
    this.numpyName = numpyName;
    this.byteSize = byteSize;
    this.signed = signed;
    this.floating = floating;
  }

  /** NumPy dtype name, e.g. {@code "uint16"}. */
  public String numpyName() {
    return numpyName;
  }

  /** Bytes per element. */
  public int byteSize() {
    return byteSize;
  }

  /** Bits per element. */
  public int bits() {
    return byteSize * 8;
  }

  public boolean isSigned() {
    return signed;
  }

  public boolean isFloating() {
    return floating;
  }

  /** The NumPy array-protocol type string in little-endian order, e.g. {@code "<u2"}, {@code "|u1"}. */
  public String numpyDescr() {
    char kind = floating ? 'f' : signed ? 'i' : 'u';
    return (byteSize == 1 ? "|" : "<") + kind + byteSize;
  }

  /** DLPack type code ({@link #DL_INT}, {@link #DL_UINT} or {@link #DL_FLOAT}). */
  public int dlpackCode() {
    return floating ? DL_FLOAT : signed ? DL_INT : DL_UINT;
  }

  /** The Arrow type of one element. */
  public ArrowType arrowType() {
    if (floating) {
      return new ArrowType.FloatingPoint(byteSize == 4 ? FloatingPointPrecision.SINGLE : FloatingPointPrecision.DOUBLE);
    }
    return new ArrowType.Int(bits(), signed);
  }

  /** Smallest representable value as a double (integer types only meaningful). */
  public double minValue() {
    if (floating) {
      return byteSize == 4 ? -Float.MAX_VALUE : -Double.MAX_VALUE;
    }
    return signed ? -Math.pow(2, bits() - 1) : 0;
  }

  /** Largest representable value as a double. */
  public double maxValue() {
    if (floating) {
      return byteSize == 4 ? Float.MAX_VALUE : Double.MAX_VALUE;
    }
    return signed ? Math.pow(2, bits() - 1) - 1 : Math.pow(2, bits()) - 1;
  }

  /**
   * Parses a dtype name as {@code pixels_meta.type} holds it: NumPy names ({@code "uint16"}),
   * the legacy names {@code "float"} (float32) and {@code "double"} (float64) that early Python
   * versions wrote, and NumPy type strings such as {@code "<u2"}.
   *
   * @throws FormatException for an unknown name
   */
  public static PixelType fromName(String name) {
    if (name == null) {
      throw new FormatException("pixel type is null; expected one of " + names());
    }
    String n = name.strip().toLowerCase(Locale.ROOT);
    switch (n) {
      case "float", "single", "f4", "<f4", "float32" -> {
        return FLOAT32;
      }
      case "double", "f8", "<f8", "float64" -> {
        return FLOAT64;
      }
      default -> { }
    }
    for (PixelType t : values()) {
      if (t.numpyName.equals(n) || t.numpyDescr().equals(n) || t.numpyDescr().substring(1).equals(n)) {
        return t;
      }
    }
    throw new FormatException("unsupported pixel type '" + name + "'; expected one of " + names());
  }

  /** The Arrow type's matching pixel type. */
  public static PixelType fromArrow(ArrowType type) {
    if (type instanceof ArrowType.Int i) {
      for (PixelType t : values()) {
        if (!t.floating && t.bits() == i.getBitWidth() && t.signed == i.getIsSigned()) {
          return t;
        }
      }
    } else if (type instanceof ArrowType.FloatingPoint f) {
      if (f.getPrecision() == FloatingPointPrecision.SINGLE) {
        return FLOAT32;
      }
      if (f.getPrecision() == FloatingPointPrecision.DOUBLE) {
        return FLOAT64;
      }
    }
    throw new FormatException("unsupported Arrow pixel value type " + type + "; expected an integer or float32/float64 type");
  }

  /** Comma-separated NumPy names, for error messages. */
  public static String names() {
    StringBuilder sb = new StringBuilder();
    for (PixelType t : values()) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(t.numpyName);
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return numpyName;
  }
}
