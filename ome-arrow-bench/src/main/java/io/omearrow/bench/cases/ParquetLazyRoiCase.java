package io.omearrow.bench.cases;

import io.omearrow.bench.Baseline;
import io.omearrow.bench.BenchCase;
import io.omearrow.bench.BenchContext;
import io.omearrow.io.parquet.ParquetImages;
import io.omearrow.source.ImageSource;
import io.omearrow.source.OpenOptions;
import io.omearrow.tensor.Roi;
import io.omearrow.tensor.Selection;
import io.omearrow.tensor.Tensor;
import io.omearrow.tensor.TensorView;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/**
 * {@code parquet.lazy-roi}: open the list-encoded file that stores planes and 256×256 list chunks
 * lazily and materialise a 512×512 ROI at (300, 700) of plane z = 1 (9 chunks touched, partial
 * rows): only the metadata and the data pages of those chunks are read. Compared with the eager
 * read of the whole same file ({@code parquet.read.list}'s operation).
 */
public final class ParquetLazyRoiCase implements BenchCase {
  static final Roi ROI = Roi.of(300, 700, 512, 512);

  private Path file;
  private BufferAllocator allocator;

  @Override
  public String name() {
    return "parquet.lazy-roi";
  }

  @Override
  public long payloadBytes() {
    return ROI.area() * 2;
  }

  @Override
  public void setUp(BenchContext ctx) throws Exception {
    file = ParquetFiles.listChunked(ctx);
    allocator = ctx.allocator();
  }

  @Override
  public void run() {
    try (ImageSource src = ParquetImages.open(file.toString(), OpenOptions.defaults(), allocator, w -> {});
        Tensor roi = TensorView.of(src, Selection.all().z(1).withRoi(ROI).withLayout("YX")).materialize(allocator)) {
      if (roi.byteSize() != payloadBytes()) {
        throw new IllegalStateException("ROI of " + roi.byteSize() + " bytes");
      }
    }
  }

  @Override
  public List<Baseline> baselines() {
    return List.of(Baseline.java("parquet.read.list", () -> ParquetReadListCase.readAll(file, allocator)));
  }
}
