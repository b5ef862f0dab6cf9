package io.omearrow.source;

import io.omearrow.core.ImageMetadata;
import io.omearrow.core.PixelConverter;
import io.omearrow.core.PixelType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A view of another source with another pixel type: each region is read in the source's type
 * and converted with the given rule. Used by converters ({@code --pixel-type}) so that no writer
 * has to convert on its own. Does not own the wrapped source unless told to.
 */
public final class ConvertedSource implements ImageSource {
  private final ImageSource source;
  private final PixelType type;
  private final PixelConverter.Rule rule;
  private final boolean owns;
  private final ImageMetadata metadata;

  private ConvertedSource(ImageSource source, PixelType type, PixelConverter.Rule rule, boolean owns) {
    this.source = source;
    this.type = type;
    this.rule = rule;
    this.owns = owns;
    this.metadata = source.metadata().withPixels(source.pixels().withPixelType(type));
  }

  /** The source as {@code type} (the source itself when it already is); closing the view closes the source iff {@code owns}. */
  public static ImageSource of(ImageSource source, PixelType type, PixelConverter.Rule rule, boolean owns) {
    if (type == null || type == source.pixels().pixelType()) {
      return source;
    }
    return new ConvertedSource(source, type, rule, owns);
  }

  @Override
  public ImageMetadata metadata() {
    return metadata;
  }

  @Override
  public SourceInfo info() {
    return source.info();
  }

  @Override
  public void readRegion(int t, int c, int z, int x, int y, int w, int h, MemorySegment dst) {
    PixelType from = source.pixels().pixelType();
    long n = (long) w * h;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment tmp = arena.allocate(n * from.byteSize(), 64);
      source.readRegion(t, c, z, x, y, w, h, tmp);
      PixelConverter.convert(tmp, from, dst, type, n, rule);
    }
  }

  @Override
  public void close() {
    if (owns) {
      source.close();
    }
  }
}
