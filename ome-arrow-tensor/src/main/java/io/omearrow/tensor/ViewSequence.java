package io.omearrow.tensor;

import io.omearrow.core.SelectionException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The items a training loader walks through: batches over t, 2-D tiles or 3-D tiles of a view,
 * in the reference's order, optionally shuffled (deterministically per seed, in CPython's
 * {@code random.Random(seed).shuffle} order) and sharded across workers. An immutable plan:
 * {@link #views()} lists the item views (nothing read), {@link #iterator(BufferAllocator)}
 * materialises them one by one, ahead of the consumer on worker threads when
 * {@link #prefetch(int)} is set.
 */
public final class ViewSequence {
  private enum Kind { BATCHES, TILES, TILES_3D }

  private final Kind kind;
  private final TensorView parent;
  private final int[] size;
  private final Long seed;
  private final int shardIndex;
  private final int shardCount;
  private final int prefetch;
  private final int workers;

  private ViewSequence(Kind kind, TensorView parent, int[] size, Long seed, int shardIndex, int shardCount, int prefetch, int workers) {
    this.kind = kind;
    this.parent = parent;
    this.size = size;
    this.seed = seed;
    this.shardIndex = shardIndex;
    this.shardCount = shardCount;
    this.prefetch = prefetch;
    this.workers = workers;
  }

  static ViewSequence batches(TensorView v, int batchSize) {
    return new ViewSequence(Kind.BATCHES, v, new int[] {batchSize}, null, 0, 1, 0, 0);
  }

  static ViewSequence tiles(TensorView v, int h, int w) {
    return new ViewSequence(Kind.TILES, v, new int[] {h, w}, null, 0, 1, 0, 0);
  }

  static ViewSequence tiles3d(TensorView v, int d, int h, int w) {
    return new ViewSequence(Kind.TILES_3D, v, new int[] {d, h, w}, null, 0, 1, 0, 0);
  }

  /**
   * The same items shuffled with CPython's {@code random.Random(seed).shuffle} (what is
   * shuffled follows the reference: the t list before grouping for batches, the tile positions
   * for 2-D tiles, the whole task list for 3-D tiles).
   */
  public ViewSequence shuffle(long newSeed) {
    return new ViewSequence(kind, parent, size, newSeed, shardIndex, shardCount, prefetch, workers);
  }

  /**
   * Only the items at positions {@code index}, {@code index + count}, ... of the (shuffled)
   * sequence: {@code count} workers using the same seed each see a disjoint part, and together
   * every item exactly once.
   */
  public ViewSequence shard(int index, int count) {
    if (count <= 0) {
      throw new SelectionException("shard count must be positive (got " + count + ")");
    }
    if (index < 0 || index >= count) {
      throw new SelectionException("shard index " + index + " out of range [0, " + count + ")");
    }
    return new ViewSequence(kind, parent, size, seed, index, count, prefetch, workers);
  }

  /**
   * Materialise up to {@code n} items ahead of the consumer on worker threads (0: materialise
   * on the consumer's thread when it asks).
   *
   * @throws SelectionException "prefetch must be >= 0"
   */
  public ViewSequence prefetch(int n) {
    if (n < 0) {
      throw new SelectionException("prefetch must be >= 0");
    }
    return new ViewSequence(kind, parent, size, seed, shardIndex, shardCount, n, workers);
  }

  /** Number of worker threads for prefetching (default: min(prefetch, available processors)). */
  public ViewSequence workers(int n) {
    if (n <= 0) {
      throw new SelectionException("workers must be positive (got " + n + ")");
    }
    return new ViewSequence(kind, parent, size, seed, shardIndex, shardCount, prefetch, n);
  }

  /** The prefetch depth. */
  public int prefetchDepth() {
    return prefetch;
  }

  /** The item views in iteration order (nothing is read). */
  public List<TensorView> views() {
    List<TensorView> all = switch (kind) {
      case BATCHES -> batchViews();
      case TILES -> tileViews();
      case TILES_3D -> tile3dViews();
    };
    if (shardCount == 1) {
      return all;
    }
    List<TensorView> mine = new ArrayList<>();
    for (int i = shardIndex; i < all.size(); i += shardCount) {
      mine.add(all.get(i));
    }
    return List.copyOf(mine);
  }

  /** Number of items. */
  public int size() {
    return views().size();
  }

  private <T> void maybeShuffle(List<T> items) {
    if (seed != null) {
      new PythonRandom(seed).shuffle(items);
    }
  }

  private List<TensorView> batchViews() {
    List<Integer> ts = new ArrayList<>();
    for (int t : parent.t()) {
      ts.add(t);
    }
    maybeShuffle(ts);
    List<TensorView> out = new ArrayList<>();
    int n = size[0];
    for (int i = 0; i < ts.size(); i += n) {
      int[] group = ts.subList(i, Math.min(ts.size(), i + n)).stream().mapToInt(Integer::intValue).toArray();
      out.add(parent.derive(group, parent.z(), parent.c(), parent.roi()));
    }
    return List.copyOf(out);
  }

  private static List<Roi> positions(Roi r, int th, int tw) {
    List<Roi> out = new ArrayList<>();
    for (int y = r.y(); y < r.y() + r.h(); y += th) {
      for (int x = r.x(); x < r.x() + r.w(); x += tw) {
        out.add(Roi.of(x, y, Math.min(tw, r.x() + r.w() - x), Math.min(th, r.y() + r.h() - y)));
      }
    }
    return out;
  }

  private List<TensorView> tileViews() {
    List<Roi> pos = positions(parent.roi(), size[0], size[1]);
    maybeShuffle(pos);
    int[] t = parent.t();
    int[] z = parent.z();
    int[] c = parent.c();
    List<TensorView> out = new ArrayList<>(pos.size());
    for (Roi r : pos) {
      out.add(parent.derive(t, z, c, r));
    }
    return List.copyOf(out);
  }

  private List<TensorView> tile3dViews() {
    int[] ts = parent.t();
    int[] zs = parent.z();
    int[] c = parent.c();
    List<TensorView> out = new ArrayList<>();
    if (ts.length == 0 || zs.length == 0) {
      return List.of();
    }
    List<Roi> pos = positions(parent.roi(), size[1], size[2]);
    for (int t : ts) {
      for (int i = 0; i < zs.length; i += size[0]) {
        int[] zb = Arrays.copyOfRange(zs, i, Math.min(zs.length, i + size[0]));
        for (Roi r : pos) {
          out.add(parent.derive(new int[] {t}, zb, c, r));
        }
      }
    }
    maybeShuffle(out);
    return List.copyOf(out);
  }

  /**
   * Materialises the items in order into tensors allocated from {@code allocator}; with
   * {@link #prefetch(int)} n &gt; 0, up to n items are materialised ahead on worker threads.
   * The consumer closes each tensor it receives and closes the iterator (which frees every item
   * not yet handed out and stops the workers).
   */
  public TensorIterator iterator(BufferAllocator allocator) {
    int w = workers > 0 ? workers : Math.max(1, Math.min(prefetch, Runtime.getRuntime().availableProcessors()));
    return new TensorIterator(views(), allocator, prefetch, w);
  }
}
