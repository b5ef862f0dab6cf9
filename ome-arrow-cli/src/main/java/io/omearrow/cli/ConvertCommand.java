package io.omearrow.cli;

import io.omearrow.core.ChunkCompression;
import io.omearrow.core.PixelConverter;
import io.omearrow.core.PixelType;
import io.omearrow.core.SelectionException;
import io.omearrow.io.parquet.ParquetImages;
import io.omearrow.source.ConvertedSource;
import io.omearrow.source.ImageFormats;
import io.omearrow.source.ImageSource;
import io.omearrow.source.WriteOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ome-arrow convert}: converts between any two supported formats. */
@Command(name = "convert", mixinStandardHelpOptions = true,
    description = "Convert an image (or every row of a table) between OME-Arrow Parquet, Arrow IPC, TIFF/OME-TIFF, MLArray and .npy.")
public final class ConvertCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "IN", description = "input file, dataset directory or stack pattern")
  String in;

  @Parameters(index = "1", paramLabel = "OUT", description = "output file; its name picks the format")
  String out;

  @Mixin
  SourceOptions source;

  @Option(names = "--all-rows", description = "convert every row of a table (one image per row in the output)")
  boolean allRows;

  @Option(names = "--encoding", paramLabel = "list|bytes", defaultValue = "list", description = "OME-Arrow pixel encoding (default list)")
  String encoding;

  @Option(names = "--chunk", paramLabel = "Z,Y,X", split = ",", description = "chunk shape (default 1,512,512, clamped to the image)")
  int[] chunk;

  @Option(names = "--no-chunks", description = "list encoding without chunks (planes only)")
  boolean noChunks;

  @Option(names = "--chunk-compression", paramLabel = "none|zstd|lz4|auto|fast|small", defaultValue = "none",
      description = "per-chunk compression of byte encoding (default none)")
  String chunkCompression;

  @Option(names = "--compression", paramLabel = "CODEC", description = "file codec: Parquet zstd (default)|snappy|none; TIFF zlib|zstd|none")
  String compression;

  @Option(names = "--pixel-type", paramLabel = "keep|TYPE", defaultValue = "keep", description = "convert pixels (values clipped to the type's range)")
  String pixelType;

  @Option(names = "--tile", paramLabel = "Y,X", split = ",", description = "TIFF tile size (default: strips)")
  int[] tile;

  @Option(names = "--bigtiff", description = "always write BigTIFF")
  boolean bigTiff;

  @Option(names = "--quiet", description = "no progress output")
  boolean quiet;

  @Override
  public Integer call() {
    if (chunk != null && chunk.length != 3) {
      throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--chunk needs three values Z,Y,X; got " + chunk.length);
    }
    if (tile != null && tile.length != 2) {
      throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--tile needs two values Y,X; got " + tile.length);
    }
    PixelType target = pixelType.equalsIgnoreCase("keep") ? null : PixelType.fromName(pixelType);
    WriteOptions opts = WriteOptions.defaults().withEncoding(encoding.toLowerCase(Locale.ROOT)).withChunkShape(chunk).withBuildChunks(!noChunks)
        .withChunkCompression(ChunkCompression.parse(chunkCompression)).withCompression(compression).withTileSize(tile).withBigTiff(bigTiff)
        .withColumn(source.column);
    if (!opts.encoding().equals("list") && !opts.encoding().equals("bytes")) {
      throw new SelectionException("--encoding must be list or bytes; got '" + encoding + "'");
    }
    List<ImageSource> images = new ArrayList<>();
    try (BufferAllocator allocator = new RootAllocator()) {
      if (chunk == null) {
        // keep the input's chunk grid unless told otherwise (the reference re-encodes the same way)
        try (ImageSource probe = source.open(in, allocator)) {
          var grid = probe.metadata().chunkGrid();
          if (grid != null) {
            opts = opts.withChunkShape(new int[] {grid.chunkZ(), grid.chunkY(), grid.chunkX()});
          }
        }
      }
      if (allRows && target == null && isParquet(in) && isParquet(out)) {
        // table to table: every row, with the feature columns beside the images copied row for row
        report(ParquetImages.convertTable(in, out, source.column, opts, allocator), "all rows");
        return 0;
      }
      try {
        ImageSource first = source.open(in, allocator);
        images.add(ConvertedSource.of(first, target, PixelConverter.Rule.CLAMP, true));
        if (allRows) {
          long rows = first.info().rows();
          for (long r = 1; r < rows; r++) {
            ImageSource next = ImageFormats.open(in, source.toOpenOptions().withRow(r), allocator);
            images.add(ConvertedSource.of(next, target, PixelConverter.Rule.CLAMP, true));
          }
        }
        report(ImageFormats.write(images, out, opts, allocator), images.size() + " image" + (images.size() == 1 ? "" : "s"));
      } finally {
        for (ImageSource s : images) {
          s.close();
        }
      }
    }
    return 0;
  }

  private static boolean isParquet(String location) {
    return ImageFormats.fileName(location).endsWith(".parquet");
  }

  private void report(List<String> warnings, String what) {
    for (String w : warnings) {
      System.err.println("ome-arrow convert: warning: " + w);
    }
    if (!quiet) {
      System.err.println("ome-arrow convert: wrote " + what + " to " + out);
    }
  }
}
