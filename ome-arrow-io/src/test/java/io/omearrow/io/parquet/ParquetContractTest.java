package io.omearrow.io.parquet;

import io.omearrow.core.ChunkCompression;
import io.omearrow.core.OmeImage;
import io.omearrow.core.OmeImageBuilder;
import io.omearrow.core.PixelType;
import io.omearrow.io.parquet.dataset.DatasetFormat;
import io.omearrow.source.ImageSource;
import io.omearrow.source.OpenOptions;
import io.omearrow.source.WriteOptions;
import io.omearrow.testing.ImageSourceContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The Parquet and dataset sources pass the ImageSource contract. */
class ParquetContractTest {
  @TempDir
  static Path dir;

  static synchronized String file(String name, WriteOptions o, BufferAllocator a, boolean dataset) {
    Path p = dir.resolve(name);
    if (!Files.exists(p)) {
      short[] px = new short[2 * 2 * 3 * 45 * 61];
      Random r = new Random(7);
      for (int i = 0; i < px.length; i++) {
        px[i] = (short) r.nextInt(65536);
      }
      try (OmeImage img = OmeImageBuilder.of(PixelType.UINT16, 2, 2, 3, 45, 61).encoding("list").buildChunks(false).fromArray(px, a)) {
        if (dataset) {
          new DatasetFormat().write(List.of(img), p.toString(), o, a);
        } else {
          // two rows so that row 1 exercises the eager path
          ParquetImages.write(List.of(img, img), p.toString(), o, ParquetTableWriter.Options.defaults().withRowsPerGroup(2)
              .withPageBytes(4096), a);
        }
      }
    }
    return p.toString();
  }

  abstract static class Base extends ImageSourceContract {
    @Override
    protected long[] expectedShape() {
      return new long[] {2, 2, 3, 45, 61};
    }

    @Override
    protected String expectedDtype() {
      return "uint16";
    }
  }

  @Nested
  class LazyListChunks extends Base {
    @Override
    protected ImageSource open(BufferAllocator a) {
      return ParquetImages.open(file("list.parquet", WriteOptions.defaults().withChunkShape(new int[] {2, 16, 16}), a, false),
          OpenOptions.defaults(), a, w -> { });
    }
  }

  @Nested
  class LazyPlanes extends Base {
    @Override
    protected ImageSource open(BufferAllocator a) {
      return ParquetImages.open(file("planes.parquet", WriteOptions.defaults().withBuildChunks(false), a, false), OpenOptions.defaults(), a,
          w -> { });
    }
  }

  @Nested
  class LazyZstdBytes extends Base {
    @Override
    protected ImageSource open(BufferAllocator a) {
      return ParquetImages.open(file("zstd.parquet", WriteOptions.defaults().withEncoding("bytes").withChunkShape(new int[] {1, 16, 16})
          .withChunkCompression(ChunkCompression.ZSTD), a, false), OpenOptions.defaults(), a, w -> { });
    }
  }

  @Nested
  class EagerSecondRow extends Base {
    @Override
    protected ImageSource open(BufferAllocator a) {
      return ParquetImages.open(file("list.parquet", WriteOptions.defaults().withChunkShape(new int[] {2, 16, 16}), a, false),
          OpenOptions.defaults().withRow(1), a, w -> { });
    }
  }

  @Nested
  class Dataset extends Base {
    @Override
    protected ImageSource open(BufferAllocator a) {
      return new DatasetFormat().open(file("ds.omeds", WriteOptions.defaults().withChunkShape(new int[] {2, 16, 16}), a, true),
          OpenOptions.defaults(), a);
    }
  }
}
