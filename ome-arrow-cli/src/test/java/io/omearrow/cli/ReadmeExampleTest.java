package io.omearrow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omearrow.core.OmeImage;
import io.omearrow.core.OmeImageBuilder;
import io.omearrow.core.PixelType;
import io.omearrow.ipc.ArrowIpc;
import io.omearrow.source.ImageFormats;
import io.omearrow.source.ImageSource;
import io.omearrow.source.OpenOptions;
import io.omearrow.testing.TestData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the README's Java example and checks that the README shows exactly this code. */
class ReadmeExampleTest {

  // --- README example start (the lines between the markers appear verbatim in README.md) ---
  static void example(Path dir) throws Exception {
    Path cells = dir.resolve("cells.arrow");
    try (BufferAllocator allocator = new RootAllocator()) {
      short[] pixels = new short[2 * 3 * 64 * 64];               // C=2, Z=3, 64×64, uint16
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = (short) (i % 4096);
      }
      try (OmeImage image = OmeImageBuilder.of(PixelType.UINT16, 1, 2, 3, 64, 64)
          .chunkShape(1, 32, 32)                                  // planes plus 32×32 chunks
          .fromArray(pixels, allocator)) {
        ArrowIpc.write(cells, List.of(image), null, null, allocator);
      }
      try (ImageSource src = ImageFormats.open(cells.toString(), OpenOptions.defaults(), allocator);
          Arena arena = Arena.ofConfined()) {
        MemorySegment roi = arena.allocate(16 * 16 * 2);
        src.readRegion(0, 1, 2, 24, 24, 16, 16, roi);              // t, c, z, x, y, w, h
        System.out.println(src.pixels().pixelType() + " " + Arrays.toString(src.pixels().shape())
            + " first ROI value " + roi.get(ValueLayout.JAVA_SHORT, 0));
      }
    }
  }
  // --- README example end ---

  @Test
  void exampleRunsAndPrintsTheRoi(@TempDir Path dir) throws Exception {
    PrintStream old = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true));
    try {
      example(dir);
    } finally {
      System.setOut(old);
    }
    // plane (t0, c1, z2) starts at (1*3 + 2) * 4096 values; (x24, y24) adds 24*64+24 = 1560
    int expected = (5 * 4096 + 1560) % 4096;
    assertEquals("uint16 [1, 2, 3, 64, 64] first ROI value " + expected + System.lineSeparator(), out.toString());
  }

  @Test
  void readmeShowsThisCode() throws Exception {
    String readme = Files.readString(TestData.repoRoot().resolve("README.md"));
    String src = Files.readString(TestData.repoRoot().resolve("ome-arrow-cli/src/test/java/io/omearrow/cli/ReadmeExampleTest.java"));
    String body = src.substring(src.indexOf("try (BufferAllocator allocator"), src.indexOf("// --- README example end"));
    for (String line : body.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.equals("}")).toList()) {
      String inReadme = line.replace("cells.toString()", "\"cells.arrow\"").replace("ArrowIpc.write(cells,", "ArrowIpc.write(Path.of(\"cells.arrow\"),");
      assertTrue(readme.contains(inReadme), "README.md lacks the example line: " + inReadme);
    }
  }
}
