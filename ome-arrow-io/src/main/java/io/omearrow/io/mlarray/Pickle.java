package io.omearrow.io.mlarray;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A restricted Python pickle reader and a plain-data pickle writer, enough for mlarray metadata.
 *
 * <p>Reading executes nothing: it interprets the opcodes of protocols 2-5 that build dicts,
 * lists, tuples, strings, bytes, numbers, booleans and None, and accepts exactly these globals:
 * {@code mlarray.meta._FrozenList} / {@code _FrozenDict} (rebuilt as a list / map),
 * {@code numpy.dtype} and {@code numpy._core.multiarray.scalar} (or {@code numpy.core...}),
 * which become the numpy scalar's value as a Java number or boolean. Any other global is refused
 * with an {@link MlArrayException}. Results: {@code null}, {@link Boolean}, {@link Long} (or
 * {@link BigInteger}), {@link Double}, {@link String}, {@code byte[]}, {@link List} (tuples
 * too), {@link LinkedHashMap}.
 *
 * <p>Writing emits protocol 2 of plain values only (maps with string keys, lists, strings,
 * numbers, booleans, null), which Python loads without importing anything.
 */
public final class Pickle {
  private static final int MAX_DEPTH_OPS = 1 << 20;

  private Pickle() {}

  /** A global reference on the stack (never called, only recognised by REDUCE). */
  private record Global(String module, String name) {}

  /** A numpy dtype under construction (its byte order arrives through BUILD). */
  private static final class Dtype {
    final String code;
    char order = '<';

    Dtype(String code) {
      this.code = code;
    }
  }

  /**
   * Loads a pickle.
   *
   * @param where names the data in error messages
   * @throws MlArrayException for malformed data or a non-whitelisted global
   */
  public static Object loads(byte[] data, String where) {
    try {
      return new Reader(data, where).run();
    } catch (IndexOutOfBoundsException | ClassCastException | ArithmeticException e) {
      throw new MlArrayException(where + ": malformed pickle (" + e + ")", e);
    }
  }

  private static final class Reader {
    final ByteBuffer in;
    final String where;
    final List<Object> stack = new ArrayList<>();
    final List<Integer> marks = new ArrayList<>();
    final Map<Long, Object> memo = new HashMap<>();

    Reader(byte[] data, String where) {
      this.in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
      this.where = where;
    }

    MlArrayException bad(String what) {
      return new MlArrayException(where + ": " + what + " at pickle byte " + (in.position() - 1));
    }

    Object pop() {
      if (stack.isEmpty()) {
        throw bad("stack underflow");
      }
      return stack.remove(stack.size() - 1);
    }

    Object top() {
      if (stack.isEmpty()) {
        throw bad("stack underflow");
      }
      return stack.get(stack.size() - 1);
    }

    List<Object> popMark() {
      if (marks.isEmpty()) {
        throw bad("MARK expected");
      }
      int m = marks.remove(marks.size() - 1);
      if (m > stack.size()) {
        throw bad("corrupt MARK");
      }
      List<Object> items = new ArrayList<>(stack.subList(m, stack.size()));
      stack.subList(m, stack.size()).clear();
      return items;
    }

    byte[] bytes(long n) {
      if (n < 0 || n > in.remaining()) {
        throw bad("length " + n + " runs past the end of the data");
      }
      byte[] b = new byte[(int) n];
      in.get(b);
      return b;
    }

    String str(long n) {
      return new String(bytes(n), StandardCharsets.UTF_8);
    }

    String line() {
      StringBuilder sb = new StringBuilder();
      while (true) {
        byte b = in.get();
        if (b == '\n') {
          return sb.toString();
        }
        sb.append((char) (b & 0xFF));
        if (sb.length() > 4096) {
          throw bad("text line too long");
        }
      }
    }

    @SuppressWarnings("unchecked")
    Object run() {
      for (int ops = 0; ops < MAX_DEPTH_OPS; ops++) {
        int op = in.get() & 0xFF;
        switch (op) {
          case 0x80 -> {
            int proto = in.get() & 0xFF;
            if (proto > 5) {
              throw bad("unsupported pickle protocol " + proto);
            }
          }
          case 0x95 -> in.getLong(); // FRAME: a length hint only
          case '.' -> {
            Object v = pop();
            return v;
          }
          case '(' -> marks.add(stack.size());
          case '}' -> stack.add(new LinkedHashMap<>());
          case ']' -> stack.add(new ArrayList<>());
          case ')' -> stack.add(List.of());
          case 0x8f -> stack.add(new ArrayList<>()); // EMPTY_SET, read as a list
          case 'N' -> stack.add(null);
          case 0x88 -> stack.add(Boolean.TRUE);
          case 0x89 -> stack.add(Boolean.FALSE);
          case 'K' -> stack.add((long) (in.get() & 0xFF));
          case 'M' -> stack.add((long) (in.getShort() & 0xFFFF));
          case 'J' -> stack.add((long) in.getInt());
          case 0x8a -> stack.add(longN(in.get() & 0xFF));
          case 0x8b -> stack.add(longN(in.getInt()));
          case 'I' -> {
            String s = line();
            stack.add(switch (s) {
              case "00" -> Boolean.FALSE;
              case "01" -> Boolean.TRUE;
              default -> Long.parseLong(s);
            });
          }
          case 'G' -> stack.add(Double.longBitsToDouble(Long.reverseBytes(in.getLong())));
          case 0x8c -> stack.add(str(in.get() & 0xFF));
          case 'X' -> stack.add(str(Integer.toUnsignedLong(in.getInt())));
          case 0x8d -> stack.add(str(in.getLong()));
          case 'C' -> stack.add(bytes(in.get() & 0xFF));
          case 'B' -> stack.add(bytes(Integer.toUnsignedLong(in.getInt())));
          case 0x8e, 0x96 -> stack.add(bytes(in.getLong()));
          case 0x85 -> stack.add(tuple(listOf(pop())));
          case 0x86 -> {
            Object b = pop();
            Object a = pop();
            stack.add(tuple(listOf(a, b)));
          }
          case 0x87 -> {
            Object c = pop();
            Object b = pop();
            Object a = pop();
            stack.add(tuple(listOf(a, b, c)));
          }
          case 't' -> stack.add(tuple(popMark()));
          case 'a' -> {
            Object v = pop();
            asList(top()).add(v);
          }
          case 'e' -> {
            List<Object> items = popMark();
            asList(top()).addAll(items);
          }
          case 0x90 -> {
            List<Object> items = popMark();
            asList(top()).addAll(items);
          }
          case 0x91 -> stack.add(tuple(popMark())); // FROZENSET
          case 's' -> {
            Object v = pop();
            Object k = pop();
            asMap(top()).put(key(k), v);
          }
          case 'u' -> {
            List<Object> items = popMark();
            if (items.size() % 2 != 0) {
              throw bad("SETITEMS with an odd number of items");
            }
            Map<Object, Object> m = asMap(top());
            for (int i = 0; i < items.size(); i += 2) {
              m.put(key(items.get(i)), items.get(i + 1));
            }
          }
          case 0x94 -> memo.put((long) memo.size(), top());
          case 'q' -> memo.put((long) (in.get() & 0xFF), top());
          case 'r' -> memo.put(Integer.toUnsignedLong(in.getInt()), top());
          case 'p' -> memo.put(Long.parseLong(line()), top());
          case 'h' -> stack.add(get(in.get() & 0xFF));
          case 'j' -> stack.add(get(Integer.toUnsignedLong(in.getInt())));
          case 'g' -> stack.add(get(Long.parseLong(line())));
          case '0' -> pop();
          case '1' -> popMark();
          case '2' -> stack.add(top());
          case 'c' -> {
            String module = line();
            String name = line();
            stack.add(global(module, name));
          }
          case 0x93 -> {
            Object name = pop();
            Object module = pop();
            if (!(module instanceof String m) || !(name instanceof String n)) {
              throw bad("STACK_GLOBAL needs two strings");
            }
            stack.add(global(m, n));
          }
          case 'R' -> {
            Object args = pop();
            Object fn = pop();
            stack.add(reduce(fn, args));
          }
          case 'b' -> {
            Object state = pop();
            Object obj = top();
            if (obj instanceof Dtype d && state instanceof List<?> l && l.size() > 1 && l.get(1) instanceof String o
                && !o.isEmpty()) {
              d.order = o.charAt(0);
            } else {
              throw bad("BUILD on a " + (obj == null ? "None" : obj.getClass().getSimpleName())
                  + " is not allowed in mlarray metadata");
            }
          }
          default -> throw bad("pickle opcode 0x" + Integer.toHexString(op) + " ('" + (char) op
              + "') is not allowed in mlarray metadata (it would create or call objects)");
        }
        if (stack.size() > MAX_DEPTH_OPS) {
          throw bad("stack too deep");
        }
      }
      throw bad("pickle does not end");
    }

    List<Object> listOf(Object... a) {
      List<Object> l = new ArrayList<>(a.length);
      Collections.addAll(l, a);
      return l;
    }

    Object get(long idx) {
      if (!memo.containsKey(idx)) {
        throw bad("memo key " + idx + " was never stored");
      }
      return memo.get(idx);
    }

    List<Object> tuple(List<Object> items) {
      return Collections.unmodifiableList(items);
    }

    @SuppressWarnings("unchecked")
    List<Object> asList(Object o) {
      if (o instanceof ArrayList<?> l) {
        return (List<Object>) l;
      }
      throw bad("APPEND to a " + (o == null ? "None" : o.getClass().getSimpleName()));
    }

    @SuppressWarnings("unchecked")
    Map<Object, Object> asMap(Object o) {
      if (o instanceof LinkedHashMap<?, ?> m) {
        return (Map<Object, Object>) m;
      }
      throw bad("SETITEM on a " + (o == null ? "None" : o.getClass().getSimpleName()));
    }

    Object key(Object k) {
      if (k == null || k instanceof String || k instanceof Long || k instanceof Boolean || k instanceof Double
          || k instanceof List<?>) {
        return k;
      }
      throw bad("unsupported dict key type " + k.getClass().getSimpleName());
    }

    Object longN(int n) {
      byte[] le = bytes(n);
      if (n == 0) {
        return 0L;
      }
      byte[] be = new byte[n];
      for (int i = 0; i < n; i++) {
        be[i] = le[n - 1 - i];
      }
      BigInteger v = new BigInteger(be);
      return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    Object global(String module, String name) {
      boolean ok = switch (module + "." + name) {
        case "mlarray.meta._FrozenList", "mlarray.meta._FrozenDict", "numpy.dtype",
            "numpy._core.multiarray.scalar", "numpy.core.multiarray.scalar" -> true;
        default -> false;
      };
      if (!ok) {
        throw new MlArrayException(where + ": the metadata pickle names " + module + "." + name
            + ", which is not on the whitelist (mlarray.meta._FrozenList/_FrozenDict, numpy.dtype, numpy scalar); "
            + "refusing to load it. Nothing was executed. Re-save the file with plain metadata values.");
      }
      return new Global(module, name);
    }

    Object reduce(Object fn, Object args) {
      if (!(fn instanceof Global g) || !(args instanceof List<?> a)) {
        throw bad("REDUCE on something other than a whitelisted global");
      }
      switch (g.name()) {
        case "_FrozenList" -> {
          if (a.size() == 1 && a.get(0) instanceof List<?> l) {
            return new ArrayList<>(l);
          }
          if (a.isEmpty()) {
            return new ArrayList<>();
          }
        }
        case "_FrozenDict" -> {
          if (a.size() == 1 && a.get(0) instanceof Map<?, ?> m) {
            return new LinkedHashMap<>(m);
          }
          if (a.isEmpty()) {
            return new LinkedHashMap<>();
          }
        }
        case "dtype" -> {
          if (!a.isEmpty() && a.get(0) instanceof String code) {
            return new Dtype(code);
          }
        }
        case "scalar" -> {
          if (a.size() == 2 && a.get(0) instanceof Dtype d && a.get(1) instanceof byte[] raw) {
            return scalar(d, raw);
          }
        }
        default -> { }
      }
      throw bad("unexpected arguments for " + g.module() + "." + g.name());
    }

    Object scalar(Dtype d, byte[] raw) {
      ByteBuffer b = ByteBuffer.wrap(raw).order(d.order == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
      String c = d.code;
      try {
        return switch (c) {
          case "f8" -> b.getDouble();
          case "f4" -> (double) b.getFloat();
          case "f2" -> (double) Float.float16ToFloat(b.getShort());
          case "i8" -> b.getLong();
          case "i4" -> (long) b.getInt();
          case "i2" -> (long) b.getShort();
          case "i1" -> (long) b.get();
          case "u8" -> b.getLong() < 0 ? new BigInteger(Long.toUnsignedString(b.getLong(0))) : (Object) b.getLong(0);
          case "u4" -> Integer.toUnsignedLong(b.getInt());
          case "u2" -> (long) (b.getShort() & 0xFFFF);
          case "u1" -> (long) (b.get() & 0xFF);
          case "b1" -> b.get() != 0;
          default -> throw bad("numpy scalar of dtype '" + c + "' is not supported");
        };
      } catch (java.nio.BufferUnderflowException e) {
        throw bad("numpy scalar bytes too short for dtype '" + c + "'");
      }
    }
  }

  /** Pickles plain values (protocol 2). */
  public static byte[] dumps(Object value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x80);
    out.write(2);
    write(out, value, 0);
    out.write('.');
    return out.toByteArray();
  }

  private static void write(ByteArrayOutputStream out, Object v, int depth) {
    if (depth > 200) {
      throw new IllegalArgumentException("metadata nested deeper than 200 levels");
    }
    switch (v) {
      case null -> out.write('N');
      case Boolean b -> out.write(b ? 0x88 : 0x89);
      case Double d -> writeDouble(out, d);
      case Float f -> writeDouble(out, f);
      case BigInteger bi -> writeBig(out, bi);
      case Number n -> writeLong(out, n.longValue());
      case String s -> {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write('X');
        writeIntLe(out, b.length);
        out.writeBytes(b);
      }
      case byte[] b -> {
        // BINBYTES is protocol 3; Python loads it under any protocol header.
        out.write('B');
        writeIntLe(out, b.length);
        out.writeBytes(b);
      }
      case Map<?, ?> m -> {
        out.write('}');
        if (!m.isEmpty()) {
          out.write('(');
          for (Map.Entry<?, ?> e : m.entrySet()) {
            write(out, e.getKey(), depth + 1);
            write(out, e.getValue(), depth + 1);
          }
          out.write('u');
        }
      }
      case List<?> l -> {
        out.write(']');
        if (!l.isEmpty()) {
          out.write('(');
          for (Object o : l) {
            write(out, o, depth + 1);
          }
          out.write('e');
        }
      }
      case double[] a -> {
        List<Object> l = new ArrayList<>();
        for (double d : a) {
          l.add(d);
        }
        write(out, l, depth);
      }
      case long[] a -> {
        List<Object> l = new ArrayList<>();
        for (long d : a) {
          l.add(d);
        }
        write(out, l, depth);
      }
      default -> throw new IllegalArgumentException("cannot pickle a " + v.getClass().getName()
          + " into mlarray metadata; use maps, lists, strings, numbers, booleans or null");
    }
  }

  private static void writeDouble(ByteArrayOutputStream out, double d) {
    out.write('G');
    long bits = Double.doubleToRawLongBits(d);
    for (int i = 7; i >= 0; i--) {
      out.write((int) (bits >>> (8 * i)));
    }
  }

  private static void writeLong(ByteArrayOutputStream out, long v) {
    if (v >= 0 && v < 256) {
      out.write('K');
      out.write((int) v);
    } else if (v >= 0 && v < 65536) {
      out.write('M');
      out.write((int) v);
      out.write((int) (v >>> 8));
    } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
      out.write('J');
      writeIntLe(out, (int) v);
    } else {
      writeBig(out, BigInteger.valueOf(v));
    }
  }

  private static void writeBig(ByteArrayOutputStream out, BigInteger v) {
    byte[] be = v.toByteArray();
    if (be.length > 255) {
      throw new IllegalArgumentException("integer too large for metadata: " + v);
    }
    out.write(0x8a);
    out.write(be.length);
    for (int i = be.length - 1; i >= 0; i--) {
      out.write(be[i]);
    }
  }

  private static void writeIntLe(ByteArrayOutputStream out, int v) {
    out.write(v);
    out.write(v >>> 8);
    out.write(v >>> 16);
    out.write(v >>> 24);
  }
}
