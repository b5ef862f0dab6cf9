package io.omearrow.io.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omearrow.core.OmeImage;
import io.omearrow.source.ImageSource;
import io.omearrow.source.OpenOptions;
import io.omearrow.source.WriteOptions;
import io.omearrow.testing.LeakCheckedAllocator;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Proves by counting the bytes read that rows, columns and regions read only what they need. */
@ExtendWith(LeakCheckedAllocator.class)
class PushdownTest {
  @TempDir
  Path dir;
  Path file;

  @BeforeEach
  void write(BufferAllocator a) {
    file = dir.resolve("three.parquet");
    try (OmeImage i0 = WriteRoundTripTest.image(a, 1, 1, 2, 256, 256); OmeImage i1 = WriteRoundTripTest.image(a, 1, 1, 2, 256, 256);
        OmeImage i2 = WriteRoundTripTest.image(a, 1, 1, 2, 256, 256)) {
      ParquetImages.write(List.of(i0, i1, i2), file.toString(), WriteOptions.defaults().withChunkShape(new int[] {1, 64, 64}),
          ParquetTableWriter.Options.defaults().withRowsPerGroup(1).withPageBytes(16 * 1024).withCompression("zstd"), a);
    }
  }

  @Test
  void openingOneRowReadsOnlyItsRowGroupsColumn(BufferAllocator a) throws Exception {
    long fileSize = Files.size(file);
    CountingInputFile counting = new CountingInputFile(new LocalInputFile(file));
    try (ParquetTable t = ParquetTable.open(counting, file.toString())) {
      long footer = counting.bytesRead();
      assertEquals(3, t.rowGroupCount());
      counting.reset();
      try (OmeImage img = t.image(1, null, a, w -> { })) {
        PyarrowFilesTest.checkAllPixels(img, 0);
      }
      long group1 = 0;
      for (Node leaf : t.node("ome_arrow").leaves()) {
        group1 += t.chunkMeta(1, leaf).getTotal_compressed_size();
      }
      assertEquals(group1, counting.bytesRead(), "exactly the column chunks of row group 1");
      assertTrue(group1 + footer < fileSize / 2, "row group 1 is a third of the file");
    }
  }

  @Test
  void aLazyRegionReadsOnlyThePagesOfItsChunks(BufferAllocator a) throws Exception {
    CountingInputFile counting = new CountingInputFile(new LocalInputFile(file));
    try (ParquetTable t = ParquetTable.open(counting, file.toString());
        ImageSource img = ParquetImages.open(t, false, OpenOptions.defaults(), a, w -> { })) {
      Node chunkPixels = t.node("ome_arrow").child("chunks").children.get(0).child("pixels").children.get(0);
      long pixelColumn = t.chunkMeta(0, chunkPixels).getTotal_compressed_size();
      counting.reset();
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment roi = arena.allocate(64 * 64 * 2);
        img.readRegion(0, 0, 1, 128, 64, 64, 64, roi);
        for (int y = 0; y < 64; y++) {
          for (int x = 0; x < 64; x++) {
            assertEquals(PyarrowFilesTest.expected(0, 0, 1, 64 + y, 128 + x), Short.toUnsignedInt(roi.getAtIndex(ValueLayout.JAVA_SHORT, y * 64L + x)));
          }
        }
      }
      long roiBytes = counting.bytesRead();
      // one 64x64 chunk of the 32 in the column: its pages plus the page headers, walked once
      assertTrue(roiBytes < pixelColumn / 4, "ROI read " + roiBytes + " bytes of a " + pixelColumn + "-byte pixel column");
      counting.reset();
      try (Arena arena = Arena.ofConfined()) {
        img.readRegion(0, 0, 1, 0, 0, 64, 64, arena.allocate(64 * 64 * 2));
      }
      assertTrue(counting.bytesRead() < pixelColumn / 16, "a second chunk costs only its own pages: " + counting.bytesRead());
    }
  }
}
