package io.omearrow.bench.cases;

import io.omearrow.bench.Baseline;
import io.omearrow.bench.BenchContext;
import io.omearrow.source.WriteOptions;
import java.awt.image.Raster;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * {@code tiff.read.uncompressed}: the four planes of an uncompressed, stripped OME-TIFF written by
 * our writer, read into an Arrow buffer. Baselines: tifffile, and the JDK's built-in
 * {@code javax.imageio} TIFF reader ({@code read(i).getRaster()} per page, left on the Java heap).
 */
public final class TiffReadUncompressedCase extends TiffReadCase {
  @Override
  public String name() {
    return "tiff.read.uncompressed";
  }

  @Override
  protected Path input(BenchContext ctx) throws Exception {
    return Inputs.omeTiff(ctx, "uncompressed.ome.tif", WriteOptions.defaults().withCompression("none"));
  }

  @Override
  public List<Baseline> baselines() {
    return List.of(
        Py.baseline("tifffile", List.of("tifffile", "numpy"), tifffileScript(), file.toString(), Long.toString(Inputs.IMAGE_BYTES)),
        Baseline.java("imageio-jdk", this::imageio));
  }

  private void imageio() throws Exception {
    ImageIO.setUseCache(false);
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("tiff");
    if (!readers.hasNext()) {
      throw new IllegalStateException("this JDK has no javax.imageio TIFF reader");
    }
    ImageReader reader = readers.next();
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      reader.setInput(in, true, true);
      long pixels = 0;
      for (int i = 0; i < Inputs.PLANES; i++) {
        Raster r = reader.read(i).getRaster();
        pixels += (long) r.getWidth() * r.getHeight();
      }
      if (pixels * 2 != Inputs.IMAGE_BYTES) {
        throw new IllegalStateException("imageio read " + pixels + " pixels");
      }
    } finally {
      reader.dispose();
    }
  }
}
