package io.omearrow.io.tiff;

import io.omearrow.source.ImageFormat;
import io.omearrow.source.ImageFormats;
import io.omearrow.source.ImageSource;
import io.omearrow.source.OpenOptions;
import io.omearrow.source.WriteOptions;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The TIFF / OME-TIFF format provider: reads {@code .tif}, {@code .tiff}, {@code .ome.tif},
 * {@code .ome.tiff}, {@code .btf} and {@code .tf8} files with {@link TiffSource} and writes
 * OME-TIFF with {@link OmeTiffWriter}. Locations holding stack-pattern characters ({@code <},
 * {@code >}, {@code *}) are left to the stack-pattern format.
 */
public final class TiffFormat implements ImageFormat {
  @Override
  public String name() {
    return "tiff";
  }

  private static boolean tiffName(String location) {
    String n = ImageFormats.fileName(location);
    return n.endsWith(".tif") || n.endsWith(".tiff") || n.endsWith(".btf") || n.endsWith(".tf8");
  }

  private static boolean pattern(String location) {
    return location.indexOf('<') >= 0 || location.indexOf('>') >= 0 || location.indexOf('*') >= 0;
  }

  @Override
  public boolean canOpen(String location) {
    return !pattern(location) && tiffName(location);
  }

  /** Opens series {@code options.series()}; no Arrow memory is held, so the allocator is unused. */
  @Override
  public ImageSource open(String location, OpenOptions options, BufferAllocator allocator) {
    return TiffSource.open(Path.of(location), options);
  }

  @Override
  public boolean canWrite(String location) {
    String n = ImageFormats.fileName(location);
    return !pattern(location) && (n.endsWith(".tif") || n.endsWith(".tiff"));
  }

  @Override
  public List<String> write(List<? extends ImageSource> images, String location, WriteOptions options, BufferAllocator allocator) {
    return OmeTiffWriter.write(images, Path.of(location), options);
  }
}
