package io.omearrow.io.parquet;

import io.omearrow.core.FormatException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * Turns Arrow vectors into Parquet levels and PLAIN-encoded values, one growable sink per leaf
 * (the inverse of {@link Assembler}). Lists of non-null fixed-width values, such as pixel lists,
 * are appended as one bulk run.
 */
final class Shredder {
  private Shredder() {}

  /** Levels and PLAIN values of one leaf column for the row group being built. */
  static final class Sink {
    final Node leaf;
    byte[] rep = new byte[256];
    byte[] def = new byte[256];
    int entries;
    byte[] values = new byte[1024];
    long valueBytes;
    int nonNull;
    /** Value end offsets (binary and boolean leaves), for splitting pages between values. */
    long[] ends = new long[64];

    Sink(Node leaf) {
      this.leaf = leaf;
    }

    void clear() {
      entries = 0;
      valueBytes = 0;
      nonNull = 0;
    }

    void level(int r, int d) {
      ensureLevels(entries + 1);
      rep[entries] = (byte) r;
      def[entries] = (byte) d;
      entries++;
    }

    void ensureLevels(long n) {
      if (n > Integer.MAX_VALUE - 16) {
        throw new FormatException("column '" + leaf.dotted() + "' has more than 2^31 values in one row group; use smaller row groups");
      }
      if (n > rep.length) {
        int cap = (int) Math.min(Integer.MAX_VALUE - 16, Math.max(n, rep.length * 2L));
        rep = Arrays.copyOf(rep, cap);
        def = Arrays.copyOf(def, cap);
      }
    }

    void ensureValues(long extra) {
      long need = valueBytes + extra;
      if (need > Integer.MAX_VALUE - 16) {
        throw new FormatException("column '" + leaf.dotted() + "' has more than 2 GiB of values in one row group; use smaller row groups");
      }
      if (need > values.length) {
        values = Arrays.copyOf(values, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(need, values.length * 2L)));
      }
    }

    void endValue() {
      if (nonNull >= ends.length) {
        ends = Arrays.copyOf(ends, ends.length * 2);
      }
      ends[nonNull++] = valueBytes;
    }
  }

  /** Appends row {@code row} of a top-level vector. */
  static void row(Node node, FieldVector v, int row, Map<Integer, Sink> sinks) {
    shred(node, v, row, 0, 0, sinks);
  }

  private static void nulls(Node node, int r, int d, Map<Integer, Sink> sinks) {
    for (Node l : node.leaves()) {
      sinks.get(l.leafIndex).level(r, d);
    }
  }

  private static void shred(Node node, FieldVector v, int i, int r, int d, Map<Integer, Sink> sinks) {
    if (v.isNull(i)) {
      nulls(node, r, d, sinks);
      return;
    }
    switch (node.kind) {
      case STRUCT -> {
        StructVector s = (StructVector) v;
        List<FieldVector> kids = s.getChildrenFromFields();
        for (int k = 0; k < node.children.size(); k++) {
          shred(node.children.get(k), kids.get(k), i, r, node.def, sinks);
        }
      }
      case LIST -> {
        long start = io.omearrow.core.Vectors.listStart(v, i);
        long end = io.omearrow.core.Vectors.listEnd(v, i);
        Node elem = node.children.get(0);
        FieldVector data = io.omearrow.core.Vectors.listData(v, node.dotted());
        if (start == end) {
          nulls(elem, r, node.def, sinks);
          return;
        }
        if (elem.kind == Node.Kind.LEAF && data instanceof BaseFixedWidthVector fw && !(data instanceof BitVector)
            && data.getNullCount() == 0) {
          bulk(elem, fw, start, end, r, node.depth + 1, sinks.get(elem.leafIndex));
          return;
        }
        for (long k = start; k < end; k++) {
          shred(elem, data, (int) k, k == start ? r : node.depth + 1, node.elemDef, sinks);
        }
      }
      case LEAF -> {
        Sink s = sinks.get(node.leafIndex);
        s.level(r, node.def);
        value(node, v, i, s);
      }
    }
  }

  private static void bulk(Node elem, BaseFixedWidthVector data, long start, long end, int r, int innerRep, Sink s) {
    long n = end - start;
    s.ensureLevels(s.entries + n);
    Arrays.fill(s.rep, s.entries, (int) (s.entries + n), (byte) innerRep);
    s.rep[s.entries] = (byte) r;
    Arrays.fill(s.def, s.entries, (int) (s.entries + n), (byte) elem.def);
    s.entries += (int) n;
    int aw = PageDecoder.arrowWidth(elem.field.getType());
    int pw = PageDecoder.physicalWidth(elem.element.getType());
    s.ensureValues(n * pw);
    MemorySegment src = PageDecoder.segment(data.getDataBuffer());
    MemorySegment dst = MemorySegment.ofArray(s.values);
    widen(src, start * aw, aw, signed(elem), dst, s.valueBytes, pw, (int) n);
    s.valueBytes += n * pw;
    s.nonNull += (int) n;
  }

  private static boolean signed(Node leaf) {
    return !(leaf.field.getType() instanceof ArrowType.Int i) || i.getIsSigned();
  }

  /** Widens n values from Arrow width aw to physical width pw (uint8/uint16 zero-extended). */
  static void widen(MemorySegment src, long srcPos, int aw, boolean signed, MemorySegment dst, long dstPos, int pw, int n) {
    if (aw == pw) {
      MemorySegment.copy(src, srcPos, dst, dstPos, (long) n * aw);
      return;
    }
    ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    if (aw == 2) {
      ValueLayout.OfShort SH = ValueLayout.JAVA_SHORT_UNALIGNED;
      if (signed) {
        for (int k = 0; k < n; k++) {
          dst.set(INT, dstPos + 4L * k, src.get(SH, srcPos + 2L * k));
        }
      } else {
        for (int k = 0; k < n; k++) {
          dst.set(INT, dstPos + 4L * k, src.get(SH, srcPos + 2L * k) & 0xFFFF);
        }
      }
    } else if (aw == 1) {
      for (int k = 0; k < n; k++) {
        byte b = src.get(ValueLayout.JAVA_BYTE, srcPos + k);
        dst.set(INT, dstPos + 4L * k, signed ? b : b & 0xFF);
      }
    } else {
      throw new FormatException("cannot widen " + aw + "-byte values to " + pw + " bytes");
    }
  }

  private static void value(Node leaf, FieldVector v, int i, Sink s) {
    ArrowType t = leaf.field.getType();
    int aw = PageDecoder.arrowWidth(t);
    if (aw == 0) {
      return;
    }
    if (aw == -1) {
      s.ensureValues(1);
      s.values[(int) s.valueBytes++] = (byte) (((BitVector) v).get(i));
      s.endValue();
      return;
    }
    if (aw == -2) {
      long[] span = io.omearrow.core.Vectors.binarySpan(v, i, leaf.dotted());
      s.ensureValues(4 + span[1]);
      MemorySegment dst = MemorySegment.ofArray(s.values);
      dst.set(ValueLayout.JAVA_INT_UNALIGNED, s.valueBytes, (int) span[1]);
      MemorySegment.copy(PageDecoder.segment(io.omearrow.core.Vectors.binaryData(v)), span[0], dst, s.valueBytes + 4, span[1]);
      s.valueBytes += 4 + span[1];
      s.endValue();
      return;
    }
    int pw = PageDecoder.physicalWidth(leaf.element.getType());
    s.ensureValues(pw);
    BaseFixedWidthVector fw = (BaseFixedWidthVector) v;
    widen(PageDecoder.segment(fw.getDataBuffer()), (long) i * aw, aw, signed(leaf), MemorySegment.ofArray(s.values), s.valueBytes, pw, 1);
    s.valueBytes += pw;
    s.nonNull++;
  }
}
