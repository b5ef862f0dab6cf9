package io.omearrow.bridge;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Retries a GPU (or large host) conversion after an out-of-memory failure, as arraybridge's
 * {@code oom_recovery} does: on an OOM it runs the registered cache-clearing hooks and a GC, then
 * tries again, at most {@code maxRetries} times; the last failure is rethrown. Other exceptions
 * pass through at once. Hooks are process-wide.
 */
public final class OomRetry {
  /** Default retry count (arraybridge uses 2). */
  public static final int DEFAULT_RETRIES = 2;
  private static final List<Runnable> HOOKS = new CopyOnWriteArrayList<>();

  private OomRetry() {}

  /** Adds a cleanup hook (e.g. DJL's {@code JniUtils.emptyCudaCache}, a pool trim). */
  public static void addCleanupHook(Runnable hook) {
    HOOKS.add(hook);
  }

  public static void removeCleanupHook(Runnable hook) {
    HOOKS.remove(hook);
  }

  /** Runs {@code action} with {@link #DEFAULT_RETRIES} retries. */
  public static <T> T run(Supplier<T> action) {
    return run(action, DEFAULT_RETRIES);
  }

  /** Runs {@code action}, retrying at most {@code maxRetries} times after an out-of-memory failure. */
  public static <T> T run(Supplier<T> action, int maxRetries) {
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must be >= 0, got " + maxRetries);
    }
    for (int attempt = 0;; attempt++) {
      try {
        return action.get();
      } catch (RuntimeException | OutOfMemoryError e) {
        if (attempt >= maxRetries || !isOutOfMemory(e)) {
          throw e;
        }
        for (Runnable h : HOOKS) {
          try {
            h.run();
          } catch (RuntimeException ignored) {
            // a failing hook must not hide the original error
          }
        }
        System.gc();
      }
    }
  }

  /**
   * True for out-of-memory failures anywhere in the cause chain: Java's OutOfMemoryError, Arrow's
   * {@code OutOfMemoryException}, CUDA's cudaErrorMemoryAllocation / CUDA_ERROR_OUT_OF_MEMORY, and
   * engine messages containing "out of memory".
   */
  public static boolean isOutOfMemory(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof OutOfMemoryError || c.getClass().getName().equals("org.apache.arrow.memory.OutOfMemoryException")) {
        return true;
      }
      String m = c.getMessage() == null ? "" : c.getMessage().toLowerCase(Locale.ROOT);
      if (m.contains("out of memory") || m.contains("cudaerrormemoryallocation") || m.contains("cuda_error_out_of_memory")
          || m.contains("outofmemory")) {
        return true;
      }
    }
    return false;
  }
}
