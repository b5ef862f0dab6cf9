package io.omearrow.cli;

import io.omearrow.bench.BenchData;
import io.omearrow.core.ChunkCompression;
import io.omearrow.core.ImageMetadata;
import io.omearrow.core.OmeImage;
import io.omearrow.core.OmeImageBuilder;
import io.omearrow.core.PhysicalSize;
import io.omearrow.core.PixelType;
import io.omearrow.core.PixelsMeta;
import io.omearrow.ipc.ArrowIpc;
import io.omearrow.source.ImageFormats;
import io.omearrow.source.ImageSource;
import io.omearrow.source.OpenOptions;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ome-arrow demo}: the main job on bundled sample data, with nothing to prepare. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Run the main job on bundled sample data and print what it did.")
public final class DemoCommand implements Callable<Integer> {
  @Option(names = "--out", paramLabel = "DIR", description = "where to write the demo's files (default: a temporary folder)")
  Path out;

  private long t0;

  private void step(String what) {
    System.out.printf(Locale.ROOT, "  %-58s %8.1f ms%n", what, (System.nanoTime() - t0) / 1e6);
    t0 = System.nanoTime();
  }

  @Override
  public Integer call() throws Exception {
    Path dir = out != null ? Files.createDirectories(out) : Files.createTempDirectory("ome-arrow-demo");
    System.out.println("ome-arrow demo: writing into " + dir);
    try (BufferAllocator allocator = new RootAllocator()) {
      t0 = System.nanoTime();
      PixelsMeta p = PixelsMeta.of(PixelType.UINT16, 1, 2, 4, 512, 512).withPhysicalSizes(PhysicalSize.um(0.325), PhysicalSize.um(0.325),
          PhysicalSize.um(1.0));
      short[] pixels = BenchData.imageLike(8, 512, 512, 1);
      ImageMetadata md = ImageMetadata.of(p).withIdAndName("demo", "synthetic 2-channel z-stack");
      try (OmeImage list = OmeImageBuilder.of(md).chunkShape(1, 128, 128).fromArray(pixels, allocator);
          OmeImage bytes = OmeImageBuilder.of(md).encoding("bytes").chunkShape(1, 128, 128).chunkCompression(ChunkCompression.AUTO)
              .fromArray(pixels, allocator)) {
        step("built 1x2x4x512x512 uint16 image (list and zstd byte chunks)");
        ArrowIpc.write(dir.resolve("demo-list.arrow"), List.of(list), null, null, allocator);
        ArrowIpc.write(dir.resolve("demo-bytes.arrow"), List.of(bytes), null, null, allocator);
        step("wrote Arrow IPC: list " + Files.size(dir.resolve("demo-list.arrow")) / 1024 + " KiB, bytes "
            + Files.size(dir.resolve("demo-bytes.arrow")) / 1024 + " KiB");
      }
      try (ImageSource src = ImageFormats.open(dir.resolve("demo-bytes.arrow").toString(), OpenOptions.defaults(), allocator);
          Arena arena = Arena.ofConfined()) {
        MemorySegment roi = arena.allocate(100L * 100 * 2);
        src.readRegion(0, 1, 2, 200, 150, 100, 100, roi);
        step("reopened byte-chunk file, read 100x100 ROI touching " + touched(src) + " chunks");
      }
    }
    System.out.println("ome-arrow demo: done");
    return 0;
  }

  private static int touched(ImageSource src) {
    int n = 0;
    for (var c : src.storedChunks()) {
      if (c.t() == 0 && c.c() == 1 && c.covers(0, 1, 2) && c.intersects(200, 150, 100, 100)) {
        n++;
      }
    }
    return n;
  }
}
