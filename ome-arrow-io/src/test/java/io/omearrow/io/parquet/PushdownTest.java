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
      // the chunk at (z=1, y=64, x=128) is chunk 16 + 4 + 2 = 22 of 64x64 chunks in t, c, z, y, x order
      List<ParquetTable.PageRef> refs = t.pageRefs(0, chunkPixels);
      long first = 22L * 4096;
      long last = first + 4096;
      long needed = 0;
      int overlapping = 0;
      for (ParquetTable.PageRef r : refs) {
        boolean dict = r.header().getType() == org.apache.parquet.format.PageType.DICTIONARY_PAGE;
        if (dict || (r.firstEntry() < last && r.firstEntry() + r.entries() > first)) {
          needed += r.header().getCompressed_page_size();
          overlapping += dict ? 0 : 1;
        }
      }
      long walk = 64L * refs.size();
      assertTrue(overlapping >= 1 && overlapping < refs.size() / 4, overlapping + " of " + refs.size() + " pages");
      assertTrue(roiBytes <= needed + walk, "ROI read " + roiBytes + " bytes; its pages and the header walk are " + (needed + walk));
      assertTrue(needed < pixelColumn / 2, "its pages are " + needed + " of " + pixelColumn + " bytes");
      counting.reset();
      try (Arena arena = Arena.ofConfined()) {
        img.readRegion(0, 0, 0, 192, 192, 64, 64, arena.allocate(64 * 64 * 2)); // chunk 15, walk and dictionary done
      }
      long second = 0;
      for (ParquetTable.PageRef r : refs) {
        if (r.header().getType() != org.apache.parquet.format.PageType.DICTIONARY_PAGE && r.firstEntry() < 16L * 4096
            && r.firstEntry() + r.entries() > 15L * 4096) {
          second += r.header().getCompressed_page_size();
        }
      }
      assertTrue(counting.bytesRead() <= second, "a second chunk reads only its own pages: " + counting.bytesRead() + " <= " + second);
    }
  }
}
