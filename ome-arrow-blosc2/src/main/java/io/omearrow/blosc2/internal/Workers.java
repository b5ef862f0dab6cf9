package io.omearrow.blosc2.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Runs independent tasks (blocks of a chunk, chunks of a region) on at most {@code nthreads}
 * threads, the calling thread included. Worker threads are daemons from one shared cached pool,
 * so an idle JVM holds none of them for long.
 */
public final class Workers {
  private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "blosc2-worker");
    t.setDaemon(true);
    return t;
  });

  /** A thread that never runs; used only to ask whether a segment is confined to its owner. */
  private static final Thread PROBE = new Thread(() -> { }, "blosc2-probe");

  private Workers() {}

  /**
   * The thread count to use with these segments: {@code nthreads}, or 1 when any of them is
   * confined to the calling thread (a confined arena's memory cannot be touched by workers).
   */
  public static int usable(int nthreads, java.lang.foreign.MemorySegment... segments) {
    if (nthreads <= 1) {
      return 1;
    }
    for (java.lang.foreign.MemorySegment s : segments) {
      if (!s.isAccessibleBy(PROBE)) {
        return 1;
      }
    }
    return nthreads;
  }

  /** Calls {@code task} for every index in [0, count); rethrows the first failure. */
  public static void forEach(int count, int nthreads, IntConsumer task) {
    int workers = Math.min(nthreads, count);
    if (workers <= 1) {
      for (int i = 0; i < count; i++) {
        task.accept(i);
      }
      return;
    }
    AtomicInteger next = new AtomicInteger();
    Runnable loop = () -> {
      for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
        task.accept(i);
      }
    };
    List<Future<?>> futures = new ArrayList<>(workers - 1);
    for (int w = 1; w < workers; w++) {
      futures.add(POOL.submit(loop));
    }
    RuntimeException first = null;
    try {
      loop.run();
    } catch (RuntimeException e) {
      first = e;
      next.set(count);
    }
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (ExecutionException e) {
        if (first == null) {
          first = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        if (first == null) {
          first = new IllegalStateException("interrupted while waiting for blosc2 workers", e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
