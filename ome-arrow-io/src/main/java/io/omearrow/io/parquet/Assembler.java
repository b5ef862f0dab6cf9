package io.omearrow.io.parquet;

import io.omearrow.core.FormatException;
import io.omearrow.memory.AlignedBuffers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * Builds Arrow vectors from decoded leaf levels (the Dremel record assembly), one node at a
 * time: validity and list offsets come from the levels of the node's first leaf, leaf values are
 * handed over as the buffers the page decoder filled (no copy when the leaf has no nulls).
 */
final class Assembler {
  private Assembler() {}

  /**
   * Builds the vector for a top-level node. The result owns its buffers (allocated from
   * {@code allocator}); the leaf data stays owned by the caller.
   */
  static FieldVector build(Node node, Map<Integer, LeafData> leaves, BufferAllocator allocator, long expectedRows, String where) {
    FieldVector v = node.field.createVector(allocator);
    try {
      load(node, v, leaves, allocator, where);
      if (v.getValueCount() != expectedRows) {
        throw new FormatException(where + ": column '" + node.dotted() + "' holds " + v.getValueCount() + " rows, the footer declares "
            + expectedRows);
      }
      return v;
    } catch (RuntimeException e) {
      v.close();
      throw e;
    }
  }

  private static void load(Node node, FieldVector v, Map<Integer, LeafData> leaves, BufferAllocator allocator, String where) {
    LeafData d = leaves.get(node.firstLeaf().leafIndex);
    int depth = node.depth;
    int slotDef = node.slotDef;
    int n = d.entries;
    List<ArrowBuf> bufs = new ArrayList<>();
    try {
      switch (node.kind) {
        case STRUCT -> {
          int[] counts = slots(d, depth, slotDef, node.def);
          ArrowBuf validity = validity(d, depth, slotDef, node.def, counts, allocator);
          bufs.add(validity);
          v.loadFieldBuffers(new ArrowFieldNode(counts[0], counts[0] - counts[1]), bufs);
          for (Node c : node.children) {
            load(c, (FieldVector) v.getChildrenFromFields().get(node.children.indexOf(c)), leaves, allocator, where);
          }
        }
        case LIST -> {
          int[] counts = slots(d, depth, slotDef, node.def);
          boolean large = node.field.getType() instanceof ArrowType.LargeList;
          int width = large ? 8 : 4;
          ArrowBuf offsets = allocator.buffer((long) (counts[0] + 1) * width);
          bufs.add(null);
          bufs.add(offsets);
          long child = 0;
          int s = 0;
          int elemDef = node.elemDef;
          int childRep = depth + 1;
          byte[] rep = null;
          byte[] def = null;
          if (d.allMax() && childRep == node.firstLeaf().maxRep && !large) {
            // every entry is an element of this list: offsets are the entries that start a list
            java.lang.foreign.MemorySegment off = PageDecoder.segment(offsets);
            for (int i = d.nextAtMost(0, depth); i < n; i = d.nextAtMost(i + 1, depth)) {
              off.setAtIndex(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, s++, i);
            }
            child = n;
            n = 0;
          } else {
            rep = d.repArray();
            def = d.defArray();
          }
          for (int i = 0; i < n; i++) {
            int r = rep == null ? 0 : rep[i];
            int dl = def == null ? node.firstLeaf().maxDef : def[i];
            if (r <= depth && dl >= slotDef) {
              if (large) {
                offsets.setLong((long) s * 8, child);
              } else {
                offsets.setInt((long) s * 4, (int) child);
              }
              s++;
            }
            if (r <= childRep && dl >= elemDef) {
              child++;
            }
          }
          if (!large && child > Integer.MAX_VALUE) {
            throw new FormatException(where + ": list '" + node.dotted() + "' holds more than 2^31 values; read it as large_list");
          }
          if (large) {
            offsets.setLong((long) s * 8, child);
          } else {
            offsets.setInt((long) s * 4, (int) child);
          }
          bufs.set(0, validity(d, depth, slotDef, node.def, counts, allocator));
          v.loadFieldBuffers(new ArrowFieldNode(counts[0], counts[0] - counts[1]), bufs);
          load(node.children.get(0), (FieldVector) v.getChildrenFromFields().get(0), leaves, allocator, where);
        }
        case LEAF -> loadLeaf(node, v, d, allocator, bufs, where);
      }
    } finally {
      for (ArrowBuf b : bufs) {
        if (b != null) {
          b.close();
        }
      }
    }
  }

  /** {slots, valid slots} of a node at this depth, using the leaf's levels. */
  private static int[] slots(LeafData d, int depth, int slotDef, int nodeDef) {
    if (d.allMax()) {
      if (d.rep == null || depth >= d.leaf.maxRep) {
        return new int[] {d.entries, d.entries};
      }
      int s = 0;
      for (int i = d.nextAtMost(0, depth), n = d.entries; i < n; i = d.nextAtMost(i + 1, depth)) {
        s++;
      }
      return new int[] {s, s};
    }
    return slots(d.repArray(), d.defArray(), d.entries, depth, slotDef, nodeDef, d.leaf.maxDef);
  }

  /** {slots, valid slots} of a node at this depth. */
  private static int[] slots(byte[] rep, byte[] def, int n, int depth, int slotDef, int nodeDef, int maxDef) {
    if (rep == null && def == null) {
      return new int[] {n, n};
    }
    int s = 0;
    int valid = 0;
    for (int i = 0; i < n; i++) {
      int r = rep == null ? 0 : rep[i];
      int dl = def == null ? maxDef : def[i];
      if (r <= depth && dl >= slotDef) {
        s++;
        if (dl >= nodeDef) {
          valid++;
        }
      }
    }
    return new int[] {s, valid};
  }

  private static ArrowBuf validity(LeafData d, int depth, int slotDef, int nodeDef, int[] counts, BufferAllocator a) {
    if (counts[0] == counts[1]) {
      return a.getEmpty();
    }
    byte[] rep = d.repArray();
    byte[] def = d.defArray();
    int n = d.entries;
    ArrowBuf b = a.buffer(Math.max(1, (counts[0] + 7) / 8));
    b.setZero(0, b.capacity());
    int s = 0;
    for (int i = 0; i < n; i++) {
      int r = rep == null ? 0 : rep[i];
      int dl = def[i];
      if (r <= depth && dl >= slotDef) {
        if (dl >= nodeDef) {
          b.setByte(s >>> 3, b.getByte(s >>> 3) | (1 << (s & 7)));
        }
        s++;
      }
    }
    return b;
  }

  private static void loadLeaf(Node node, FieldVector v, LeafData d, BufferAllocator a, List<ArrowBuf> bufs, String where) {
    int[] counts = slots(d, node.depth, node.slotDef, node.def);
    int slots = counts[0];
    int valid = counts[1];
    ArrowType t = node.field.getType();
    if (t instanceof ArrowType.Null) {
      v.loadFieldBuffers(new ArrowFieldNode(slots, slots), List.of());
      return;
    }
    if (valid != d.values) {
      throw new FormatException(where + ": column '" + node.dotted() + "' has " + d.values + " values for " + valid + " non-null slots");
    }
    bufs.add(validity(d, node.depth, node.slotDef, node.def, counts, a));
    int maxDef = node.firstLeaf().maxDef;
    int aw = PageDecoder.arrowWidth(t);
    if (aw == -2) {
      byte[] rep = d.repArray();
      byte[] def = d.defArray();
      boolean large = t instanceof ArrowType.LargeBinary || t instanceof ArrowType.LargeUtf8;
      int ow = large ? 8 : 4;
      long total = 0;
      for (int i = 0; i < d.values; i++) {
        total += d.binLen[i];
      }
      if (!large && total > Integer.MAX_VALUE) {
        throw new FormatException(where + ": column '" + node.dotted() + "' holds more than 2 GiB; read it as large_binary");
      }
      ArrowBuf offsets = a.buffer((long) (slots + 1) * ow);
      bufs.add(offsets);
      ArrowBuf data = AlignedBuffers.allocate(a, Math.max(total, 1)); // every byte is copied in below
      bufs.add(data);
      java.lang.foreign.MemorySegment dataSeg = PageDecoder.segment(data);
      long pos = 0;
      int vi = 0;
      int s = 0;
      for (int i = 0; i < d.entries; i++) {
        int r = rep == null ? 0 : rep[i];
        int dl = def == null ? maxDef : def[i];
        if (r <= node.depth && dl >= node.slotDef) {
          if (large) {
            offsets.setLong((long) s * 8, pos);
          } else {
            offsets.setInt((long) s * 4, (int) pos);
          }
          if (dl >= node.def) {
            java.lang.foreign.MemorySegment.copy(d.binSeg[vi], d.binOff[vi], dataSeg, pos, d.binLen[vi]);
            pos += d.binLen[vi];
            vi++;
          }
          s++;
        }
      }
      if (large) {
        offsets.setLong((long) s * 8, pos);
      } else {
        offsets.setInt((long) s * 4, (int) pos);
      }
      v.loadFieldBuffers(new ArrowFieldNode(slots, slots - valid), bufs);
      return;
    }
    ArrowBuf values;
    if (valid == slots) {
      values = d.fixed;
      values.getReferenceManager().retain();
    } else {
      // spread the compact values to their slots
      byte[] rep = d.repArray();
      byte[] def = d.defArray();
      int bytes = aw == -1 ? 0 : aw;
      values = AlignedBuffers.allocate(a, Math.max(8, aw == -1 ? (slots + 7) / 8 : (long) slots * aw));
      values.setZero(0, values.capacity());
      int vi = 0;
      int s = 0;
      for (int i = 0; i < d.entries; i++) {
        int r = rep == null ? 0 : rep[i];
        int dl = def == null ? maxDef : def[i];
        if (r <= node.depth && dl >= node.slotDef) {
          if (dl >= node.def) {
            if (aw == -1) {
              if ((d.fixed.getByte(vi >>> 3) >>> (vi & 7) & 1) != 0) {
                values.setByte(s >>> 3, values.getByte(s >>> 3) | (1 << (s & 7)));
              }
            } else {
              values.setBytes((long) s * bytes, d.fixed, (long) vi * bytes, bytes);
            }
            vi++;
          }
          s++;
        }
      }
    }
    bufs.add(values);
    v.loadFieldBuffers(new ArrowFieldNode(slots, slots - valid), bufs);
  }
}
