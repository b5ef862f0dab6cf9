package io.omearrow.cli;

import io.omearrow.core.OmeImage;
import io.omearrow.core.PixelsMeta;
import io.omearrow.io.parquet.ParquetImages;
import io.omearrow.core.SelectionException;
import io.omearrow.dlpack.DlpackImporter;
import io.omearrow.dlpack.ExportOptions;
import io.omearrow.dlpack.ImportedTensor;
import io.omearrow.dlpack.ManagedTensor;
import io.omearrow.source.ImageFormats;
import io.omearrow.source.ImageSource;
import io.omearrow.source.OpenOptions;
import io.omearrow.source.WriteOptions;
import io.omearrow.core.ChunkCompression;
import io.omearrow.tensor.ExportMode;
import io.omearrow.tensor.LazyTensorView;
import io.omearrow.tensor.Roi;
import io.omearrow.tensor.Tensor;
import io.omearrow.tensor.TensorIterator;
import io.omearrow.tensor.TensorView;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ome-arrow demo}: the main job on the bundled sample (a 3-channel 512×512 OME-TIFF),
 * with nothing to prepare: ingest, write OME-Arrow Parquet (list and byte encodings) and MLArray,
 * reopen the Parquet lazily, read a ROI, iterate tiles with prefetch, export a tile through
 * DLPack to an in-process consumer and check it.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Run the main job on bundled sample data and print what it did.")
public final class DemoCommand implements Callable<Integer> {
  static final String SAMPLE = "examplehuman-3ch.ome.tif";

  @Option(names = "--out", paramLabel = "DIR", description = "where to write the demo's files (default: a new temporary folder)")
  Path out;

  private long t0;

  private void step(String what) {
    System.out.printf(Locale.ROOT, "  %-76s %8.1f ms%n", what, (System.nanoTime() - t0) / 1e6);
    t0 = System.nanoTime();
  }

  private static String kib(Path p) throws java.io.IOException {
    return String.format(Locale.ROOT, "%.0f KiB", Files.size(p) / 1024.0);
  }

  @Override
  public Integer call() throws Exception {
    Path dir = out != null ? Files.createDirectories(out) : Files.createTempDirectory("ome-arrow-demo");
    Path tif = dir.resolve(SAMPLE);
    try (InputStream in = DemoCommand.class.getResourceAsStream("/sample/" + SAMPLE)) {
      if (in == null) {
        throw new IllegalStateException("the bundled sample " + SAMPLE + " is missing from the CLI jar");
      }
      Files.copy(in, tif, StandardCopyOption.REPLACE_EXISTING);
    }
    System.out.println("ome-arrow demo: sample " + SAMPLE + " (" + kib(tif) + "), output in " + dir);
    Path list = dir.resolve("sample-list.ome.parquet");
    Path bytes = dir.resolve("sample-bytes.ome.parquet");
    Path mla = dir.resolve("sample.mla");
    try (BufferAllocator allocator = new RootAllocator()) {
      t0 = System.nanoTime();
      try (ImageSource src = ImageFormats.open(tif.toString(), OpenOptions.defaults(), allocator)) {
        PixelsMeta p = src.pixels();
        step(String.format(Locale.ROOT, "opened OME-TIFF: TCZYX %dx%dx%dx%dx%d %s, channels %s", p.sizeT(), p.sizeC(), p.sizeZ(), p.sizeY(),
            p.sizeX(), p.pixelType(), p.channels().stream().map(c -> c.name()).toList()));
        ImageFormats.write(List.of(src), list.toString(), WriteOptions.defaults().withChunkShape(new int[] {1, 128, 128}), allocator);
        step("wrote OME-Arrow Parquet, list encoding, planes + 128x128 chunks: " + kib(list));
        ImageFormats.write(List.of(src), bytes.toString(), WriteOptions.defaults().withEncoding("bytes")
            .withChunkShape(new int[] {1, 128, 128}).withChunkCompression(ChunkCompression.AUTO), allocator);
        step("wrote OME-Arrow Parquet, byte chunks (zstd where it shrinks): " + kib(bytes));
        ImageFormats.write(List.of(src), mla.toString(), WriteOptions.defaults(), allocator);
        step("wrote MLArray (Blosc2): " + kib(mla));
      }
      try (LazyTensorView lazy = LazyTensorView.open(() -> ImageFormats.open(list.toString(), OpenOptions.defaults(), allocator))) {
        LazyTensorView roiPlan = lazy.select(s -> s.t(0).z(0).withRoi(Roi.of(192, 160, 128, 96)));
        step("planned a lazy view of the Parquet file (nothing read): layout " + roiPlan.layout());
        try (Tensor roi = roiPlan.materialize(allocator)) {
          step("materialised ROI 128x96 of all channels: shape " + java.util.Arrays.toString(roi.shape()) + ", " + roi.byteSize() + " bytes");
        }
        TensorView all = lazy.collect();
        int tiles = 0;
        long sum = 0;
        try (TensorIterator it = all.iterTiles(128, 128).shuffle(7).prefetch(4).iterator(allocator)) {
          while (it.hasNext()) {
            try (Tensor t = it.next()) {
              tiles++;
              sum += t.byteSize();
            }
          }
        }
        step("iterated " + tiles + " shuffled 128x128 tiles with prefetch(4): " + sum + " bytes");
      }
      // An eagerly read row keeps its chunks in Arrow buffers, so one chunk tile leaves zero-copy.
      try (OmeImage eager = ParquetImages.read(list.toString(), OpenOptions.defaults(), allocator, w -> { })) {
        step("read the Parquet row eagerly into Arrow buffers: " + eager.storedChunks().size() + " chunks");
        TensorView tile = TensorView.of(eager).select(s -> s.t(0).z(0).c(1).withTile(1, 2));
        ExportMode mode = tile.zeroCopyUnavailableReason().isEmpty() ? ExportMode.ARROW : ExportMode.CONTIGUOUS;
        try (Tensor expected = tile.materialize(allocator);
            ManagedTensor mt = tile.toDlpack(mode, allocator, ExportOptions.DEFAULT);
            ImportedTensor consumer = DlpackImporter.importVersioned(mt.handOff())) {
          if (expected.segment().mismatch(consumer.segment()) != -1) {
            throw new SelectionException("DLPack consumer saw other values than the view holds");
          }
          step("DLPack export of tile (1, 2), channel 1: " + (consumer.copied() ? "one copy" : "zero-copy") + ", consumer checked "
              + consumer.elementCount() + " values");
          if (mode != ExportMode.ARROW) {
            System.out.println("    (not zero-copy because: " + tile.zeroCopyUnavailableReason().orElse("") + ")");
          }
        }
      }
      try (ImageSource back = ImageFormats.open(mla.toString(), OpenOptions.defaults(), allocator);
          ImageSource fromBytes = ImageFormats.open(bytes.toString(), OpenOptions.defaults(), allocator);
          ImageSource fromTif = ImageFormats.open(tif.toString(), OpenOptions.defaults(), allocator)) {
        for (ImageSource s : List.of(back, fromBytes)) {
          try (Tensor a = TensorView.of(s).materialize(allocator); Tensor b = TensorView.of(fromTif).materialize(allocator)) {
            if (a.segment().mismatch(b.segment()) != -1) {
              throw new SelectionException("round trip changed pixels: " + s.info().location());
            }
          }
        }
        step("checked: MLArray and byte-chunk Parquet hold exactly the TIFF's pixels");
      }
    }
    System.out.println("ome-arrow demo: done");
    return 0;
  }
}
