package io.omearrow.npy;

import io.omearrow.source.ImageFormat;
import io.omearrow.source.ImageFormats;
import io.omearrow.source.ImageSource;
import io.omearrow.source.OpenOptions;
import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The NumPy {@code .npy} format provider: one array as one image (axes from {@code --axes} or the
 * rank). Writing a view as .npy is done by the tensor module; this provider only reads.
 */
public final class NpyFormat implements ImageFormat {
  @Override
  public String name() {
    return "npy";
  }

  @Override
  public boolean canOpen(String location) {
    return ImageFormats.fileName(location).endsWith(".npy");
  }

  @Override
  public ImageSource open(String location, OpenOptions options, BufferAllocator allocator) {
    Path p = Path.of(location);
    String stem = p.getFileName().toString().replaceFirst("\\.npy$", "");
    return new NpySource(Npy.read(p, allocator), options.axes(), location, stem);
  }
}
