package io.omearrow.io.parquet.dataset;

import io.omearrow.core.ImageMetadata;
import io.omearrow.source.ImageSource;
import io.omearrow.source.SourceInfo;
import java.lang.foreign.MemorySegment;

/**
 * One image of a {@link TypedChunkDataset} as an {@link ImageSource}: regions read only the
 * chunk row groups they overlap. Owns the dataset when opened through {@link DatasetFormat}
 * (closing the image closes it); otherwise borrows it.
 */
public final class DatasetImageSource implements ImageSource {
  private final TypedChunkDataset dataset;
  private final String imageId;
  private final SourceInfo info;
  private boolean ownsDataset;

  DatasetImageSource(TypedChunkDataset dataset, String imageId, int images) {
    this.dataset = dataset;
    this.imageId = imageId;
    this.info = new SourceInfo(dataset.directory().toString(), "dataset", images, null, null, images);
  }

  DatasetImageSource owning() {
    ownsDataset = true;
    return this;
  }

  public String imageId() {
    return imageId;
  }

  @Override
  public ImageMetadata metadata() {
    return dataset.metadata(imageId);
  }

  @Override
  public SourceInfo info() {
    return info;
  }

  @Override
  public void readRegion(int t, int c, int z, int x, int y, int w, int h, MemorySegment dst) {
    dataset.readRegion(imageId, t, c, z, x, y, w, h, dst);
  }

  @Override
  public void close() {
    if (ownsDataset) {
      ownsDataset = false;
      dataset.close();
    }
  }
}
