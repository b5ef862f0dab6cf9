package io.omearrow.npy;

import io.omearrow.core.Axis;
import io.omearrow.core.ImageMetadata;
import io.omearrow.core.OmeArrowException;
import io.omearrow.core.PixelsMeta;
import io.omearrow.core.SelectionException;
import io.omearrow.source.ImageSource;
import io.omearrow.source.SourceInfo;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * An {@link ImageSource} over an in-memory {@link NpyArray}: its axes are named by the caller
 * (any order of T, C, Z, Y, X that includes Y and X) or inferred from the rank (2 = YX, 3 = ZYX,
 * 4 = TCYX, 5 = TCZYX); missing axes have size 1. The source owns the array and closes it.
 */
public final class NpySource implements ImageSource {
  private final NpyArray array;
  private final ImageMetadata metadata;
  private final SourceInfo info;
  private final long[] strides = new long[5]; // elements, indexed by Axis ordinal; 0 for absent axes

  /** Wraps an array; {@code axes} null infers them from the rank. Takes ownership of the array. */
  public NpySource(NpyArray array, String axes, String location, String id) {
    this.array = array;
    try {
      long[] shape = array.shape();
      String ax = axes != null ? axes : inferAxes(shape.length);
      Axis[] parsed = Axis.parse(ax);
      if (parsed.length != shape.length) {
        throw new SelectionException("--axes '" + ax + "' names " + parsed.length + " axes but the array has rank " + shape.length
            + " (shape " + Arrays.toString(shape) + ")");
      }
      int[] sizes = {1, 1, 1, 1, 1};
      boolean hasY = false;
      boolean hasX = false;
      long stride = 1;
      for (int i = shape.length - 1; i >= 0; i--) {
        Axis a = parsed[i];
        if (shape[i] > Integer.MAX_VALUE) {
          throw new SelectionException("axis " + a + " of size " + shape[i] + " is too large");
        }
        sizes[a.ordinal()] = (int) shape[i];
        strides[a.ordinal()] = stride;
        stride *= shape[i];
        hasY |= a == Axis.Y;
        hasX |= a == Axis.X;
      }
      if (!hasY || !hasX) {
        throw new SelectionException("dim_order must include 'Y' and 'X' axes.");
      }
      PixelsMeta p = PixelsMeta.of(array.type(), sizes[Axis.T.ordinal()], sizes[Axis.C.ordinal()], sizes[Axis.Z.ordinal()],
          sizes[Axis.Y.ordinal()], sizes[Axis.X.ordinal()]);
      this.metadata = ImageMetadata.of(p).withIdAndName(id, id);
      this.info = SourceInfo.of(location, "npy");
    } catch (RuntimeException e) {
      array.close();
      throw e;
    }
  }

  /** The rank rule of the reference: 2 = YX, 3 = ZYX, 4 = TCYX, 5 = TCZYX. */
  public static String inferAxes(int rank) {
    return switch (rank) {
      case 2 -> "YX";
      case 3 -> "ZYX";
      case 4 -> "TCYX";
      case 5 -> "TCZYX";
      default -> throw new SelectionException("Unable to infer dim_order for tensor rank " + rank + ". Provide dim_order explicitly.");
    };
  }

  @Override
  public ImageMetadata metadata() {
    return metadata;
  }

  @Override
  public SourceInfo info() {
    return info;
  }

  @Override
  public void readRegion(int t, int c, int z, int x, int y, int w, int h, MemorySegment dst) {
    PixelsMeta p = metadata.pixels();
    p.checkRead(t, c, z, x, y, w, h, dst);
    int item = array.type().byteSize();
    MemorySegment src = array.segment();
    long base = t * strides[0] + c * strides[1] + z * strides[2];
    long sy = strides[Axis.Y.ordinal()];
    long sx = strides[Axis.X.ordinal()];
    for (int r = 0; r < h; r++) {
      long rowStart = base + (y + r) * sy + x * sx;
      long dstRow = (long) r * w * item;
      if (sx == 1) {
        MemorySegment.copy(src, rowStart * item, dst, dstRow, (long) w * item);
      } else {
        for (int k = 0; k < w; k++) {
          MemorySegment.copy(src, (rowStart + k * sx) * item, dst, dstRow + (long) k * item, item);
        }
      }
    }
  }

  @Override
  public void close() {
    try {
      array.close();
    } catch (RuntimeException e) {
      throw new OmeArrowException("closing .npy array failed: " + e.getMessage(), e);
    }
  }
}
