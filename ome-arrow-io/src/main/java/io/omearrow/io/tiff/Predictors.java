package io.omearrow.io.tiff;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Undo the TIFF predictors on decoded blocks in place: horizontal differencing
 * (Predictor 2, on samples in the file's byte order) and the floating-point predictor
 * (Predictor 3: byte planes, most significant first, differenced byte-wise). One specialised loop
 * per sample size; no boxing, no per-pixel calls beyond the segment accessors.
 */
final class Predictors {
  private Predictors() {}

  /** Undoes Predictor 2 on {@code rows} rows of {@code width} pixels of {@code spp} samples. */
  static void undoHorizontal(MemorySegment block, int width, int rows, int spp, int item, ByteOrder order) {
    long n = (long) width * spp;
    long rowBytes = n * item;
    for (int r = 0; r < rows; r++) {
      long base = r * rowBytes;
      switch (item) {
        case 1 -> {
          for (long i = spp; i < n; i++) {
            block.set(ValueLayout.JAVA_BYTE, base + i,
                (byte) (block.get(ValueLayout.JAVA_BYTE, base + i) + block.get(ValueLayout.JAVA_BYTE, base + i - spp)));
          }
        }
        case 2 -> {
          ValueLayout.OfShort l = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(order);
          if (spp == 1) {
            short prev = block.get(l, base);
            for (long i = 1; i < n; i++) {
              prev = (short) (prev + block.get(l, base + 2 * i));
              block.set(l, base + 2 * i, prev);
            }
          } else {
            for (long i = spp; i < n; i++) {
              block.set(l, base + 2 * i, (short) (block.get(l, base + 2 * i) + block.get(l, base + 2 * (i - spp))));
            }
          }
        }
        case 4 -> {
          ValueLayout.OfInt l = ValueLayout.JAVA_INT_UNALIGNED.withOrder(order);
          for (long i = spp; i < n; i++) {
            block.set(l, base + 4 * i, block.get(l, base + 4 * i) + block.get(l, base + 4 * (i - spp)));
          }
        }
        default -> {
          ValueLayout.OfLong l = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(order);
          for (long i = spp; i < n; i++) {
            block.set(l, base + 8 * i, block.get(l, base + 8 * i) + block.get(l, base + 8 * (i - spp)));
          }
        }
      }
    }
  }

  /**
   * Undoes Predictor 3; the block's samples come out little-endian whatever the file's byte
   * order, since the predictor stores byte planes most significant first.
   */
  static void undoFloatingPoint(MemorySegment block, int width, int rows, int spp, int item) {
    int n = width * spp;
    int rowBytes = n * item;
    byte[] row = new byte[rowBytes];
    byte[] out = new byte[rowBytes];
    for (int r = 0; r < rows; r++) {
      long base = (long) r * rowBytes;
      MemorySegment.copy(block, ValueLayout.JAVA_BYTE, base, row, 0, rowBytes);
      for (int i = spp; i < rowBytes; i++) {
        row[i] += row[i - spp];
      }
      for (int k = 0; k < item; k++) {
        int plane = k * n;
        int dstByte = item - 1 - k;
        for (int i = 0; i < n; i++) {
          out[i * item + dstByte] = row[plane + i];
        }
      }
      MemorySegment.copy(out, 0, block, ValueLayout.JAVA_BYTE, base, rowBytes);
    }
  }
}
