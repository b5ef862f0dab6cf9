package io.omearrow.io.tiff;

import io.omearrow.core.ImageMetadata;
import io.omearrow.core.PixelsMeta;
import io.omearrow.source.ImageSource;
import io.omearrow.source.SourceInfo;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test image in an off-heap TCZYX array (little-endian), filled with seeded random bytes; it
 * counts the largest region read so tests can check the writer streams.
 */
public final class ArraySource implements ImageSource {
  private final Arena arena = Arena.ofShared();
  private final ImageMetadata metadata;
  public final MemorySegment data;
  final AtomicLong largestRead = new AtomicLong();

  public ArraySource(ImageMetadata metadata, long seed) {
    this.metadata = metadata;
    this.data = arena.allocate(metadata.pixels().totalBytes(), 64);
    byte[] b = new byte[(int) data.byteSize()];
    new Random(seed).nextBytes(b);
    if (metadata.pixels().pixelType().isFloating()) {
      // keep floats finite and NaN-free so value comparisons in Python are exact
      for (int i = metadata.pixels().pixelType().byteSize() - 1; i < b.length; i += metadata.pixels().pixelType().byteSize()) {
        b[i] &= 0x3F;
      }
    }
    MemorySegment.copy(b, 0, data, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, b.length);
  }

  @Override
  public ImageMetadata metadata() {
    return metadata;
  }

  @Override
  public SourceInfo info() {
    return SourceInfo.of(null, "test");
  }

  @Override
  public void readRegion(int t, int c, int z, int x, int y, int w, int h, MemorySegment dst) {
    PixelsMeta p = metadata.pixels();
    p.checkPlane(t, c, z);
    p.checkRegion(x, y, w, h);
    int item = p.pixelType().byteSize();
    long base = p.planeIndex(t, c, z) * p.planeBytes();
    for (int r = 0; r < h; r++) {
      MemorySegment.copy(data, base + ((long) (y + r) * p.sizeX() + x) * item, dst, (long) r * w * item, (long) w * item);
    }
    largestRead.accumulateAndGet((long) w * h * item, Math::max);
  }

  @Override
  public void close() {
    if (arena.scope().isAlive()) {
      arena.close();
    }
  }
}
