package io.omearrow.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Something our operation is compared with: another Java code path, a plain memory copy of the
 * same bytes, or another library driven as a subprocess that times itself in-process.
 */
public interface Baseline {

  /** The baseline's name in results, e.g. {@code "memcpy"}, {@code "pyarrow"}. */
  String name();

  /** Measures the baseline: {@code runs} timed runs after {@code warmups} untimed ones. */
  Timing measure(BenchContext ctx, int warmups, int runs) throws Exception;

  /** An operation the harness times in this JVM. */
  @FunctionalInterface
  interface Op {
    void run() throws Exception;
  }

  /** A baseline that runs Java code in this process. */
  static Baseline java(String name, Op op) {
    return new Baseline() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Timing measure(BenchContext ctx, int warmups, int runs) throws Exception {
        return Timing.time(op, warmups, runs);
      }
    };
  }

  /** A copy of {@code bytes} bytes between two 64-byte-aligned native segments. */
  static Baseline memcpy(long bytes) {
    return new Baseline() {
      @Override
      public String name() {
        return "memcpy";
      }

      @Override
      public Timing measure(BenchContext ctx, int warmups, int runs) throws Exception {
        try (Arena arena = Arena.ofConfined()) {
          MemorySegment a = arena.allocate(bytes, 64);
          MemorySegment b = arena.allocate(bytes, 64);
          a.fill((byte) 1);
          return Timing.time(() -> MemorySegment.copy(a, 0, b, 0, bytes), warmups, runs);
        }
      }
    };
  }

  /** A baseline that is not available here, with the reason (never faked). */
  static Baseline missing(String name, String reason) {
    return new Baseline() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Timing measure(BenchContext ctx, int warmups, int runs) {
        return Timing.missing(reason);
      }
    };
  }
}
