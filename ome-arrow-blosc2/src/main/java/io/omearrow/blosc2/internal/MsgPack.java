package io.omearrow.blosc2.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small msgpack reader (to plain Java values: null, Boolean, Long, BigInteger-free longs,
 * Double, String, byte[], List, LinkedHashMap) and writer for the values Blosc2 stores: vlmeta
 * documents and metalayers. Nesting depth and declared lengths are checked against the input,
 * so corrupt documents end in an {@link IllegalStateException}, not in a large allocation.
 */
public final class MsgPack {
  private static final int MAX_DEPTH = 64;
  private final byte[] buf;
  private int pos;
  private final int end;

  private MsgPack(byte[] buf, int off, int len) {
    this.buf = buf;
    this.pos = off;
    this.end = off + len;
  }

  /** Decodes one msgpack value that must span the whole input. */
  public static Object decode(byte[] data) {
    MsgPack m = new MsgPack(data, 0, data.length);
    Object v = m.value(0);
    if (m.pos != m.end) {
      throw new IllegalStateException("msgpack: " + (m.end - m.pos) + " trailing bytes after the value");
    }
    return v;
  }

  private int u8() {
    if (pos >= end) {
      throw new IllegalStateException("msgpack: unexpected end of data at byte " + pos);
    }
    return buf[pos++] & 0xFF;
  }

  private long be(int n) {
    long v = 0;
    for (int i = 0; i < n; i++) {
      v = (v << 8) | u8();
    }
    return v;
  }

  private int length(long n, int minBytesEach) {
    if (n < 0 || n > (long) (end - pos) / minBytesEach) {
      throw new IllegalStateException("msgpack: declared length " + n + " exceeds the " + (end - pos)
          + " bytes left at byte " + pos);
    }
    return (int) n;
  }

  private byte[] bytes(int n) {
    if (n > end - pos) {
      throw new IllegalStateException("msgpack: " + n + " bytes declared, " + (end - pos) + " left at byte " + pos);
    }
    byte[] b = new byte[n];
    System.arraycopy(buf, pos, b, 0, n);
    pos += n;
    return b;
  }

  private Object value(int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalStateException("msgpack: nesting deeper than " + MAX_DEPTH);
    }
    int b = u8();
    if (b <= 0x7F) {
      return (long) b;
    }
    if (b >= 0xE0) {
      return (long) (byte) b;
    }
    if ((b & 0xF0) == 0x80) {
      return map(b & 0x0F, depth);
    }
    if ((b & 0xF0) == 0x90) {
      return array(b & 0x0F, depth);
    }
    if ((b & 0xE0) == 0xA0) {
      return new String(bytes(b & 0x1F), StandardCharsets.UTF_8);
    }
    return switch (b) {
      case 0xC0 -> null;
      case 0xC2 -> Boolean.FALSE;
      case 0xC3 -> Boolean.TRUE;
      case 0xC4 -> bytes(length(be(1), 1));
      case 0xC5 -> bytes(length(be(2), 1));
      case 0xC6 -> bytes(length(be(4), 1));
      case 0xCA -> (double) Float.intBitsToFloat((int) be(4));
      case 0xCB -> Double.longBitsToDouble(be(8));
      case 0xCC -> be(1);
      case 0xCD -> be(2);
      case 0xCE -> be(4);
      case 0xCF -> be(8); // uint64 above Long.MAX_VALUE wraps; Blosc2 never writes such values
      case 0xD0 -> (long) (byte) be(1);
      case 0xD1 -> (long) (short) be(2);
      case 0xD2 -> (long) (int) be(4);
      case 0xD3 -> be(8);
      case 0xD9 -> new String(bytes(length(be(1), 1)), StandardCharsets.UTF_8);
      case 0xDA -> new String(bytes(length(be(2), 1)), StandardCharsets.UTF_8);
      case 0xDB -> new String(bytes(length(be(4), 1)), StandardCharsets.UTF_8);
      case 0xDC -> array(length(be(2), 1), depth);
      case 0xDD -> array(length(be(4), 1), depth);
      case 0xDE -> map(length(be(2), 2), depth);
      case 0xDF -> map(length(be(4), 2), depth);
      case 0xD4, 0xD5, 0xD6, 0xD7, 0xD8 -> {
        int n = 1 << (b - 0xD4);
        u8();
        yield bytes(n);
      }
      case 0xC7, 0xC8, 0xC9 -> {
        int n = length(be(1 << (b - 0xC7)), 1);
        u8();
        yield bytes(n);
      }
      default -> throw new IllegalStateException("msgpack: invalid type byte 0x" + Integer.toHexString(b)
          + " at byte " + (pos - 1));
    };
  }

  private List<Object> array(int n, int depth) {
    length(n, 1);
    List<Object> l = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      l.add(value(depth + 1));
    }
    return l;
  }

  private Map<Object, Object> map(int n, int depth) {
    length(n, 2);
    Map<Object, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      Object k = value(depth + 1);
      m.put(k instanceof List<?> l ? List.copyOf(l) : k, value(depth + 1));
    }
    return m;
  }

  /** Encodes a value tree (null, Boolean, Number, String, byte[], List, Object[], Map). */
  public static byte[] encode(Object v) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(out, v);
    return out.toByteArray();
  }

  private static void write(ByteArrayOutputStream out, Object v) {
    switch (v) {
      case null -> out.write(0xC0);
      case Boolean b -> out.write(b ? 0xC3 : 0xC2);
      case Double d -> {
        out.write(0xCB);
        be(out, Double.doubleToLongBits(d), 8);
      }
      case Float f -> {
        out.write(0xCB);
        be(out, Double.doubleToLongBits(f), 8);
      }
      case Number n -> writeLong(out, n.longValue());
      case String s -> {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length < 32) {
          out.write(0xA0 | b.length);
        } else if (b.length < 256) {
          out.write(0xD9);
          out.write(b.length);
        } else if (b.length < 65536) {
          out.write(0xDA);
          be(out, b.length, 2);
        } else {
          out.write(0xDB);
          be(out, b.length, 4);
        }
        out.writeBytes(b);
      }
      case byte[] b -> {
        writeBinHeader(out, b.length);
        out.writeBytes(b);
      }
      case Object[] a -> write(out, List.of(a));
      case List<?> l -> {
        if (l.size() < 16) {
          out.write(0x90 | l.size());
        } else if (l.size() < 65536) {
          out.write(0xDC);
          be(out, l.size(), 2);
        } else {
          out.write(0xDD);
          be(out, l.size(), 4);
        }
        for (Object o : l) {
          write(out, o);
        }
      }
      case Map<?, ?> m -> {
        if (m.size() < 16) {
          out.write(0x80 | m.size());
        } else if (m.size() < 65536) {
          out.write(0xDE);
          be(out, m.size(), 2);
        } else {
          out.write(0xDF);
          be(out, m.size(), 4);
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
          write(out, e.getKey());
          write(out, e.getValue());
        }
      }
      default -> throw new IllegalArgumentException("cannot msgpack-encode a " + v.getClass().getName());
    }
  }

  /** Writes a msgpack bin header (bin8/16/32 by size). */
  public static void writeBinHeader(ByteArrayOutputStream out, int n) {
    if (n < 256) {
      out.write(0xC4);
      out.write(n);
    } else if (n < 65536) {
      out.write(0xC5);
      be(out, n, 2);
    } else {
      out.write(0xC6);
      be(out, n, 4);
    }
  }

  private static void writeLong(ByteArrayOutputStream out, long v) {
    if (v >= 0 && v <= 0x7F) {
      out.write((int) v);
    } else if (v < 0 && v >= -32) {
      out.write((int) v & 0xFF);
    } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
      out.write(0xD2);
      be(out, v, 4);
    } else {
      out.write(0xD3);
      be(out, v, 8);
    }
  }

  private static void be(ByteArrayOutputStream out, long v, int n) {
    for (int i = n - 1; i >= 0; i--) {
      out.write((int) (v >>> (8 * i)));
    }
  }
}
