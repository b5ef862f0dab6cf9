package io.omearrow.bench.dlpack;

import io.omearrow.core.PixelSlice;
import io.omearrow.core.PixelType;
import io.omearrow.dlpack.DlpackExporter;
import io.omearrow.dlpack.ExportOptions;
import io.omearrow.dlpack.ManagedTensor;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of a zero-copy (arrow-mode) DLPack export of one stored uint16 plane, including the
 * consumer's release: allocate + fill the header, retain the Arrow buffer, then free it all. The
 * cost must not depend on the plane size.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--sun-misc-unsafe-memory-access=allow"})
public class DlpackExportBench {
  @Param({"256", "4096"})
  public int size;

  private BufferAllocator allocator;
  private ArrowBuf plane;
  private PixelSlice slice;
  private long[] shape;

  @Setup(Level.Trial)
  public void setUp() {
    allocator = new RootAllocator();
    long n = (long) size * size;
    plane = allocator.buffer(n * 2);
    plane.setZero(0, n * 2);
    slice = new PixelSlice(plane, 0, n, PixelType.UINT16);
    shape = new long[] {size, size};
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    plane.close();
    allocator.close();
  }

  @Benchmark
  public long arrowExport() {
    try (ManagedTensor t = DlpackExporter.exportArrow(slice, shape, ExportOptions.DEFAULT)) {
      return t.dataAddress();
    }
  }
}
