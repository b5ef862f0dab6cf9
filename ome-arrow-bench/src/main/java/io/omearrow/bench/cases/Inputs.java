package io.omearrow.bench.cases;

import io.omearrow.bench.BenchContext;
import io.omearrow.bench.BenchData;
import io.omearrow.core.OmeImage;
import io.omearrow.core.OmeImageBuilder;
import io.omearrow.core.PixelType;
import io.omearrow.io.parquet.ParquetImages;
import io.omearrow.io.tiff.OmeTiffWriter;
import io.omearrow.source.WriteOptions;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The inputs every case shares, generated once per run into the work folder: the raw image (4
 * planes of 2048×2048 uint16, little-endian, C order) and the files our writers make from it.
 * Segments returned by {@link #pixels} are read-only mappings owned by the caller's arena.
 */
final class Inputs {
  static final int PLANES = 4;
  static final int SIZE = 2048;
  static final long PLANE_BYTES = 2L * SIZE * SIZE;
  static final long IMAGE_BYTES = PLANES * PLANE_BYTES;
  static final long[] SHAPE = {PLANES, SIZE, SIZE};

  private static final String RAW = "image-4x2048x2048.u16";

  private Inputs() {}

  /** The raw pixels file (generated on first use). */
  static Path raw(BenchContext ctx) throws Exception {
    return ctx.file(RAW, p -> {
      short[] v = BenchData.imageLike(PLANES, SIZE, SIZE, 42);
      try (Arena arena = Arena.ofConfined();
          FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.READ,
              StandardOpenOption.WRITE)) {
        MemorySegment out = ch.map(FileChannel.MapMode.READ_WRITE, 0, IMAGE_BYTES, arena);
        MemorySegment.copy(v, 0, out, ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, v.length);
        out.force();
      }
    });
  }

  /** The raw pixels mapped read-only into {@code arena}. */
  static MemorySegment pixels(BenchContext ctx, Arena arena) throws Exception {
    return map(raw(ctx), arena);
  }

  static MemorySegment map(Path p, Arena arena) throws IOException {
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
      return ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
    }
  }

  /** The image (Z = 4 planes) as a planes-only list-encoded OmeImage, a source for writers. */
  static OmeImage image(BenchContext ctx, Arena arena) throws Exception {
    return OmeImageBuilder.of(PixelType.UINT16, 1, 1, PLANES, SIZE, SIZE).buildChunks(false).fromSegment(pixels(ctx, arena), ctx.allocator());
  }

  /** An OME-Arrow Parquet file of the image written by our writer with these options. */
  static Path parquet(BenchContext ctx, String name, WriteOptions options) throws Exception {
    return ctx.file(name, p -> write(ctx, img -> ParquetImages.write(List.of(img), p.toString(), options, ctx.allocator())));
  }

  /** An OME-TIFF of the image written by our writer with these options. */
  static Path omeTiff(BenchContext ctx, String name, WriteOptions options) throws Exception {
    return ctx.file(name, p -> write(ctx, img -> OmeTiffWriter.write(List.of(img), p, options)));
  }

  private interface Writer {
    void write(OmeImage img) throws Exception;
  }

  private static void write(BenchContext ctx, Writer w) throws Exception {
    try (Arena arena = Arena.ofConfined(); OmeImage img = image(ctx, arena)) {
      w.write(img);
    }
  }

  /**
   * Runs {@code op} at least {@code times} times and for at least {@code millis} ms, so that short
   * operations are compiled (C2) before the harness's few warm-ups; on a loaded machine the
   * compiler threads get little CPU and need the longer of the two.
   */
  static void warm(io.omearrow.bench.Baseline.Op op, long millis, int times) throws Exception {
    long end = System.nanoTime() + millis * 1_000_000;
    for (int i = 0; i < times || System.nanoTime() < end; i++) {
      op.run();
    }
  }

  /** Warm-up time for short operations: 1 s in quick runs, 3 s otherwise. */
  static long warmMillis(BenchContext ctx) {
    return ctx.quick() ? 1000 : 3000;
  }

  /** A native segment over an Arrow buffer's bytes. */
  static MemorySegment segment(org.apache.arrow.memory.ArrowBuf buf) {
    return MemorySegment.ofAddress(buf.memoryAddress()).reinterpret(buf.capacity());
  }
}
