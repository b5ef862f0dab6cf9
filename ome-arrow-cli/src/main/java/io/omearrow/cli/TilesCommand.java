package io.omearrow.cli;

import io.omearrow.source.ImageSource;
import io.omearrow.tensor.NpyExport;
import io.omearrow.tensor.SelectionArgs;
import io.omearrow.tensor.TensorView;
import io.omearrow.tensor.ViewSequence;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ome-arrow tiles IN --out DIR (--tile-size H,W | --tile-size-3d D,H,W | --batch-size N)}:
 * iterates a view as a training loader would and writes every item as {@code DIR/NNNNNN.npy}
 * plus {@code DIR/index.json}, in the reference's order. Exceptions propagate to the main class.
 */
@Command(name = "tiles", mixinStandardHelpOptions = true,
    description = "Iterate tiles or batches of an image as a training loader would and write each item as .npy plus index.json.")
public final class TilesCommand implements Callable<Integer> {

  static final class Mode {
    @Option(names = "--tile-size", paramLabel = "H,W", description = "2-D tiles of the ROI (border tiles partial).")
    String tileSize;

    @Option(names = "--tile-size-3d", paramLabel = "D,H,W", description = "3-D tiles: groups of D z planes × H×W tiles, per t.")
    String tileSize3d;

    @Option(names = "--batch-size", paramLabel = "N", description = "Batches of N time points.")
    Integer batchSize;
  }

  @Mixin
  ViewCommand.SelectionOptions options = new ViewCommand.SelectionOptions();

  @ArgGroup(exclusive = true, multiplicity = "1")
  Mode mode;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (written atomically, replaced if present).")
  Path out;

  @Option(names = "--shuffle", description = "Shuffle the items (CPython random.Random(seed).shuffle order).")
  boolean shuffle;

  @Option(names = "--seed", paramLabel = "S", description = "Seed for --shuffle (default: random).")
  Long seed;

  @Option(names = "--prefetch", paramLabel = "N", defaultValue = "2", description = "Items materialised ahead on worker threads (default ${DEFAULT-VALUE}).")
  int prefetch;

  @Option(names = "--quiet", description = "No progress output.")
  boolean quiet;

  /** For picocli. */
  public TilesCommand() {
  }

  @Override
  public Integer call() {
    var selection = options.args().toSelection();
    try (BufferAllocator allocator = new RootAllocator();
        ImageSource source = options.open(allocator)) {
      TensorView view = TensorView.of(source, selection);
      ViewSequence items;
      if (mode.tileSize != null) {
        int[] s = size(mode.tileSize, "--tile-size", 2);
        items = view.iterTiles(s[0], s[1]);
      } else if (mode.tileSize3d != null) {
        int[] s = size(mode.tileSize3d, "--tile-size-3d", 3);
        items = view.iterTiles3d(s[0], s[1], s[2]);
      } else {
        items = view.iterBatches(mode.batchSize);
      }
      if (shuffle) {
        items = items.shuffle(seed != null ? seed : ThreadLocalRandom.current().nextLong());
      }
      items = items.prefetch(prefetch);
      int total = items.size();
      boolean show = !quiet && System.console() != null;
      NpyExport.writeItems(items, out, allocator, show ? n -> System.err.print("\rtiles: " + n + "/" + total) : null);
      if (show) {
        System.err.println();
      }
    }
    return 0;
  }

  private static int[] size(String text, String option, int n) {
    int[] v = SelectionArgs.ints(text, option);
    if (v.length != n) {
      throw new io.omearrow.core.SelectionException(option + ": expected " + n + " comma-separated integers, got '" + text + "'");
    }
    return v;
  }
}
