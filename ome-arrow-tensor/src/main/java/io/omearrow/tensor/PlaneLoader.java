package io.omearrow.tensor;

import java.lang.foreign.MemorySegment;

/**
 * Produces one whole plane on demand, for views over sources that are not an
 * {@link io.omearrow.source.ImageSource} (the reference's {@code plane_loader(t, z, c)}). Note
 * the argument order t, z, c (the tensor basis), unlike ImageSource's t, c, z.
 *
 * <p>Must write sizeY × sizeX pixels of the declared pixel type, row-major, little-endian, into
 * {@code dst} (which the caller owns), and be safe to call from several threads when views are
 * iterated with prefetch.
 */
@FunctionalInterface
public interface PlaneLoader {
  void load(int t, int z, int c, MemorySegment dst);
}
