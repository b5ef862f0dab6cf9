package io.omearrow.cli;

import io.omearrow.source.ImageFormats;
import io.omearrow.source.ImageSource;
import io.omearrow.source.OpenOptions;
import io.omearrow.tensor.NpyExport;
import io.omearrow.tensor.SelectionArgs;
import io.omearrow.tensor.TensorView;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ome-arrow view IN --out OUT.npy [selection options]}: builds a tensor view with exactly
 * the given selections (reference semantics) and writes it, materialised, as a .npy file.
 * Exceptions propagate to the main class, which maps them to exit codes.
 */
@Command(name = "view", mixinStandardHelpOptions = true,
    description = "Select planes, a region and a layout of an image and write them as a NumPy .npy file.")
public final class ViewCommand implements Callable<Integer> {

  /** The input and selection options shared by {@code view} and {@code tiles}. */
  public static final class SelectionOptions {
    @Parameters(index = "0", paramLabel = "IN", description = "Input image (.ome.parquet, .ome.tiff, .arrow, .npy, ...).")
    String input;

    @Option(names = "--t", paramLabel = "SEL", description = "Time points: index (negative from the end), start:stop[:step] or a list 0,2,2.")
    String t;

    @Option(names = "--z", paramLabel = "SEL", description = "Z planes (same forms as --t).")
    String z;

    @Option(names = "--c", paramLabel = "SEL", description = "Channels (same forms as --t).")
    String c;

    @Option(names = "--roi", paramLabel = "X,Y,W,H", description = "2-D region in pixels.")
    String roi;

    @Option(names = "--roi3d", paramLabel = "X,Y,Z,W,H,D", description = "3-D region: roi X,Y,W,H and z Z..Z+D.")
    String roi3d;

    @Option(names = "--roi-nd", paramLabel = "V,V,...", description = "N-d region (min inclusive, max exclusive), see --roi-type.")
    String roiNd;

    @Option(names = "--roi-type", paramLabel = "TYPE", description = "2d, 2d_timelapse, 3d or 4d (inferred for 4 or 8 values).")
    String roiType;

    @Option(names = "--tile", paramLabel = "TY,TX", description = "One tile of the chunk grid.")
    String tile;

    @Option(names = "--layout", paramLabel = "L", description = "Axis order, a subset of TZCYX (H/W accepted); default CYX for one t and one z, else TZCYX.")
    String layout;

    @Option(names = "--dtype", paramLabel = "D", description = "Element type of the output (uint8 ... float64); integers narrow by wrapping as NumPy's astype.")
    String dtype;

    @Option(names = "--channel-policy", paramLabel = "P", description = "error (default) or first: what a layout without C does with several channels.")
    String channelPolicy;

    @Option(names = "--column", paramLabel = "NAME", description = "OME-Arrow column of a table (default ome_arrow, then auto-detection).")
    String column;

    @Option(names = "--row", paramLabel = "N", description = "Row of the table (default 0).")
    Long row;

    @Option(names = "--series", paramLabel = "N", description = "Image of a multi-image source (default 0).")
    Integer series;

    @Option(names = "--axes", paramLabel = "AXES", description = "Axes of a .npy input, e.g. TCZYX (default by rank).")
    String axes;

    SelectionArgs args() {
      return new SelectionArgs(t, z, c, roi, roi3d, roiNd, roiType, tile, layout, dtype, channelPolicy);
    }

    OpenOptions openOptions() {
      OpenOptions o = OpenOptions.defaults();
      if (column != null) {
        o = o.withColumn(column);
      }
      if (row != null) {
        o = o.withRow(row);
      }
      if (series != null) {
        o = o.withSeries(series);
      }
      if (axes != null) {
        o = o.withAxes(axes);
      }
      return o;
    }

    /** Opens the input and builds the view; the caller closes the returned source. */
    ImageSource open(BufferAllocator allocator) {
      return ImageFormats.open(input, openOptions(), allocator);
    }
  }

  @picocli.CommandLine.Mixin
  SelectionOptions options = new SelectionOptions();

  @Option(names = "--out", required = true, paramLabel = "OUT.npy", description = "Output .npy file (written atomically).")
  Path out;

  /** For picocli. */
  public ViewCommand() {
  }

  @Override
  public Integer call() {
    var selection = options.args().toSelection();
    try (BufferAllocator allocator = new RootAllocator();
        ImageSource source = options.open(allocator)) {
      NpyExport.writeView(TensorView.of(source, selection), out, allocator);
    }
    return 0;
  }
}
