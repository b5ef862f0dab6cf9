package io.omearrow.tensor;

import io.omearrow.core.Axis;
import io.omearrow.core.ChunkRef;
import io.omearrow.core.ImageMetadata;
import io.omearrow.core.OmeImage;
import io.omearrow.core.PixelConverter;
import io.omearrow.core.PixelSlice;
import io.omearrow.core.PixelType;
import io.omearrow.core.PixelsMeta;
import io.omearrow.core.SelectionException;
import io.omearrow.dlpack.DlpackExporter;
import io.omearrow.dlpack.ExportOptions;
import io.omearrow.dlpack.ManagedTensor;
import io.omearrow.source.ImageSource;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.arrow.memory.BufferAllocator;

/**
 * An immutable, named-axis view of an image: which t, z and c planes, which 2-D ROI, in which
 * layout and element type. Building a view reads no pixels; {@link #materialize} and
 * {@link #copyTo} read exactly the selected regions in one pass (for chunked sources only the
 * chunks the ROI touches) and convert the element type on the way; {@link #arrowValues()}
 * hands out the stored Arrow values without copying when the view is one stored plane or chunk.
 *
 * <p>Semantics follow the Python reference's {@code TensorView} (selections, ROI forms, layouts,
 * default layout "CHW" for one t and one z else "TZCHW", error messages). The view computes in
 * the basis T, Z, C, Y(H), X(W), then drops absent axes (which must have size 1) and permutes.
 *
 * <p>Memory: a view borrows its {@link ImageSource}; the source must stay open while the view
 * (or anything derived from it) reads pixels. Views hold no native memory of their own.
 */
public final class TensorView {
  private final ImageSource source;
  private final PixelsMeta meta;
  private final Selection spec;
  private final Resolved sel;
  private final Layout layout;
  private final PixelType dtype;
  private final PixelConverter.Rule rule;
  private final ChannelPolicy policy;

  private TensorView(ImageSource source, Selection spec, Resolved sel, Layout layout, PixelType dtype) {
    this.source = source;
    this.meta = source.pixels();
    this.spec = spec;
    this.sel = sel;
    this.layout = layout;
    this.dtype = dtype;
    this.rule = spec.conversion();
    this.policy = spec.channelPolicy();
  }

  /** A view of the whole image in the default layout. */
  public static TensorView of(ImageSource source) {
    return of(source, Selection.all());
  }

  /**
   * A view of {@code source} with the selection checked now, in the reference's order (layout
   * syntax, then t/z/c and ROI forms, §4.3).
   *
   * @throws SelectionException with the reference's message when the selection does not fit
   */
  public static TensorView of(ImageSource source, Selection selection) {
    String l = selection.layout();
    Layout parsed = l == null || l.isEmpty() ? null : Layout.parse(l);
    PixelsMeta p = source.pixels();
    PixelType dt = selection.dtype() != null ? selection.dtype() : p.pixelType();
    Resolved r = Resolved.of(p, source.metadata().chunkGrid(), selection);
    Layout eff = parsed != null ? parsed : (r.t().length == 1 && r.z().length == 1 ? Layout.CHW : Layout.TZCHW);
    return new TensorView(source, selection, r, eff, dt);
  }

  /**
   * A view whose planes come from {@code loader} (the reference's {@code plane_loader}); the
   * metadata gives sizes, pixel type and chunk grid.
   */
  public static TensorView of(ImageMetadata metadata, PlaneLoader loader, Selection selection) {
    return of(new PlaneLoaderSource(metadata, loader), selection);
  }

  /** A new view of the same source with the selection edited by {@code edit} and checked again. */
  public TensorView select(UnaryOperator<Selection> edit) {
    return of(source, edit.apply(spec));
  }

  /** The same resolved selection, dtype and policies in another layout. */
  public TensorView withLayout(String newLayout) {
    Layout parsed = Layout.parse(newLayout);
    return new TensorView(source, spec.withLayout(newLayout), sel, parsed, dtype);
  }

  /** The same view with another element type (WRAP conversion, as NumPy's astype). */
  public TensorView withDtype(PixelType type) {
    return withDtype(type, PixelConverter.Rule.WRAP);
  }

  /** The same view with another element type and conversion rule. */
  public TensorView withDtype(PixelType type, PixelConverter.Rule conversion) {
    return new TensorView(source, spec.withDtype(type, conversion), sel, layout, type);
  }

  /** A view of the same source and policies over other t/z/c lists and ROI, in this view's layout. */
  TensorView derive(int[] t, int[] z, int[] c, Roi roi) {
    Selection s = spec.withT(IndexSelection.list(t)).withZ(IndexSelection.list(z)).withC(IndexSelection.list(c)).withRoi(roi)
        .withRoi3d((int[]) null).withRoiNd((int[]) null).withRoiType(null).withTile((int[]) null).withLayout(layout.toString());
    return new TensorView(source, s, new Resolved(t.clone(), z.clone(), c.clone(), roi), layout, dtype);
  }

  /** The source the view reads (borrowed). */
  public ImageSource source() {
    return source;
  }

  /** The selection this view was built from, as given. */
  public Selection selection() {
    return spec;
  }

  /** Selected t indices, in order. */
  public int[] t() {
    return sel.t().clone();
  }

  /** Selected z indices, in order. */
  public int[] z() {
    return sel.z().clone();
  }

  /** Selected c indices, in order. */
  public int[] c() {
    return sel.c().clone();
  }

  /** The 2-D region applied to every selected plane. */
  public Roi roi() {
    return sel.roi();
  }

  /** The element type of the tensor. */
  public PixelType dtype() {
    return dtype;
  }

  /** How source values are converted to {@link #dtype()}. */
  public PixelConverter.Rule conversion() {
    return rule;
  }

  /** The channel policy. */
  public ChannelPolicy channelPolicy() {
    return policy;
  }

  /** The effective layout in the reference's letters ("CHW", "TZCHW", "HWC"...). */
  public String layout() {
    return layout.toString();
  }

  /** The effective layout as a value. */
  public Layout layoutAxes() {
    return layout;
  }

  /** The device of the data: always "cpu". */
  public String device() {
    return "cpu";
  }

  /** The resolved selection itself (internal arrays, not copies). */
  Resolved resolved() {
    return sel;
  }

  /** The channels actually read: the first selected one when C is dropped under policy FIRST. */
  int[] effectiveC() {
    int[] c = sel.c();
    if (!layout.contains(Axis.C) && c.length > 1 && policy == ChannelPolicy.FIRST) {
      return new int[] {c[0]};
    }
    return c;
  }

  /** Extents in the basis T, Z, C, Y, X after the channel policy; checks dropped axes. */
  long[] basisShape() {
    long[] b = {sel.t().length, sel.z().length, effectiveC().length, sel.roi().h(), sel.roi().w()};
    Axis[] basis = Layout.TZCHW.axes();
    for (int i = 0; i < 5; i++) {
      if (!layout.contains(basis[i]) && b[i] != 1) {
        throw new SelectionException("layout '" + layout + "' drops non-singleton dimension '" + Layout.letter(basis[i]) + "'.");
      }
    }
    return b;
  }

  private static int basisIndex(Axis a) {
    return switch (a) {
      case T -> 0;
      case Z -> 1;
      case C -> 2;
      case Y -> 3;
      case X -> 4;
    };
  }

  /**
   * Extents in layout order.
   *
   * @throws SelectionException "layout 'L' drops non-singleton dimension 'D'." when the layout
   *     leaves out an axis whose selection is not exactly one index
   */
  public long[] shape() {
    long[] b = basisShape();
    Axis[] ax = layout.axes();
    long[] out = new long[ax.length];
    for (int i = 0; i < ax.length; i++) {
      out[i] = b[basisIndex(ax[i])];
    }
    return out;
  }

  /**
   * Byte strides as the reference reports them: those of a C-contiguous T, Z, C, Y, X buffer of
   * the selection, with dropped axes removed and the rest permuted into layout order (so for a
   * layout other than a suffix of TZCYX they are not the strides of {@link #materialize}'s
   * C-contiguous result; see {@link Tensor#strides()}).
   */
  public long[] strides() {
    long[] b = basisShape().clone();
    // the reference reads every selected channel into its TZCHW array and then keeps channel 0
    // under policy FIRST, so T and Z strides count all selected channels
    b[2] = sel.c().length;
    long[] bs = contiguousStrides(b, dtype.byteSize());
    Axis[] ax = layout.axes();
    long[] out = new long[ax.length];
    for (int i = 0; i < ax.length; i++) {
      out[i] = bs[basisIndex(ax[i])];
    }
    return out;
  }

  /** Number of elements. */
  public long elementCount() {
    long n = 1;
    for (long s : shape()) {
      n *= s;
    }
    return n;
  }

  /** Size of the materialised tensor in bytes. */
  public long byteSize() {
    return elementCount() * dtype.byteSize();
  }

  static long[] contiguousStrides(long[] shape, int itemSize) {
    long[] s = new long[shape.length];
    long acc = itemSize;
    for (int i = shape.length - 1; i >= 0; i--) {
      s[i] = acc;
      acc *= shape[i];
    }
    return s;
  }

  /**
   * Reads the view into a new C-contiguous, 64-byte-aligned tensor allocated from
   * {@code allocator}: one pass, reading only the selected planes' ROI (for chunked sources only
   * the chunks it touches) and converting to {@link #dtype()} on the way. The caller owns and
   * closes the result.
   */
  public Tensor materialize(BufferAllocator allocator) {
    long[] shape = shape();
    Tensor out = Tensor.allocate(allocator, shape, dtype, layout, this);
    try {
      Materializer.fill(this, out.segment());
      return out;
    } catch (RuntimeException e) {
      out.close();
      throw e;
    }
  }

  /**
   * Reads the view into {@code dst} (C order in the layout, little-endian, {@link #dtype()}),
   * which must hold {@link #byteSize()} bytes. The caller owns {@code dst}.
   */
  public void copyTo(MemorySegment dst) {
    long need = byteSize();
    if (dst.byteSize() < need) {
      throw new SelectionException("destination holds " + dst.byteSize() + " bytes; the view needs " + need);
    }
    Materializer.fill(this, dst.asSlice(0, need));
  }

  /**
   * The stored Arrow values of this view without copying: the whole stored plane when the view
   * selects one (t, z, c) at full frame and the source keeps that plane, or one stored chunk when
   * the ROI is exactly a chunk of shape_z 1. The slice has the STORED element type and length;
   * it ignores this view's layout and dtype (reshape with {@link #shape()}), as the reference's
   * {@code to_dlpack(mode="arrow")}. It borrows the source's buffer.
   *
   * @throws SelectionException with the reference's arrow-mode message when not possible
   */
  public PixelSlice arrowValues() {
    if (sel.t().length != 1 || sel.z().length != 1 || sel.c().length != 1) {
      throw new SelectionException("mode='arrow' requires a single (t, z, c) selection.");
    }
    int t = sel.t()[0];
    int z = sel.z()[0];
    int c = sel.c()[0];
    Roi r = sel.roi();
    boolean fullFrame = r.x() == 0 && r.y() == 0 && r.w() == meta.sizeX() && r.h() == meta.sizeY();
    // Better than the reference: a full-frame view of an image that stores planes AND chunks
    // uses the stored plane instead of failing on the chunk path.
    Optional<PixelSlice> plane = source.storedPlane(t, c, z);
    if (fullFrame && plane.isPresent()) {
      return plane.get();
    }
    List<ChunkRef> chunks = source.storedChunks();
    if (chunks.isEmpty() && plane.isEmpty() && !(source instanceof OmeImage)) {
      throw new SelectionException("mode='arrow' requires Arrow-backed data.");
    }
    if (!chunks.isEmpty()) {
      List<ChunkRef> match = new ArrayList<>();
      for (ChunkRef ch : chunks) {
        if (ch.covers(t, c, z) && ch.x() == r.x() && ch.y() == r.y()) {
          match.add(ch);
        }
      }
      if (match.size() == 1 && match.get(0).isCompressed()) {
        throw new SelectionException("mode='arrow' does not support byte-backed inline chunks; use mode='numpy'.");
      }
      if (match.size() != 1) {
        throw new SelectionException("Chunk not found for the requested (t, z, c, roi).");
      }
      ChunkRef ch = match.get(0);
      if (ch.shapeZ() != 1) {
        throw new SelectionException("mode='arrow' requires shape_z == 1 for chunked selections.");
      }
      if (ch.shapeX() != r.w() || ch.shapeY() != r.h()) {
        throw new SelectionException("mode='arrow' requires ROI to match chunk size.");
      }
      return ch.payload();
    }
    if (!fullFrame) {
      throw new SelectionException("mode='arrow' requires a full-frame ROI; use mode='numpy' for crops.");
    }
    throw new SelectionException("mode='arrow' requires planes data.");
  }

  /** {@link #arrowValues()} when possible, else empty (see {@link #zeroCopyUnavailableReason()}). */
  public Optional<PixelSlice> storedValues() {
    try {
      return Optional.of(arrowValues());
    } catch (SelectionException e) {
      return Optional.empty();
    }
  }

  /** Why {@link #storedValues()} is empty (the reference's arrow-mode message), or empty when it is not. */
  public Optional<String> zeroCopyUnavailableReason() {
    try {
      arrowValues();
      return Optional.empty();
    } catch (SelectionException e) {
      return Optional.of(e.getMessage());
    }
  }

  /**
   * Batches over the selected t indices (reference {@code iter_dlpack(batch_size=n)}): consecutive
   * groups of {@code batchSize} (the last may be shorter), each keeping z, c, ROI and layout.
   *
   * @throws SelectionException "batch_size must be > 0"
   */
  public ViewSequence iterBatches(int batchSize) {
    if (batchSize <= 0) {
      throw new SelectionException("batch_size must be > 0");
    }
    return ViewSequence.batches(this, batchSize);
  }

  /** All selected t in one batch (reference {@code iter_dlpack()} without batch_size). */
  public ViewSequence iterBatches() {
    return ViewSequence.batches(this, Math.max(1, sel.t().length));
  }

  /**
   * 2-D tiles of the ROI, row-major (y outer, x inner), border tiles partial, each keeping every
   * selected t, z and c (reference {@code iter_dlpack(tile_size=(h, w))}).
   *
   * @throws SelectionException "tiles must be positive"
   */
  public ViewSequence iterTiles(int tileH, int tileW) {
    if (tileH <= 0 || tileW <= 0) {
      throw new SelectionException("tiles must be positive");
    }
    return ViewSequence.tiles(this, tileH, tileW);
  }

  /**
   * 3-D tiles (reference {@code iter_tiles_3d}): for each t, for each group of {@code tileD}
   * consecutive selected z, row-major 2-D tiles of the ROI; every item keeps all selected c.
   *
   * @throws SelectionException "tile_size entries must be positive"
   */
  public ViewSequence iterTiles3d(int tileD, int tileH, int tileW) {
    return iterTiles3d(tileD, tileH, tileW, ExportMode.CONTIGUOUS);
  }

  /**
   * As {@link #iterTiles3d(int, int, int)} with the reference's mode argument, which must be
   * CONTIGUOUS, the reference's "numpy" ("iter_tiles_3d currently supports only mode='numpy'.").
   */
  public ViewSequence iterTiles3d(int tileD, int tileH, int tileW, ExportMode mode) {
    if (mode != ExportMode.CONTIGUOUS) {
      throw new SelectionException("iter_tiles_3d currently supports only mode='numpy'.");
    }
    if (tileD <= 0 || tileH <= 0 || tileW <= 0) {
      throw new SelectionException("tile_size entries must be positive");
    }
    return ViewSequence.tiles3d(this, tileD, tileH, tileW);
  }

  /**
   * Exports this view to a DLPack consumer. {@link ExportMode#ARROW} hands out the stored values
   * as a 1-D tensor of the stored type (the reference's arrow mode, same preconditions and
   * messages); {@link ExportMode#STRIDED} hands out a zero-copy strided view of one stored plane's
   * ROI with the view's shape; {@link ExportMode#CONTIGUOUS} materialises the view (one copy, from
   * {@code allocator}) and hands out that buffer with {@code IS_COPIED} set.
   *
   * <p>Who frees what: the returned handle retains the Arrow buffer it exposes; the consumer that
   * receives {@link ManagedTensor#handOff()} calls the deleter exactly once,
   * which releases it; a handle never handed off releases it on {@code close()}. This view, its
   * image and the allocator's other buffers may be closed before the consumer is done.
   *
   * @throws SelectionException when the mode's preconditions do not hold (the message says why)
   */
  public ManagedTensor toDlpack(ExportMode mode, BufferAllocator allocator, ExportOptions options) {
    return switch (mode) {
      case ARROW -> DlpackExporter.exportArrow(arrowValues(), options);
      case STRIDED -> exportStrided(options);
      case CONTIGUOUS -> {
        try (Tensor t = materialize(allocator)) {
          yield DlpackExporter.exportMaterialised(t.buffer(), t.bufferOffset(), t.dtype(), t.shape(), options);
        }
      }
    };
  }

  private ManagedTensor exportStrided(ExportOptions options) {
    if (t().length != 1 || z().length != 1 || c().length != 1) {
      throw new SelectionException("mode='strided' requires a single (t, z, c) selection.");
    }
    PixelsMeta p = source().pixels();
    PixelSlice plane = source().storedPlane(t()[0], c()[0], z()[0]).orElseThrow(() -> new SelectionException(
        "mode='strided' requires a stored plane; this source keeps none for (t=" + t()[0] + ", z=" + z()[0] + ", c=" + c()[0]
            + "), use mode='contiguous'."));
    if (plane.type() != dtype()) {
      throw new SelectionException("mode='strided' cannot convert " + plane.type() + " to " + dtype() + "; use mode='contiguous'.");
    }
    long[] shape = shape();
    Axis[] axes = layoutAxes().axes();
    long[] strides = new long[shape.length];
    for (int i = 0; i < axes.length; i++) {
      strides[i] = switch (axes[i]) {
        case X -> 1;
        case Y -> p.sizeX();
        default -> p.planePixels(); // a singleton axis: any stride is valid, this one is the plane's
      };
    }
    Roi r = roi();
    return DlpackExporter.exportStrided(plane, (long) r.y() * p.sizeX() + r.x(), shape, strides, options);
  }

  @Override
  public String toString() {
    return "TensorView[" + layout + " t=" + Arrays.toString(sel.t()) + " z=" + Arrays.toString(sel.z()) + " c="
        + Arrays.toString(sel.c()) + " roi=" + sel.roi() + " " + dtype + "]";
  }
}
