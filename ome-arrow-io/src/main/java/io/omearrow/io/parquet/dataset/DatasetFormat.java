package io.omearrow.io.parquet.dataset;

import io.omearrow.core.SelectionException;
import io.omearrow.source.ImageFormat;
import io.omearrow.source.ImageSource;
import io.omearrow.source.OpenOptions;
import io.omearrow.source.WriteOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The typed chunk dataset directory for {@link io.omearrow.source.ImageFormats}: opens a
 * directory holding {@code _ome_arrow_dataset.json} (the N-th image with {@code --row N}); writes
 * to a location ending in {@code /} or {@code .omeds}, or to an existing dataset directory.
 */
public final class DatasetFormat implements ImageFormat {
  @Override
  public String name() {
    return "dataset";
  }

  @Override
  public boolean canOpen(String location) {
    return TypedChunkDataset.isDataset(location);
  }

  @Override
  public ImageSource open(String location, OpenOptions options, BufferAllocator allocator) {
    TypedChunkDataset ds = TypedChunkDataset.open(location, allocator);
    try {
      List<String> ids = ds.imageIds();
      if (options.row() < 0 || options.row() >= ids.size()) {
        throw new SelectionException("row_index " + options.row() + " out of range [0, " + ids.size() + ").");
      }
      return ds.image(ids.get((int) options.row())).owning();
    } catch (RuntimeException e) {
      ds.close();
      throw e;
    }
  }

  @Override
  public boolean canWrite(String location) {
    return location.endsWith("/") || location.toLowerCase(java.util.Locale.ROOT).endsWith(".omeds") || TypedChunkDataset.isDataset(location)
        || (Files.isDirectory(Path.of(location)) && !location.endsWith(".parquet"));
  }

  @Override
  public List<String> write(List<? extends ImageSource> images, String location, WriteOptions options, BufferAllocator allocator) {
    int[] chunk = options.chunkShape() == null ? new int[] {1, 512, 512} : options.chunkShape();
    String loc = location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
    DatasetWriter.write(images, loc, chunk, options.compression(), 1, true, allocator);
    return List.of();
  }
}
