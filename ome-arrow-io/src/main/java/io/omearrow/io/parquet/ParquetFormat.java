package io.omearrow.io.parquet;

import io.omearrow.source.ImageFormat;
import io.omearrow.source.ImageFormats;
import io.omearrow.source.ImageSource;
import io.omearrow.source.OpenOptions;
import io.omearrow.source.WriteOptions;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The {@code .parquet} / {@code .ome.parquet} file format (one image per row) for
 * {@link ImageFormats}: opens a row lazily, writes images as rows. A directory holding
 * {@code _ome_arrow_dataset.json} is the dataset format's, not this one's.
 */
public final class ParquetFormat implements ImageFormat {
  @Override
  public String name() {
    return "parquet";
  }

  @Override
  public boolean canOpen(String location) {
    return ImageFormats.fileName(location).endsWith(".parquet") && !io.omearrow.io.parquet.dataset.TypedChunkDataset.isDataset(location);
  }

  @Override
  public ImageSource open(String location, OpenOptions options, BufferAllocator allocator) {
    return ParquetImages.open(location, options, allocator, w -> System.err.println("warning: " + w));
  }

  @Override
  public boolean canWrite(String location) {
    return ImageFormats.fileName(location).endsWith(".parquet");
  }

  @Override
  public List<String> write(List<? extends ImageSource> images, String location, WriteOptions options, BufferAllocator allocator) {
    return ParquetImages.write(images, location, options, allocator);
  }
}
