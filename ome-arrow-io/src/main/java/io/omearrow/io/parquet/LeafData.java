package io.omearrow.io.parquet;

import org.apache.arrow.memory.ArrowBuf;

/**
 * The decoded contents of one leaf column over some pages: repetition and definition levels
 * (one byte per entry; null when the maximum level is 0) and the non-null values in order,
 * either in an Arrow buffer at the Arrow type's width (fixed-width types) or as references into
 * decompressed page arrays (binary types).
 *
 * <p>Memory: owns {@link #fixed}; {@link #close()} releases it. The assembler takes its own
 * reference when it hands the buffer to a vector.
 */
final class LeafData implements AutoCloseable {
  final Node leaf;
  int entries;
  byte[] rep;
  byte[] def;
  int values;
  ArrowBuf fixed;
  byte[][] binArr;
  int[] binOff;
  int[] binLen;

  LeafData(Node leaf) {
    this.leaf = leaf;
  }

  int rep(int i) {
    return rep == null ? 0 : rep[i];
  }

  int def(int i) {
    return def == null ? leaf.maxDef : def[i];
  }

  @Override
  public void close() {
    if (fixed != null) {
      fixed.close();
      fixed = null;
    }
  }
}
