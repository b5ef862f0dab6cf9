package io.omearrow.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.OutOfMemoryException;
import org.junit.jupiter.api.Test;

class OomRetryTest {
  @Test
  void retriesAfterOutOfMemoryAndRunsTheHooks() {
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger cleaned = new AtomicInteger();
    Runnable hook = cleaned::incrementAndGet;
    OomRetry.addCleanupHook(hook);
    try {
      String r = OomRetry.run(() -> {
        if (calls.incrementAndGet() < 3) {
          throw new OutOfMemoryException("Unable to allocate buffer of size 1024");
        }
        return "ok";
      });
      assertEquals("ok", r);
      assertEquals(3, calls.get());
      assertEquals(2, cleaned.get());
    } finally {
      OomRetry.removeCleanupHook(hook);
    }
  }

  @Test
  void givesUpAfterTheBoundAndPassesOtherErrorsThrough() {
    AtomicInteger calls = new AtomicInteger();
    RuntimeException oom = new RuntimeException("cudaMalloc failed: cudaErrorMemoryAllocation (2)");
    assertSame(oom, assertThrows(RuntimeException.class, () -> OomRetry.run(() -> {
      calls.incrementAndGet();
      throw oom;
    }, 1)));
    assertEquals(2, calls.get());
    calls.set(0);
    IllegalStateException other = new IllegalStateException("bad");
    assertSame(other, assertThrows(IllegalStateException.class, () -> OomRetry.run(() -> {
      calls.incrementAndGet();
      throw other;
    })));
    assertEquals(1, calls.get());
  }

  @Test
  void recognisesOutOfMemoryShapes() {
    assertTrue(OomRetry.isOutOfMemory(new RuntimeException("wrapped", new OutOfMemoryError("Direct buffer memory"))));
    assertTrue(OomRetry.isOutOfMemory(new RuntimeException("CUDA out of memory. Tried to allocate 2.00 GiB")));
    assertTrue(OomRetry.isOutOfMemory(new RuntimeException("CUDA_ERROR_OUT_OF_MEMORY")));
    assertFalse(OomRetry.isOutOfMemory(new RuntimeException("shape mismatch")));
  }
}
