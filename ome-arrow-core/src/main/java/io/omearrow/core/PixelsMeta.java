package io.omearrow.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The OME "Pixels" header of an image ({@code pixels_meta}): sizes of the five axes, pixel type,
 * physical sizes and channels. Sizes are validated on construction; the number of pixels may
 * exceed 2^31 (all products are computed in {@code long}).
 *
 * @param dimensionOrder the informational order string ({@code "XYZCT"} or {@code "XYCT"} as the
 *     Python writers produce)
 * @param physicalSizeX physical size of a pixel along X, or null when unknown
 */
public record PixelsMeta(
    String dimensionOrder,
    PixelType pixelType,
    int sizeX,
    int sizeY,
    int sizeZ,
    int sizeC,
    int sizeT,
    PhysicalSize physicalSizeX,
    PhysicalSize physicalSizeY,
    PhysicalSize physicalSizeZ,
    List<Channel> channels) {

  public PixelsMeta {
    if (sizeX <= 0 || sizeY <= 0 || sizeZ <= 0 || sizeC <= 0 || sizeT <= 0) {
      throw new FormatException("All size_* fields must be positive integers. (got size_t=" + sizeT + ", size_c=" + sizeC
          + ", size_z=" + sizeZ + ", size_y=" + sizeY + ", size_x=" + sizeX + ")");
    }
    if (pixelType == null) {
      throw new FormatException("pixels_meta.type is missing");
    }
    channels = List.copyOf(channels == null ? List.of() : channels);
    if (dimensionOrder == null) {
      dimensionOrder = defaultDimensionOrder(sizeZ);
    }
  }

  /** The writers' convention: "XYZCT" when there is more than one z, else "XYCT". */
  public static String defaultDimensionOrder(int sizeZ) {
    return sizeZ > 1 ? "XYZCT" : "XYCT";
  }

  /**
   * Pixels metadata with the Python ingest defaults: physical sizes 1.0 µm, channels
   * {@code ch-<i>}/{@code C<i>}.
   */
  public static PixelsMeta of(PixelType type, int sizeT, int sizeC, int sizeZ, int sizeY, int sizeX) {
    List<Channel> ch = new ArrayList<>();
    for (int i = 0; i < sizeC; i++) {
      ch.add(Channel.of(i, null));
    }
    return new PixelsMeta(defaultDimensionOrder(sizeZ), type, sizeX, sizeY, sizeZ, sizeC, sizeT,
        PhysicalSize.um(1.0), PhysicalSize.um(1.0), PhysicalSize.um(1.0), ch);
  }

  /** Size along an axis. */
  public int size(Axis axis) {
    return switch (axis) {
      case T -> sizeT;
      case C -> sizeC;
      case Z -> sizeZ;
      case Y -> sizeY;
      case X -> sizeX;
    };
  }

  /** The TCZYX shape. */
  public long[] shape() {
    return new long[] {sizeT, sizeC, sizeZ, sizeY, sizeX};
  }

  /** Pixels in one plane. */
  public long planePixels() {
    return (long) sizeX * sizeY;
  }

  /** Bytes in one plane. */
  public long planeBytes() {
    return planePixels() * pixelType.byteSize();
  }

  /** Number of (t, c, z) planes. */
  public long planeCount() {
    return (long) sizeT * sizeC * sizeZ;
  }

  /** Bytes of the whole image. */
  public long totalBytes() {
    return planeBytes() * planeCount();
  }

  /** Index of plane (t, c, z) in TCZ order. */
  public long planeIndex(int t, int c, int z) {
    return ((long) t * sizeC + c) * sizeZ + z;
  }

  /** Checks (t, c, z) against the sizes. */
  public void checkPlane(int t, int c, int z) {
    if (t < 0 || t >= sizeT || c < 0 || c >= sizeC || z < 0 || z >= sizeZ) {
      throw new SelectionException("Requested plane (t=" + t + ", c=" + c + ", z=" + z + ") out of range.");
    }
  }

  /** Checks a 2-D region against the plane size. */
  public void checkRegion(int x, int y, int w, int h) {
    if (w <= 0 || h <= 0) {
      throw new SelectionException("roi width and height must be positive");
    }
    if (x < 0 || y < 0) {
      throw new SelectionException("roi origin must be non-negative");
    }
    if ((long) x + w > sizeX || (long) y + h > sizeY) {
      throw new SelectionException("roi is out of bounds");
    }
  }

  /**
   * The checks every {@code ImageSource.readRegion} starts with: plane and region in range, and a
   * destination large enough for the packed region in this pixel type.
   */
  public void checkRead(int t, int c, int z, int x, int y, int w, int h, java.lang.foreign.MemorySegment dst) {
    checkPlane(t, c, z);
    checkRegion(x, y, w, h);
    long need = (long) w * h * pixelType.byteSize();
    if (dst.byteSize() < need) {
      throw new SelectionException("destination holds " + dst.byteSize() + " bytes; region needs " + need);
    }
  }

  /** The same header with another pixel type. */
  public PixelsMeta withPixelType(PixelType type) {
    return new PixelsMeta(dimensionOrder, type, sizeX, sizeY, sizeZ, sizeC, sizeT, physicalSizeX, physicalSizeY, physicalSizeZ, channels);
  }

  /** The same header with other channels. */
  public PixelsMeta withChannels(List<Channel> newChannels) {
    return new PixelsMeta(dimensionOrder, pixelType, sizeX, sizeY, sizeZ, sizeC, sizeT, physicalSizeX, physicalSizeY, physicalSizeZ, newChannels);
  }

  /** The same header with other physical sizes (null for unknown). */
  public PixelsMeta withPhysicalSizes(PhysicalSize x, PhysicalSize y, PhysicalSize z) {
    return new PixelsMeta(dimensionOrder, pixelType, sizeX, sizeY, sizeZ, sizeC, sizeT, x, y, z, channels);
  }

  /** The same header with other sizes (channels are padded with defaults or trimmed). */
  public PixelsMeta withSizes(int t, int c, int z, int y, int x) {
    List<Channel> ch = new ArrayList<>(channels.subList(0, Math.min(c, channels.size())));
    for (int i = ch.size(); i < c; i++) {
      ch.add(Channel.of(i, null));
    }
    return new PixelsMeta(defaultDimensionOrder(z), pixelType, x, y, z, c, t, physicalSizeX, physicalSizeY, physicalSizeZ, ch);
  }
}
