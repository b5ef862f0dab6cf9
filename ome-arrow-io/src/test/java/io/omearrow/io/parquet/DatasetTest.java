package io.omearrow.io.parquet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.omearrow.core.OmeImage;
import io.omearrow.core.OmeImageBuilder;
import io.omearrow.core.PixelType;
import io.omearrow.core.SelectionException;
import io.omearrow.io.parquet.dataset.DatasetImageSource;
import io.omearrow.io.parquet.dataset.DatasetWriter;
import io.omearrow.io.parquet.dataset.TypedChunkDataset;
import io.omearrow.source.ImageFormats;
import io.omearrow.source.ImageSource;
import io.omearrow.source.OpenOptions;
import io.omearrow.source.WriteOptions;
import io.omearrow.testing.LeakCheckedAllocator;
import io.omearrow.testing.Python;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Typed chunk dataset directories: the reference's layout read by us, ours read by pyarrow. */
@ExtendWith(LeakCheckedAllocator.class)
class DatasetTest {
  @TempDir
  Path dir;

  static OmeImage a(BufferAllocator al) {
    short[] px = new short[2 * 6 * 7];
    for (int i = 0; i < px.length; i++) {
      px[i] = (short) i;
    }
    return OmeImageBuilder.of(io.omearrow.core.ImageMetadata.of(io.omearrow.core.PixelsMeta.of(PixelType.UINT16, 1, 1, 2, 6, 7))
        .withIdAndName("a", "a")).fromArray(px, al);
  }

  static OmeImage b(BufferAllocator al) {
    byte[] px = new byte[2 * 2 * 5 * 6];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) (i % 251);
    }
    return OmeImageBuilder.of(io.omearrow.core.ImageMetadata.of(io.omearrow.core.PixelsMeta.of(PixelType.UINT8, 1, 2, 2, 5, 6))
        .withIdAndName("b", "b")).fromArray(px, al);
  }

  static void checkDataset(String location, BufferAllocator al) {
    try (TypedChunkDataset ds = TypedChunkDataset.open(location, al)) {
      assertEquals(List.of("a", "b"), ds.imageIds());
      assertEquals(PixelType.UINT8, ds.metadata("b").pixels().pixelType());
      assertArrayEquals(new long[] {1, 2, 2, 5, 6}, ds.metadata("b").pixels().shape());
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment plane = arena.allocate(6 * 7 * 2);
        ds.readRegion("a", 0, 0, 1, 0, 0, 7, 6, plane);
        for (int i = 0; i < 42; i++) {
          assertEquals(42 + i, plane.getAtIndex(ValueLayout.JAVA_SHORT, i));
        }
        MemorySegment roi = arena.allocate(4 * 4 * 2);
        ds.readRegion("a", 0, 0, 1, 3, 2, 4, 4, roi);
        for (int y = 0; y < 4; y++) {
          for (int x = 0; x < 4; x++) {
            assertEquals(42 + (2 + y) * 7 + 3 + x, roi.getAtIndex(ValueLayout.JAVA_SHORT, y * 4L + x));
          }
        }
        MemorySegment bp = arena.allocate(30);
        ds.readRegion("b", 0, 1, 1, 0, 0, 6, 5, bp);
        for (int i = 0; i < 30; i++) {
          assertEquals((90 + i) % 251, Byte.toUnsignedInt(bp.get(ValueLayout.JAVA_BYTE, i)));
        }
      }
      assertThrows(SelectionException.class, () -> ds.metadata("nope"), "image_id not found: nope");
    }
  }

  @Test
  void readsTheReferenceLayoutWrittenByPyarrow(BufferAllocator al) throws IOException {
    Python.require("numpy", "pyarrow");
    Path ds = dir.resolve("ref.ome.parquet");
    Python.run(PyarrowFilesTest.script("make_dataset.py"), "write", ds.toString()).check();
    checkDataset(ds.toString(), al);
    try (ImageSource img = ImageFormats.open(ds.toString(), OpenOptions.defaults().withRow(1), al)) {
      assertInstanceOf(DatasetImageSource.class, img);
      assertEquals("dataset", img.info().encoding());
      assertEquals(2, img.info().rows());
    }
  }

  @Test
  void writesTheReferenceLayoutReadByUsAndPyarrow(BufferAllocator al) throws IOException {
    Path ds = dir.resolve("ours.omeds");
    try (OmeImage a = a(al); OmeImage b = b(al)) {
      DatasetWriter.write(List.of(a, b), ds.toString(), new int[] {1, 3, 4}, "zstd", 4, true, al);
      assertThrows(SelectionException.class, () -> DatasetWriter.write(List.of(a, a), dir.resolve("dup").toString(), new int[] {1, 3, 4},
          "zstd", 1, true, al));
      List<String> warnings = ImageFormats.write(List.of(a, b), dir.resolve("via-format.omeds").toString(),
          WriteOptions.defaults().withChunkShape(new int[] {1, 3, 4}), al);
      assertEquals(List.of(), warnings);
    }
    checkDataset(ds.toString(), al);
    checkDataset(dir.resolve("via-format.omeds").toString(), al);
    try (ParquetTable t = ParquetTable.open(ds.resolve("chunks.parquet").toString())) {
      assertEquals(6, t.rowGroupCount()); // a: 2*2*2 = 8 chunks, b: 2*2*2*2 = 16; 24 chunks, 4 per row group
    }
    Python.require("numpy", "pyarrow");
    Python.run(PyarrowFilesTest.script("make_dataset.py"), "check", ds.toString()).check();
  }
}
