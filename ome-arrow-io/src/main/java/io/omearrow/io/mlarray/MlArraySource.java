package io.omearrow.io.mlarray;

import io.omearrow.core.Axis;
import io.omearrow.core.Channel;
import io.omearrow.core.FormatException;
import io.omearrow.core.ImageMetadata;
import io.omearrow.core.PhysicalSize;
import io.omearrow.core.PixelType;
import io.omearrow.core.PixelsMeta;
import io.omearrow.core.SelectionException;
import io.omearrow.source.ImageSource;
import io.omearrow.source.SourceInfo;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An {@code .mla} (or plain {@code .b2nd}) file as a lazy {@link ImageSource}: metadata at open,
 * pixels decoded per region from the memory-mapped file, touching only the chunks and blocks a
 * region needs.
 *
 * <p>Axes: mlarray axis labels map to OME axes ({@code spatial_x/y/z} to X/Y/Z, {@code channel}
 * to C, {@code temporal} to T; plain {@code spatial} labels fill X, Y, Z from the last axis
 * backwards; other non-spatial labels take C, then T). Unlabelled arrays are read as YX (2-D),
 * ZYX (3-D), CZYX (4-D) or TCZYX (5-D); {@code axes} overrides this with letters such as "ZCYX".
 * Physical sizes come from {@code spacing} (or the column norms of {@code affine}) in the unit
 * of {@code axis_units}, else "mm" (mlarray's medical-imaging convention).
 *
 * <p>Memory: the source owns the file mapping until {@link #close()}; destinations belong to the
 * caller. Pixels are delivered little-endian even for big-endian dtypes. Thread-safe.
 */
public final class MlArraySource implements ImageSource {
  private final MlArray array;
  private final ImageMetadata metadata;
  private final SourceInfo info;
  /** Array axis index of each OME axis (T, C, Z, Y, X order), -1 when absent. */
  private final int[] axisOf = {-1, -1, -1, -1, -1};
  private final PixelType type;
  private final boolean swap;
  private volatile boolean closed;

  private MlArraySource(MlArray array, String axes, String location) {
    this.array = array;
    long[] shape = array.shape();
    int nd = shape.length;
    String dtype = array.dtype();
    this.type = pixelType(dtype, location);
    this.swap = dtype.startsWith(">") && type.byteSize() > 1;
    Axis[] order = axes != null ? Axis.parse(axes) : inferAxes(array.meta().spatial(), nd, location);
    if (order.length != nd) {
      throw new SelectionException("axes '" + axes + "' name " + order.length + " axes but " + location + " has "
          + nd + " (shape " + Arrays.toString(shape) + ")");
    }
    int[] sizes = {1, 1, 1, 1, 1};
    for (int d = 0; d < nd; d++) {
      int o = omeIndex(order[d]);
      if (axisOf[o] >= 0) {
        throw new SelectionException(location + ": axis " + order[d] + " appears twice in " + Arrays.toString(order));
      }
      if (shape[d] > Integer.MAX_VALUE) {
        throw new SelectionException(location + ": axis " + order[d] + " of size " + shape[d] + " is too large");
      }
      axisOf[o] = d;
      sizes[o] = (int) shape[d];
    }
    if (axisOf[3] < 0 || axisOf[4] < 0) {
      throw new SelectionException(location + ": an image needs Y and X axes; got " + Arrays.toString(order)
          + " (pass axes such as \"ZYX\")");
    }
    PhysicalSize[] phys = physicalSizes(array.meta().spatial(), order);
    List<Channel> channels = new ArrayList<>();
    for (int c = 0; c < sizes[1]; c++) {
      channels.add(Channel.of(c, null));
    }
    PixelsMeta p = new PixelsMeta(null, type, sizes[4], sizes[3], sizes[2], sizes[1], sizes[0], phys[4], phys[3],
        phys[2], channels);
    String stem = Path.of(location).getFileName().toString().replaceFirst("\\.(mla|b2nd)$", "");
    this.metadata = ImageMetadata.of(p).withIdAndName(stem, stem);
    this.info = SourceInfo.of(location, "mlarray");
  }

  /** Opens a file; {@code axes} (letters such as "CZYX") or null to derive them from the labels. */
  public static MlArraySource open(Path path, String axes) {
    MlArray a = MlArray.open(path);
    try {
      return new MlArraySource(a, axes, path.toString());
    } catch (RuntimeException e) {
      a.close();
      throw e;
    }
  }

  /** The underlying mlarray file (metadata, b2nd array). */
  public MlArray mlArray() {
    return array;
  }

  private static int omeIndex(Axis a) {
    return switch (a) {
      case T -> 0;
      case C -> 1;
      case Z -> 2;
      case Y -> 3;
      case X -> 4;
      default -> throw new SelectionException("axis " + a + " is not one of T, C, Z, Y, X");
    };
  }

  static PixelType pixelType(String dtype, String where) {
    String body = dtype.length() > 1 && "<>|=".indexOf(dtype.charAt(0)) >= 0 ? dtype.substring(1) : dtype;
    return switch (body) {
      case "u1", "b1" -> PixelType.UINT8;
      case "i1" -> PixelType.INT8;
      case "u2" -> PixelType.UINT16;
      case "i2" -> PixelType.INT16;
      case "u4" -> PixelType.UINT32;
      case "i4" -> PixelType.INT32;
      case "u8" -> PixelType.UINT64;
      case "i8" -> PixelType.INT64;
      case "f4" -> PixelType.FLOAT32;
      case "f8" -> PixelType.FLOAT64;
      default -> throw new FormatException(where + ": dtype '" + dtype + "' has no OME pixel type (supported: "
          + "integers, float32, float64, bool)");
    };
  }

  static Axis[] inferAxes(Spatial s, int nd, String where) {
    List<String> labels = s.axisLabels();
    if (labels == null) {
      return switch (nd) {
        case 2 -> Axis.parse("YX");
        case 3 -> Axis.parse("ZYX");
        case 4 -> Axis.parse("CZYX");
        case 5 -> Axis.parse("TCZYX");
        default -> throw new SelectionException(where + ": cannot map a " + nd + "-D array without axis labels to "
            + "TCZYX; pass axes explicitly");
      };
    }
    Axis[] out = new Axis[nd];
    List<Axis> spatialFill = new ArrayList<>(List.of(Axis.X, Axis.Y, Axis.Z));
    List<Axis> otherFill = new ArrayList<>(List.of(Axis.C, Axis.T));
    for (int d = 0; d < nd; d++) {
      switch (labels.get(d)) {
        case "spatial_x" -> out[d] = Axis.X;
        case "spatial_y" -> out[d] = Axis.Y;
        case "spatial_z" -> out[d] = Axis.Z;
        case "channel" -> out[d] = Axis.C;
        case "temporal" -> out[d] = Axis.T;
        default -> { }
      }
      if (out[d] != null) {
        spatialFill.remove(out[d]);
        otherFill.remove(out[d]);
      }
    }
    for (int d = nd - 1; d >= 0; d--) {
      if (out[d] == null && labels.get(d).equals("spatial")) {
        if (spatialFill.isEmpty()) {
          throw new SelectionException(where + ": more than three spatial axes in " + labels);
        }
        out[d] = spatialFill.remove(0);
      }
    }
    for (int d = 0; d < nd; d++) {
      if (out[d] == null) {
        if (otherFill.isEmpty()) {
          throw new SelectionException(where + ": cannot map axis labels " + labels + " to TCZYX; pass axes explicitly");
        }
        out[d] = otherFill.remove(0);
      }
    }
    return out;
  }

  static PhysicalSize[] physicalSizes(Spatial s, Axis[] order) {
    PhysicalSize[] out = new PhysicalSize[5];
    List<Double> spacing = s.spacing();
    if (spacing == null && s.affine() != null) {
      spacing = new ArrayList<>();
      int sd = s.affine().size() - 1;
      for (int j = 0; j < sd; j++) {
        double n = 0;
        for (int i = 0; i < sd; i++) {
          double v = s.affine().get(i).get(j);
          n += v * v;
        }
        spacing.add(Math.sqrt(n));
      }
    }
    if (spacing == null) {
      return out;
    }
    int k = 0;
    for (int d = 0; d < order.length; d++) {
      if (!s.isSpatial(d)) {
        continue;
      }
      if (k >= spacing.size()) {
        break;
      }
      String unit = s.axisUnits() != null && d < s.axisUnits().size() && !s.axisUnits().get(d).isEmpty()
          ? s.axisUnits().get(d) : "mm";
      out[omeIndex(order[d])] = new PhysicalSize(spacing.get(k++), unit);
    }
    return out;
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
    if (closed) {
      throw new IllegalStateException(info.location() + ": source is closed");
    }
    PixelsMeta p = metadata.pixels();
    p.checkRead(t, c, z, x, y, w, h, dst);
    int item = type.byteSize();
    long need = (long) w * h * item;
    int nd = array.shape().length;
    long[] start = new long[nd];
    long[] stop = new long[nd];
    int[] pos = {t, c, z, y, x};
    int[] ext = {1, 1, 1, h, w};
    for (int o = 0; o < 5; o++) {
      int d = axisOf[o];
      if (d >= 0) {
        start[d] = pos[o];
        stop[d] = pos[o] + ext[o];
      }
    }
    if (axisOf[3] < axisOf[4]) {
      array.readRegion(start, stop, dst);
    } else {
      // X comes before Y in the array: read the w x h block and transpose it into rows.
      MemorySegment tmp = MemorySegment.ofArray(new byte[(int) need]);
      array.readRegion(start, stop, tmp);
      for (int yy = 0; yy < h; yy++) {
        for (int xx = 0; xx < w; xx++) {
          MemorySegment.copy(tmp, ((long) xx * h + yy) * item, dst, ((long) yy * w + xx) * item, item);
        }
      }
    }
    if (swap) {
      swapBytes(dst, need, item);
    }
  }

  private static void swapBytes(MemorySegment s, long n, int item) {
    for (long off = 0; off < n; off += item) {
      switch (item) {
        case 2 -> s.set(ValueLayout.JAVA_SHORT_UNALIGNED, off, Short.reverseBytes(s.get(ValueLayout.JAVA_SHORT_UNALIGNED, off)));
        case 4 -> s.set(ValueLayout.JAVA_INT_UNALIGNED, off, Integer.reverseBytes(s.get(ValueLayout.JAVA_INT_UNALIGNED, off)));
        default -> s.set(ValueLayout.JAVA_LONG_UNALIGNED, off, Long.reverseBytes(s.get(ValueLayout.JAVA_LONG_UNALIGNED, off)));
      }
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      array.close();
    }
  }
}
