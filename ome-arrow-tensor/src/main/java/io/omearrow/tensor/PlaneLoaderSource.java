package io.omearrow.tensor;

import io.omearrow.core.ImageMetadata;
import io.omearrow.core.PixelsMeta;
import io.omearrow.memory.RowCopy;
import io.omearrow.source.ImageSource;
import io.omearrow.source.SourceInfo;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Adapts a {@link PlaneLoader} to the ImageSource role: whole planes are loaded and cropped. */
final class PlaneLoaderSource implements ImageSource {
  private final ImageMetadata metadata;
  private final PlaneLoader loader;

  PlaneLoaderSource(ImageMetadata metadata, PlaneLoader loader) {
    this.metadata = metadata;
    this.loader = loader;
  }

  @Override
  public ImageMetadata metadata() {
    return metadata;
  }

  @Override
  public SourceInfo info() {
    return SourceInfo.of(null, "plane-loader");
  }

  @Override
  public void readRegion(int t, int c, int z, int x, int y, int w, int h, MemorySegment dst) {
    PixelsMeta p = metadata.pixels();
    p.checkRead(t, c, z, x, y, w, h, dst);
    int b = p.pixelType().byteSize();
    if (w == p.sizeX() && h == p.sizeY()) {
      loader.load(t, z, c, dst.asSlice(0, p.planeBytes()));
      return;
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment plane = arena.allocate(p.planeBytes(), 64);
      loader.load(t, z, c, plane);
      RowCopy.rows(plane, ((long) y * p.sizeX() + x) * b, (long) p.sizeX() * b, dst, 0, (long) w * b, (long) w * b, h);
    }
  }

  @Override
  public void close() {
  }
}
