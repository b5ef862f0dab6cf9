package io.omearrow.io.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omearrow.core.Axis;
import io.omearrow.core.Channel;
import io.omearrow.core.FormatException;
import io.omearrow.core.ImageMetadata;
import io.omearrow.core.PixelType;
import io.omearrow.core.PixelsMeta;
import io.omearrow.core.SelectionException;
import io.omearrow.io.tiff.ArraySource;
import io.omearrow.io.tiff.Expected;
import io.omearrow.source.ImageFormats;
import io.omearrow.source.ImageSource;
import io.omearrow.source.OpenOptions;
import io.omearrow.source.WriteOptions;
import io.omearrow.testing.ImageSourceContract;
import io.omearrow.testing.LeakCheckedAllocator;
import io.omearrow.testing.TestData;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(LeakCheckedAllocator.class)
class StackPatternTest {
  static final String NVIZ = "E99_C<111,222>_ZS<000-021>.tif";

  static String nviz(String name) {
    return TestData.path("nviz-artificial-4d-dataset") + "/" + name;
  }

  /** The reference's example pattern through the registry: (1, 2, 22, 128, 128) uint16 with tifffile's checksums. */
  @Nested
  class NvizContract extends ImageSourceContract {
    final Expected expected = Expected.of("nviz-artificial-4d-dataset/" + NVIZ);

    @Override
    protected ImageSource open(BufferAllocator allocator) {
      return ImageFormats.open(nviz(NVIZ), OpenOptions.defaults(), allocator);
    }

    @Override
    protected long[] expectedShape() {
      return expected.shape();
    }

    @Override
    protected String expectedDtype() {
      return expected.dtype();
    }

    @Override
    protected List<String> expectedPlaneSha256() {
      return expected.planeSha256();
    }

    @Override
    protected String expectedArraySha256() {
      return expected.sha256All();
    }
  }

  @Test
  void parsesRangesStepsListsAndKeywords() {
    StackPattern p = StackPattern.parse("d/img_t<1-3>_ch<DAPI,GFP>_zs<0-10:5>.tif", Axis.C, Axis.T);
    assertEquals(List.of(
        new StackPattern.Placeholder(Axis.T, List.of("1", "2", "3"), true),
        new StackPattern.Placeholder(Axis.C, List.of("DAPI", "GFP"), false),
        new StackPattern.Placeholder(Axis.Z, List.of("00", "05", "10"), true)), p.placeholders());
    assertEquals(List.of("DAPI", "GFP"), p.channelNamesFromChoices());
    assertEquals(Axis.Z, StackPattern.parse("a_focalplane<7-9>.tif", Axis.C, Axis.T).placeholders().get(0).axis());
    assertEquals(Axis.T, StackPattern.parse("a_timepoint<7>.tif", Axis.C, Axis.T).placeholders().get(0).axis());
    assertEquals(Axis.Z, StackPattern.parse("a_series<1,2>.tif", Axis.C, Axis.Z).placeholders().get(0).axis());
    assertEquals(Axis.C, StackPattern.parse("a_w<1,2>.tif", Axis.T, Axis.T).placeholders().get(0).axis());
    assertEquals(Axis.T, StackPattern.parse("a_well<1,2>.tif", Axis.T, Axis.T).placeholders().get(0).axis(), "unknown word: default dim");
    assertEquals(List.of("008", "009", "010"), StackPattern.parse("z<8-010>.tif", Axis.C, Axis.T).placeholders().get(0).choices());
  }

  @Test
  void refusesMalformedPatterns() {
    SelectionException e = assertThrows(SelectionException.class, () -> StackPattern.parse("a_z<9-3>.tif", Axis.C, Axis.T));
    assertEquals("Invalid range <9-3> in pattern a_z<9-3>.tif: start 9 is after end 3", e.getMessage());
    e = assertThrows(SelectionException.class, () -> StackPattern.parse("a_s<1,2>.tif", Axis.C, null));
    assertEquals("Pattern has a series placeholder but map_series_to is None: a_s<1,2>.tif", e.getMessage());
    e = assertThrows(SelectionException.class, () -> StackPattern.parse("a_z<1,2>_zs<3,4>.tif", Axis.C, Axis.T));
    assertEquals("Two placeholders map to axis Z in pattern a_z<1,2>_zs<3,4>.tif; give them different dimension keywords", e.getMessage());
    e = assertThrows(SelectionException.class, () -> StackPattern.parse("a_z<1,2.tif", Axis.C, Axis.T));
    assertEquals("Unbalanced '<' or '>' in pattern: a_z<1,2.tif", e.getMessage());
  }

  @Test
  void noMatchingFileIsAFormatError(BufferAllocator alloc) {
    String pattern = nviz("E99_C<333,444>_ZS<000-002>.tif");
    FormatException e = assertThrows(FormatException.class, () -> ImageFormats.open(pattern, OpenOptions.defaults(), alloc));
    assertEquals("No files matched pattern: " + pattern, e.getMessage());
  }

  @Test
  void regexWithoutPlaceholdersMatchesTheFolderInSortedOrderAsZ(BufferAllocator alloc) throws Exception {
    try (ImageSource s = ImageFormats.open(nviz("E99_C222_ZS01.*\\.tif"), OpenOptions.defaults(), alloc);
        ImageSource ref = ImageFormats.open(nviz("E99_C222_ZS013.tif"), OpenOptions.defaults(), alloc);
        Arena a = Arena.ofConfined()) {
      assertEquals(List.of(1L, 1L, 10L, 128L, 128L), java.util.Arrays.stream(s.pixels().shape()).boxed().toList());
      MemorySegment p1 = a.allocate(s.pixels().planeBytes());
      MemorySegment p2 = a.allocate(s.pixels().planeBytes());
      s.readPlane(0, 0, 3, p1);
      ref.readPlane(0, 0, 0, p2);
      assertEquals(-1, p1.mismatch(p2));
      assertEquals("E99_C222_ZS01.*\\", s.metadata().id());
    }
  }

  private static ImageMetadata meta(int z, int y, int x) {
    return ImageMetadata.of(PixelsMeta.of(PixelType.INT16, 1, 1, z, y, x));
  }

  private static void write(Path f, ArraySource s, BufferAllocator alloc) {
    ImageFormats.write(List.of(s), f.toString(), WriteOptions.defaults(), alloc);
  }

  @Test
  void missingPlanesAreZerosAndZStacksSpill(@TempDir Path dir, BufferAllocator alloc) throws Exception {
    try (ArraySource c0 = new ArraySource(meta(3, 5, 6), 1); ArraySource c1z0 = new ArraySource(meta(1, 5, 6), 2);
        Arena a = Arena.ofConfined()) {
      write(dir.resolve("s_chGFP_z0.tif"), c0, alloc);
      write(dir.resolve("s_chRFP_z0.tif"), c1z0, alloc);
      try (ImageSource s = ImageFormats.open(dir + "/s_ch<GFP,RFP>_z<0-1>.tif", OpenOptions.defaults(), alloc)) {
        PixelsMeta p = s.pixels();
        assertEquals(List.of(1L, 2L, 3L, 5L, 6L), java.util.Arrays.stream(p.shape()).boxed().toList());
        assertEquals(PixelType.INT16, p.pixelType());
        assertEquals(List.of("GFP", "RFP"), p.channels().stream().map(Channel::name).toList());
        MemorySegment plane = a.allocate(p.planeBytes());
        s.readPlane(0, 0, 2, plane);
        assertEquals(-1, plane.mismatch(c0.data.asSlice(2 * p.planeBytes(), p.planeBytes())), "third z of the Z-stack file");
        s.readPlane(0, 1, 0, plane);
        assertEquals(-1, plane.mismatch(c1z0.data));
        s.readPlane(0, 1, 2, plane);
        assertTrue(isZero(plane), "no file provides c=1 z=2");
      }
      SelectionException e = assertThrows(SelectionException.class, () -> StackSource.open(dir + "/s_ch<GFP,RFP>_z<0-1>.tif", Axis.C, Axis.T,
          List.of("only-one"), OpenOptions.defaults(), alloc));
      assertEquals("channel_names length 1 != size_c 2", e.getMessage());
    }
  }

  private static boolean isZero(MemorySegment s) {
    for (long i = 0; i < s.byteSize(); i++) {
      if (s.get(java.lang.foreign.ValueLayout.JAVA_BYTE, i) != 0) {
        return false;
      }
    }
    return true;
  }

  @Test
  void shapeMismatchIsReported(@TempDir Path dir, BufferAllocator alloc) {
    try (ArraySource a = new ArraySource(meta(1, 5, 6), 1); ArraySource b = new ArraySource(meta(1, 5, 7), 2)) {
      write(dir.resolve("m_z0.tif"), a, alloc);
      write(dir.resolve("m_z1.tif"), b, alloc);
      FormatException e = assertThrows(FormatException.class, () -> ImageFormats.open(dir + "/m_z<0-1>.tif", OpenOptions.defaults(), alloc));
      assertEquals("Shape mismatch for " + dir.resolve("m_z1.tif") + ": expected (Y, X) = (5, 6), got (5, 7)", e.getMessage());
    }
  }
}
