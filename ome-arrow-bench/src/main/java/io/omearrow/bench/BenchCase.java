package io.omearrow.bench;

import java.util.List;

/**
 * One comparative benchmark: an operation of ours and the baselines it is compared with, all
 * measured in the same run on the same data. Cases are found through
 * {@link java.util.ServiceLoader} (register in {@code META-INF/services/io.omearrow.bench.BenchCase})
 * and driven by {@link BenchHarness}. A case owns what it sets up and frees it in {@link #close()}.
 */
public interface BenchCase extends AutoCloseable {

  /** The result name, e.g. {@code "parquet.read.list"} (see shared/CLI.md's benchmark table). */
  String name();

  /** Bytes of pixels one run produces, for MB/s (10^6 bytes per MB). */
  long payloadBytes();

  /** Prepares inputs (files under {@code ctx.workDir()}, buffers from {@code ctx.allocator()}). */
  void setUp(BenchContext ctx) throws Exception;

  /** Runs our operation once; the harness times it. */
  void run() throws Exception;

  /** The baselines, measured by the harness right after this case in the same process. */
  List<Baseline> baselines();

  @Override
  default void close() throws Exception {}
}
