package io.omearrow.io.parquet;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;

/**
 * The decoded contents of one leaf column over some pages: repetition and definition levels
 * ({@link Levels}; null when the maximum level is 0) and the non-null values in order,
 * either in an Arrow buffer at the Arrow type's width (fixed-width types) or as references into
 * the page memory (binary types), which this object keeps alive.
 *
 * <p>Memory: owns {@link #fixed} and the page memory given to {@link #own}; {@link #close()}
 * releases them. The assembler takes its own
 * reference when it hands the buffer to a vector.
 */
final class LeafData implements AutoCloseable {
  final Node leaf;
  int entries;
  Levels rep;
  Levels def;
  int values;
  ArrowBuf fixed;
  MemorySegment[] binSeg;
  long[] binOff;
  int[] binLen;
  /** Page memory the binary references point into (column chunks read into Arrow memory). */
  private final List<AutoCloseable> owned = new ArrayList<>();

  LeafData(Node leaf) {
    this.leaf = leaf;
  }

  int rep(int i) {
    return rep == null ? 0 : rep.get(i);
  }

  /** True when every entry is a non-null value (no nulls or empty lists anywhere on the path). */
  boolean allMax() {
    return def == null || values == entries;
  }

  int def(int i) {
    return def == null ? leaf.maxDef : def.get(i);
  }

  /** Repetition levels one byte per entry, or null when the leaf is not repeated. */
  byte[] repArray() {
    return rep == null ? null : rep.array();
  }

  /** Definition levels one byte per entry, or null when the leaf is required all the way. */
  byte[] defArray() {
    return def == null ? null : def.array();
  }

  /** The first entry from {@code from} on that starts a slot at {@code depth} (repetition level at most depth), or entries. */
  int nextAtMost(int from, int depth) {
    if (rep == null) {
      return Math.min(from, entries);
    }
    return rep.nextAtMost(from, depth);
  }

  /** Takes ownership of page memory that must live as long as these values. */
  void own(AutoCloseable pages) {
    owned.add(pages);
  }

  /** Releases the page memory taken with {@link #own} now (values that do not point into it). */
  void releaseOwned() {
    for (AutoCloseable c : owned) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException("releasing Parquet page memory failed", e);
      }
    }
    owned.clear();
  }

  @Override
  public void close() {
    releaseOwned();
    if (fixed != null) {
      fixed.close();
      fixed = null;
    }
  }
}
