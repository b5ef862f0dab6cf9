package io.omearrow.io.parquet.dataset;

import java.nio.file.Files;
import java.nio.file.Path;

/** Placeholder until the dataset reader lands in this branch. */
public final class TypedChunkDataset {
  private TypedChunkDataset() {}

  public static boolean isDataset(String location) {
    try {
      return Files.isRegularFile(Path.of(location).resolve("_ome_arrow_dataset.json"));
    } catch (RuntimeException e) {
      return false;
    }
  }
}
