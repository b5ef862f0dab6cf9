package io.omearrow.tensor;

import io.omearrow.core.OmeArrowException;
import io.omearrow.core.PixelType;
import io.omearrow.source.ImageSource;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.apache.arrow.memory.BufferAllocator;

/**
 * A plan for a {@link TensorView}: a source that is opened only when needed plus a
 * {@link Selection} that is checked only then (the reference's {@code LazyTensorView}).
 * {@link #select} and {@link #withLayout} return new plans; {@link #collect()} opens the source
 * (once), checks the selection and returns the view, computed once per plan and cached
 * (thread-safe). Validation errors surface at {@link #collect()} with the reference's messages.
 *
 * <p>Memory: plans made by {@link #open} own the source their opener returns; every plan
 * derived from one shares that single opened source (it is opened at most once), and
 * {@link #close()} on any of them closes it. Plans made by {@link #of(ImageSource)} borrow the
 * source and {@link #close()} leaves it open.
 */
public final class LazyTensorView implements AutoCloseable {
  private final SharedSource source;
  private final Selection selection;
  private final Object lock = new Object();
  private volatile TensorView resolved;

  private LazyTensorView(SharedSource source, Selection selection) {
    this.source = source;
    this.selection = selection;
  }

  /** A plan over a source opened on first need by {@code opener}; the plans own it. */
  public static LazyTensorView open(Supplier<? extends ImageSource> opener) {
    return new LazyTensorView(new SharedSource(Objects.requireNonNull(opener, "opener"), null, true), Selection.all());
  }

  /** A plan over an already open source (borrowed: closing the plan leaves it open). */
  public static LazyTensorView of(ImageSource source) {
    return new LazyTensorView(new SharedSource(null, Objects.requireNonNull(source, "source"), false), Selection.all());
  }

  /** The selection as given (unchecked). */
  public Selection selection() {
    return selection;
  }

  /** A new plan with the selection edited by {@code edit} (nothing checked, nothing read). */
  public LazyTensorView select(UnaryOperator<Selection> edit) {
    return new LazyTensorView(source, edit.apply(selection));
  }

  /** A new plan with the whole selection replaced. */
  public LazyTensorView withSelection(Selection s) {
    return new LazyTensorView(source, s);
  }

  /** A new plan with only the layout replaced. */
  public LazyTensorView withLayout(String layout) {
    return new LazyTensorView(source, selection.withLayout(layout));
  }

  /** True once this plan was collected. */
  public boolean isCollected() {
    return resolved != null;
  }

  /** True once the shared source was opened. */
  public boolean isSourceOpen() {
    return source.isOpen();
  }

  /**
   * Opens the source if needed, checks the selection and returns the view; computed once and
   * cached (concurrent callers get the same view).
   *
   * @throws io.omearrow.core.SelectionException when the selection does not fit the image
   */
  public TensorView collect() {
    TensorView v = resolved;
    if (v == null) {
      synchronized (lock) {
        v = resolved;
        if (v == null) {
          v = TensorView.of(source.get(), selection);
          resolved = v;
        }
      }
    }
    return v;
  }

  /**
   * The layout as given, without collecting (the reference reports the raw string, e.g. "YX");
   * when none was given, collects and returns the view's default ("CHW" or "TZCHW").
   */
  public String layout() {
    String l = selection.layout();
    return l != null && !l.isEmpty() ? l : collect().layout();
  }

  /** The device ("cpu"); needs no data. */
  public String device() {
    return "cpu";
  }

  /** The element type (collects). */
  public PixelType dtype() {
    return collect().dtype();
  }

  /** The shape (collects). */
  public long[] shape() {
    return collect().shape();
  }

  /** The reference's strides (collects). */
  public long[] strides() {
    return collect().strides();
  }

  /** Collects and materialises (see {@link TensorView#materialize}). */
  public Tensor materialize(BufferAllocator allocator) {
    return collect().materialize(allocator);
  }

  /** Collects, then {@link TensorView#iterBatches(int)}. */
  public ViewSequence iterBatches(int batchSize) {
    return collect().iterBatches(batchSize);
  }

  /** Collects, then {@link TensorView#iterTiles(int, int)}. */
  public ViewSequence iterTiles(int tileH, int tileW) {
    return collect().iterTiles(tileH, tileW);
  }

  /** Collects, then {@link TensorView#iterTiles3d(int, int, int)}. */
  public ViewSequence iterTiles3d(int tileD, int tileH, int tileW) {
    return collect().iterTiles3d(tileD, tileH, tileW);
  }

  /** Closes the shared source if the plans own it and it was opened. Idempotent. */
  @Override
  public void close() {
    source.close();
  }

  @Override
  public String toString() {
    return "LazyTensorView[" + selection + (resolved != null ? ", collected" : "") + "]";
  }

  /** The source shared by a plan and every plan derived from it, opened at most once. */
  private static final class SharedSource {
    private final Supplier<? extends ImageSource> opener;
    private final boolean owned;
    private volatile ImageSource source;
    private boolean closed;

    SharedSource(Supplier<? extends ImageSource> opener, ImageSource source, boolean owned) {
      this.opener = opener;
      this.source = source;
      this.owned = owned;
    }

    boolean isOpen() {
      return source != null;
    }

    ImageSource get() {
      ImageSource s = source;
      if (s != null) {
        return s;
      }
      synchronized (this) {
        if (closed) {
          throw new IllegalStateException("LazyTensorView is closed");
        }
        if (source == null) {
          ImageSource opened = opener.get();
          if (opened == null) {
            throw new OmeArrowException("the opener of a LazyTensorView returned no source");
          }
          source = opened;
        }
        return source;
      }
    }

    synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      if (owned && source != null) {
        source.close();
      }
    }
  }
}
