package io.omearrow.blosc2;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The geometry and element type of a b2nd array: shape, chunk shape, block shape (C order) and
 * NumPy dtype string, plus the derived extended chunk shape and byte sizes. Immutable; arrays
 * passed in and returned are copies. Encodes and decodes the {@code "b2nd"} metalayer.
 */
public final class B2ndMeta {
  /** Most dimensions a b2nd array may have. */
  public static final int MAX_DIM = 16;

  private final long[] shape;
  private final int[] chunks;
  private final int[] blocks;
  private final String dtype;
  private final int itemsize;
  private final int[] extChunks;

  private B2ndMeta(long[] shape, int[] chunks, int[] blocks, String dtype, int itemsize) {
    this.shape = shape;
    this.chunks = chunks;
    this.blocks = blocks;
    this.dtype = dtype;
    this.itemsize = itemsize;
    this.extChunks = new int[shape.length];
    for (int d = 0; d < shape.length; d++) {
      extChunks[d] = (int) ceilDiv(chunks[d], blocks[d]) * blocks[d];
    }
  }

  /**
   * Validated geometry.
   *
   * @param itemsize element bytes; 0 derives it from {@code dtype}
   * @throws Blosc2Exception for absurd shapes (negative, zero chunk or block sizes, blocks larger
   *     than chunks, more than {@link #MAX_DIM} axes, chunks over 2 GiB)
   */
  public static B2ndMeta of(long[] shape, int[] chunks, int[] blocks, String dtype, int itemsize) {
    Objects.requireNonNull(dtype, "dtype");
    int nd = shape.length;
    if (nd > MAX_DIM || chunks.length != nd || blocks.length != nd) {
      throw new Blosc2Exception("b2nd: shape, chunks and blocks need the same rank (at most " + MAX_DIM + "), got "
          + Arrays.toString(shape) + ", " + Arrays.toString(chunks) + ", " + Arrays.toString(blocks));
    }
    int size = itemsize > 0 ? itemsize : itemsizeOf(dtype);
    if (size <= 0) {
      throw new Blosc2Exception("b2nd: cannot tell the item size of dtype '" + dtype + "'; pass it explicitly");
    }
    long chunkElems = 1;
    for (int d = 0; d < nd; d++) {
      if (shape[d] < 0 || chunks[d] < 1 || blocks[d] < 1 || blocks[d] > chunks[d]) {
        throw new Blosc2Exception("b2nd: invalid geometry on axis " + d + ": shape " + Arrays.toString(shape)
            + ", chunks " + Arrays.toString(chunks) + ", blocks " + Arrays.toString(blocks)
            + " (need shape >= 0 and 1 <= block <= chunk)");
      }
      chunkElems = Math.multiplyHigh(chunkElems, ceilDiv(chunks[d], blocks[d]) * blocks[d]) != 0
          ? Long.MAX_VALUE : chunkElems * (ceilDiv(chunks[d], blocks[d]) * blocks[d]);
      if (chunkElems > ChunkHeader.MAX_NBYTES) {
        break;
      }
    }
    if (chunkElems * size > ChunkHeader.MAX_NBYTES || chunkElems > ChunkHeader.MAX_NBYTES) {
      throw new Blosc2Exception("b2nd: chunks of " + Arrays.toString(chunks) + " x " + size
          + " bytes exceed the 2 GiB chunk limit; choose smaller chunks");
    }
    long total = size;
    for (long s : shape) {
      if (s != 0 && total > Long.MAX_VALUE / s) {
        throw new Blosc2Exception("b2nd: shape " + Arrays.toString(shape) + " x " + size
            + " bytes overflows a 64-bit size (absurd shape)");
      }
      total *= s;
    }
    return new B2ndMeta(shape.clone(), chunks.clone(), blocks.clone(), dtype, size);
  }

  /** Geometry with the item size taken from the dtype string. */
  public static B2ndMeta of(long[] shape, int[] chunks, int[] blocks, String dtype) {
    return of(shape, chunks, blocks, dtype, 0);
  }

  /**
   * The item size of a NumPy dtype string such as {@code <u2}, {@code |b1}, {@code <U3} (4 bytes per
   * character), {@code <M8[ns]}; -1 when it cannot be told (structured dtypes).
   */
  public static int itemsizeOf(String dtype) {
    if (dtype.length() < 3 || "<>|=".indexOf(dtype.charAt(0)) < 0) {
      return -1;
    }
    char kind = dtype.charAt(1);
    int i = 2;
    while (i < dtype.length() && Character.isDigit(dtype.charAt(i))) {
      i++;
    }
    if (i == 2 || i - 2 > 9) {
      return -1;
    }
    int n = Integer.parseInt(dtype.substring(2, i));
    return switch (kind) {
      case 'U' -> n * 4;
      case 'b', 'i', 'u', 'f', 'c', 'S', 'V', 'M', 'm', 'a' -> n;
      default -> -1;
    };
  }

  static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  /** Number of dimensions. */
  public int ndim() {
    return shape.length;
  }

  /** The array shape. */
  public long[] shape() {
    return shape.clone();
  }

  /** Size of axis {@code d}. */
  public long shape(int d) {
    return shape[d];
  }

  /** The chunk shape. */
  public int[] chunks() {
    return chunks.clone();
  }

  /** The block shape. */
  public int[] blocks() {
    return blocks.clone();
  }

  /** The chunk shape rounded up to whole blocks (the layout of a chunk buffer). */
  public int[] extChunks() {
    return extChunks.clone();
  }

  /** The NumPy dtype string. */
  public String dtype() {
    return dtype;
  }

  /** Bytes per element. */
  public int itemsize() {
    return itemsize;
  }

  /** Whether the dtype stores big-endian values. */
  public boolean bigEndian() {
    return dtype.startsWith(">");
  }

  /** Number of elements. */
  public long elements() {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    return n;
  }

  /** Chunks along axis {@code d}. */
  public long chunksAlong(int d) {
    return ceilDiv(shape[d], chunks[d]);
  }

  /** Total number of chunks (1 for zero-dimensional arrays, 0 when an axis is empty). */
  public long nchunks() {
    long n = 1;
    for (int d = 0; d < shape.length; d++) {
      n *= chunksAlong(d);
    }
    return n;
  }

  /** Bytes of one (extended) chunk buffer. */
  public int chunkBytes() {
    long n = itemsize;
    for (int e : extChunks) {
      n *= e;
    }
    return (int) n;
  }

  /** Bytes of one block. */
  public int blockBytes() {
    long n = itemsize;
    for (int b : blocks) {
      n *= b;
    }
    return (int) n;
  }

  /** Encodes the {@code "b2nd"} metalayer (version 0, NumPy dtype format). */
  public byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int nd = shape.length;
    out.write(0x97);
    out.write(0);
    out.write(nd);
    out.write(0x90 | nd);
    for (long s : shape) {
      out.write(0xD3);
      be(out, s, 8);
    }
    out.write(0x90 | nd);
    for (int c : chunks) {
      out.write(0xD2);
      be(out, c, 4);
    }
    out.write(0x90 | nd);
    for (int b : blocks) {
      out.write(0xD2);
      be(out, b, 4);
    }
    out.write(0);
    byte[] dt = dtype.getBytes(StandardCharsets.UTF_8);
    out.write(0xDB);
    be(out, dt.length, 4);
    out.writeBytes(dt);
    return out.toByteArray();
  }

  private static void be(ByteArrayOutputStream out, long v, int n) {
    for (int i = n - 1; i >= 0; i--) {
      out.write((int) (v >>> (8 * i)));
    }
  }

  /** Decodes a {@code "b2nd"} metalayer; {@code typesize} is the frame's item size. */
  public static B2ndMeta decode(byte[] m, int typesize, String where) {
    MemorySegment s = MemorySegment.ofArray(m);
    try {
      int p = 0;
      if ((m[p++] & 0xFF) != 0x97) {
        throw new Blosc2Exception(where + ": b2nd metalayer does not start with a 7-element array");
      }
      int version = m[p++];
      if (version != 0) {
        throw new Blosc2Exception(where + ": b2nd metalayer version " + version + " is not supported (only 0)");
      }
      int nd = m[p++];
      if (nd < 0 || nd > MAX_DIM) {
        throw new Blosc2Exception(where + ": b2nd metalayer declares " + nd + " dimensions (at most " + MAX_DIM + ")");
      }
      long[] shape = new long[nd];
      int[] chunks = new int[nd];
      int[] blocks = new int[nd];
      p = expectArray(m, p, nd, where, "shape");
      for (int d = 0; d < nd; d++) {
        shape[d] = intValue(s, m, p, where);
        p += width(m[p]);
      }
      p = expectArray(m, p, nd, where, "chunkshape");
      for (int d = 0; d < nd; d++) {
        long v = intValue(s, m, p, where);
        chunks[d] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
        p += width(m[p]);
      }
      p = expectArray(m, p, nd, where, "blockshape");
      for (int d = 0; d < nd; d++) {
        long v = intValue(s, m, p, where);
        blocks[d] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
        p += width(m[p]);
      }
      int format = m[p++];
      if (format != 0) {
        throw new Blosc2Exception(where + ": b2nd dtype format " + format + " is not supported (only 0, NumPy)");
      }
      int mk = m[p++] & 0xFF;
      int len;
      if ((mk & 0xE0) == 0xA0) {
        len = mk & 0x1F;
      } else if (mk == 0xD9) {
        len = m[p++] & 0xFF;
      } else if (mk == 0xDA) {
        len = s.get(Frame.BE_SHORT, p) & 0xFFFF;
        p += 2;
      } else if (mk == 0xDB) {
        len = s.get(Frame.BE_INT, p);
        p += 4;
      } else {
        throw new Blosc2Exception(where + ": b2nd metalayer has no dtype string");
      }
      if (len < 0 || len > m.length - p) {
        throw new Blosc2Exception(where + ": b2nd dtype string length " + len + " runs past the metalayer");
      }
      String dtype = new String(m, p, len, StandardCharsets.UTF_8);
      return of(shape, chunks, blocks, dtype, typesize);
    } catch (IndexOutOfBoundsException e) {
      throw new Blosc2Exception(where + ": b2nd metalayer is truncated", e);
    }
  }

  private static int expectArray(byte[] m, int p, int nd, String where, String what) {
    if ((m[p] & 0xFF) != (0x90 | nd)) {
      throw new Blosc2Exception(where + ": b2nd " + what + " is not an array of " + nd + " values");
    }
    return p + 1;
  }

  private static int width(byte marker) {
    return switch (marker & 0xFF) {
      case 0xD3, 0xCF -> 9;
      case 0xD2, 0xCE -> 5;
      case 0xD1, 0xCD -> 3;
      case 0xD0, 0xCC -> 2;
      default -> 1;
    };
  }

  private static long intValue(MemorySegment s, byte[] m, int p, String where) {
    int mk = m[p] & 0xFF;
    return switch (mk) {
      case 0xD3, 0xCF -> s.get(Frame.BE_LONG, p + 1);
      case 0xD2 -> s.get(Frame.BE_INT, p + 1);
      case 0xCE -> Integer.toUnsignedLong(s.get(Frame.BE_INT, p + 1));
      case 0xD1 -> s.get(Frame.BE_SHORT, p + 1);
      case 0xCD -> s.get(Frame.BE_SHORT, p + 1) & 0xFFFF;
      case 0xD0 -> m[p + 1];
      case 0xCC -> m[p + 1] & 0xFF;
      default -> {
        if (mk <= 0x7F) {
          yield mk;
        }
        if (mk >= 0xE0) {
          yield (byte) mk;
        }
        throw new Blosc2Exception(where + ": b2nd metalayer has a non-integer where a size belongs (byte " + p + ")");
      }
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof B2ndMeta b && Arrays.equals(shape, b.shape) && Arrays.equals(chunks, b.chunks)
        && Arrays.equals(blocks, b.blocks) && dtype.equals(b.dtype) && itemsize == b.itemsize;
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(shape), Arrays.hashCode(chunks), Arrays.hashCode(blocks), dtype, itemsize);
  }

  @Override
  public String toString() {
    return "B2ndMeta[shape=" + Arrays.toString(shape) + ", chunks=" + Arrays.toString(chunks) + ", blocks="
        + Arrays.toString(blocks) + ", dtype=" + dtype + "]";
  }

}
