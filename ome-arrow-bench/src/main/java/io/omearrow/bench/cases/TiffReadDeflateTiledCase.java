package io.omearrow.bench.cases;

import io.omearrow.bench.Baseline;
import io.omearrow.bench.BenchContext;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.Deflater;

/**
 * {@code tiff.read.deflate-tiled}: the four planes of a multi-page TIFF in 256×256 tiles, Deflate
 * with the horizontal predictor (written by {@link TiledTiffWriter}), read into an Arrow buffer.
 * Baseline: tifffile on one thread (its Deflate and predictor decoding come from imagecodecs).
 */
public final class TiffReadDeflateTiledCase extends TiffReadCase {
  @Override
  public String name() {
    return "tiff.read.deflate-tiled";
  }

  @Override
  protected Path input(BenchContext ctx) throws Exception {
    return ctx.file("deflate-predictor-tiled256.tif", p -> {
      try (Arena arena = Arena.ofConfined()) {
        TiledTiffWriter.write(p, Inputs.pixels(ctx, arena), Inputs.PLANES, Inputs.SIZE, 256, Deflater.DEFAULT_COMPRESSION);
      }
    });
  }

  @Override
  public List<Baseline> baselines() {
    return List.of(Py.baseline("tifffile", List.of("tifffile", "imagecodecs", "numpy"), tifffileScript(), file.toString(),
        Long.toString(Inputs.IMAGE_BYTES)));
  }
}
