package io.omearrow.tensor;

import io.omearrow.core.Axis;
import io.omearrow.core.PixelConverter;
import io.omearrow.core.PixelType;
import io.omearrow.source.ImageSource;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Fills a destination with a view's values in one pass over the output. When the layout ends
 * with Y, X each selected plane's ROI is read straight into its place (converted in a staging
 * buffer first when the dtype differs); otherwise the ROI is read into a small staging region
 * and scattered with the output strides.
 */
final class Materializer {
  private static final ValueLayout.OfShort S = ValueLayout.JAVA_SHORT_UNALIGNED;
  private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT_UNALIGNED;
  private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG_UNALIGNED;

  private Materializer() {}

  static void fill(TensorView view, MemorySegment dst) {
    ImageSource src = view.source();
    Resolved r = view.resolved();
    int[] ec = view.effectiveC();
    // One plane's ROI in its stored type and a layout ending in Y, X is one readRegion: skip the
    // general setup, which costs about 4% of a 512×512 ROI copy.
    if (r.t().length == 1 && r.z().length == 1 && ec.length == 1 && view.layoutAxes().endsWithYX()
        && view.dtype() == src.pixels().pixelType()) {
      Roi roi = r.roi();
      if (roi.w() > 0 && roi.h() > 0) {
        src.readRegion(r.t()[0], ec[0], r.z()[0], roi.x(), roi.y(), roi.w(), roi.h(), dst);
      }
      return;
    }
    long[] basis = view.basisShape();
    if (basis[0] * basis[1] * basis[2] * basis[3] * basis[4] == 0) {
      return;
    }
    Layout layout = view.layoutAxes();
    long[] outStrides = TensorView.contiguousStrides(view.shape(), 1);
    // element strides of each basis axis in the output (0 for dropped axes, which have size 1)
    long[] es = new long[5];
    Axis[] ax = layout.axes();
    Axis[] basisAxes = Layout.TZCHW.axes();
    for (int b = 0; b < 5; b++) {
      for (int i = 0; i < ax.length; i++) {
        if (ax[i] == basisAxes[b]) {
          es[b] = outStrides[i];
        }
      }
    }
    PixelType from = src.pixels().pixelType();
    PixelType to = view.dtype();
    PixelConverter.Rule rule = view.conversion();
    Roi roi = view.roi();
    int w = roi.w();
    int h = roi.h();
    long px = (long) w * h;
    int[] ts = view.t();
    int[] zs = view.z();
    int[] cs = view.effectiveC();
    boolean direct = layout.endsWithYX();
    int db = to.byteSize();
    // a confined arena costs a handshake on close: only open one when staging is needed
    try (Arena arena = direct && from == to ? null : Arena.ofConfined()) {
      MemorySegment stage = direct && from == to ? null : arena.allocate(px * from.byteSize(), 64);
      MemorySegment converted = direct || from == to ? stage : arena.allocate(px * db, 64);
      for (int ti = 0; ti < ts.length; ti++) {
        for (int zi = 0; zi < zs.length; zi++) {
          for (int ci = 0; ci < cs.length; ci++) {
            long base = ti * es[0] + zi * es[1] + ci * es[2];
            if (direct) {
              MemorySegment place = dst.asSlice(base * db, px * db);
              if (from == to) {
                src.readRegion(ts[ti], cs[ci], zs[zi], roi.x(), roi.y(), w, h, place);
              } else {
                src.readRegion(ts[ti], cs[ci], zs[zi], roi.x(), roi.y(), w, h, stage);
                PixelConverter.convert(stage, from, place, to, px, rule);
              }
            } else {
              src.readRegion(ts[ti], cs[ci], zs[zi], roi.x(), roi.y(), w, h, stage);
              if (from != to) {
                PixelConverter.convert(stage, from, converted, to, px, rule);
              }
              scatter(converted, dst, base, es[3], es[4], w, h, db);
            }
          }
        }
      }
    }
  }

  /** Writes a packed h×w block into dst at element {@code base} with row/column element strides. */
  private static void scatter(MemorySegment src, MemorySegment dst, long base, long sy, long sx, int w, int h, int size) {
    long k = 0;
    for (int r = 0; r < h; r++) {
      long o = base + r * sy;
      switch (size) {
        case 1 -> {
          for (int x = 0; x < w; x++, k++) {
            dst.set(ValueLayout.JAVA_BYTE, o + x * sx, src.get(ValueLayout.JAVA_BYTE, k));
          }
        }
        case 2 -> {
          for (int x = 0; x < w; x++, k++) {
            dst.set(S, (o + x * sx) * 2, src.get(S, k * 2));
          }
        }
        case 4 -> {
          for (int x = 0; x < w; x++, k++) {
            dst.set(I, (o + x * sx) * 4, src.get(I, k * 4));
          }
        }
        default -> {
          for (int x = 0; x < w; x++, k++) {
            dst.set(L, (o + x * sx) * 8, src.get(L, k * 8));
          }
        }
      }
    }
  }
}
