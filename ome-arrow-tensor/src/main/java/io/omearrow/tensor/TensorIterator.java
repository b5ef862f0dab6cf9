package io.omearrow.tensor;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Walks a {@link ViewSequence}, handing out one materialised {@link Tensor} per item, in order.
 * With prefetch n &gt; 0 a bounded pipeline keeps at most n items materialised or in flight
 * ahead of the consumer on a small pool of daemon worker threads; memory is bounded by n items.
 * An exception thrown while materialising an item is rethrown by the {@link #next()} call that
 * would have returned that item (earlier items are delivered normally).
 *
 * <p>Memory: each returned tensor belongs to the consumer, who closes it. {@link #close()} stops
 * the workers, waits for items in flight and frees every item not yet handed out; call it when
 * stopping early (try-with-resources). Not thread-safe: one consumer thread.
 */
public final class TensorIterator implements Iterator<Tensor>, AutoCloseable {
  private static final AtomicInteger POOL = new AtomicInteger();

  private final List<TensorView> items;
  private final BufferAllocator allocator;
  private final int depth;
  private final ExecutorService pool;
  private final ArrayDeque<Future<Tensor>> ahead = new ArrayDeque<>();
  private int submitted;
  private int delivered;
  private boolean closed;
  private volatile boolean stopping;

  TensorIterator(List<TensorView> items, BufferAllocator allocator, int prefetch, int workers) {
    this.items = items;
    this.allocator = allocator;
    this.depth = prefetch;
    if (prefetch > 0 && !items.isEmpty()) {
      int id = POOL.incrementAndGet();
      AtomicInteger n = new AtomicInteger();
      this.pool = Executors.newFixedThreadPool(Math.min(workers, prefetch), r -> {
        Thread t = new Thread(r, "ome-arrow-prefetch-" + id + "-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
    } else {
      this.pool = null;
    }
  }

  /** Number of items this iterator walks in all. */
  public int size() {
    return items.size();
  }

  @Override
  public boolean hasNext() {
    return !closed && delivered < items.size();
  }

  @Override
  public Tensor next() {
    if (closed) {
      throw new IllegalStateException("TensorIterator is closed");
    }
    if (delivered >= items.size()) {
      throw new NoSuchElementException();
    }
    if (pool == null) {
      return items.get(delivered++).materialize(allocator);
    }
    fill();
    Future<Tensor> f = ahead.poll();
    delivered++;
    try {
      Tensor t = f.get();
      fill();
      return t;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a prefetched item", e);
    }
  }

  private void fill() {
    while (ahead.size() < depth && submitted < items.size()) {
      TensorView v = items.get(submitted++);
      ahead.add(pool.submit(() -> stopping ? null : v.materialize(allocator)));
    }
  }

  /**
   * Stops prefetching and frees every item not handed out: queued items are cancelled, items in
   * flight are awaited and closed. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (pool == null) {
      return;
    }
    // Queued tasks see the flag and return null at once; running ones finish and are closed
    // here. (Future.cancel would drop a result still being produced and leak it.)
    stopping = true;
    boolean interrupted = false;
    for (Future<Tensor> f : ahead) {
      while (true) {
        try {
          Tensor t = f.get();
          if (t != null) {
            t.close();
          }
          break;
        } catch (ExecutionException ignored) {
          break; // failed without producing a tensor: nothing to free
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    ahead.clear();
    pool.shutdown();
  }
}
