package io.omearrow.bench.dlpack;

import io.omearrow.core.PixelType;
import io.omearrow.dlpack.DlpackExporter;
import io.omearrow.dlpack.ExportOptions;
import io.omearrow.dlpack.ManagedTensor;
import io.omearrow.dlpack.StridedCopy;
import java.lang.foreign.MemorySegment;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Contiguous (copying) DLPack export of a 2048×2048 uint16 ROI at (1024, 1024) of a 4096×4096
 * plane, against a plain memcpy of the same 8 MiB into a preallocated buffer. The export includes
 * allocating the 64-byte-aligned destination and freeing it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--sun-misc-unsafe-memory-access=allow"})
public class ContiguousExportBench {
  static final int PLANE = 4096;
  static final int ROI = 2048;

  private BufferAllocator allocator;
  private ArrowBuf plane;
  private ArrowBuf memcpyDst;
  private MemorySegment src;
  private MemorySegment dst;

  @Setup(Level.Trial)
  public void setUp() {
    allocator = new RootAllocator();
    plane = allocator.buffer(2L * PLANE * PLANE);
    for (long i = 0; i < (long) PLANE * PLANE; i++) {
      plane.setShort(2 * i, (short) i);
    }
    memcpyDst = allocator.buffer(2L * ROI * ROI);
    src = MemorySegment.ofAddress(plane.memoryAddress()).reinterpret(plane.capacity());
    dst = MemorySegment.ofAddress(memcpyDst.memoryAddress()).reinterpret(memcpyDst.capacity());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    plane.close();
    memcpyDst.close();
    allocator.close();
  }

  @Benchmark
  public long contiguousRoiExport() {
    long first = 2L * (1024L * PLANE + 1024);
    try (ManagedTensor t = DlpackExporter.exportContiguous(src, first, PixelType.UINT16, new long[] {ROI, ROI},
        new long[] {PLANE, 1}, allocator, ExportOptions.DEFAULT)) {
      return t.dataAddress();
    }
  }

  /** The strided gather alone, into the preallocated buffer: separates copy cost from allocation. */
  @Benchmark
  public long gatherOnly() {
    StridedCopy.gather(src, 2L * (1024L * PLANE + 1024), new long[] {ROI, ROI}, new long[] {PLANE, 1}, 2, dst);
    return dst.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0);
  }

  @Benchmark
  public long memcpySameBytes() {
    MemorySegment.copy(src, 0, dst, 0, 2L * ROI * ROI);
    return dst.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0);
  }
}
