package io.omearrow.io.mlarray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The test vectors of the reference (verified there against mlarray's own function). */
class ChunkHeuristicTest {
  static long[] longs(String s) {
    return Arrays.stream(s.trim().split(" ")).mapToLong(Long::parseLong).toArray();
  }

  static int[] ints(String s) {
    return Arrays.stream(s.trim().split(" ")).mapToInt(Integer::parseInt).toArray();
  }

  @ParameterizedTest(name = "{0} {1} {2} -> chunks {3}, blocks {4}")
  @CsvSource(delimiter = '|', textBlock = """
      64 64 64      | 2 |                            | 64 64 64    | 32 16 16
      512 512 300   | 4 |                            | 80 64 64    | 16 16 16
      300 512 512   | 4 |                            | 80 64 64    | 16 16 16
      128 128 128   | 1 |                            | 128 128 80  | 32 32 16
      150 150 150   | 8 |                            | 80 64 32    | 16 16 8
      1024 1024     | 1 |                            | 384 256     | 128 128
      1024 1024     | 4 |                            | 320 320     | 64 64
      3 128 128 128 | 4 | channel z y x              | 3 64 64 24  | 3 16 16 8
      128 128 128 2 | 4 | z y x channel              | 80 64 32 2  | 16 16 8 2
      3 512 512     | 4 | channel y x                | 3 448 224   | 3 64 32
      512 512 3     | 1 | y x channel                | 384 192 3   | 128 64 3
      2 3 4         | 4 |                            | 2 3 4       | 2 3 4
      """)
  void matchesMlarray(String shape, int itemsize, String labels, String chunks, String blocks) {
    long[] s = longs(shape);
    boolean[] mask = null;
    int sdims = s.length;
    if (labels != null && !labels.isBlank()) {
      String[] l = labels.trim().split(" ");
      mask = new boolean[l.length];
      sdims = 0;
      for (int i = 0; i < l.length; i++) {
        mask[i] = !l[i].equals("channel");
        sdims += mask[i] ? 1 : 0;
      }
    }
    int[] patch = new int[sdims];
    Arrays.fill(patch, 192);
    ChunkHeuristic.Geometry g = ChunkHeuristic.compute(s, patch, mask, itemsize);
    assertArrayEquals(ints(chunks), g.chunks(), "chunks");
    assertArrayEquals(ints(blocks), g.blocks(), "blocks");
  }

  @Test
  void explicitPatch() {
    ChunkHeuristic.Geometry g = ChunkHeuristic.compute(new long[] {200, 300, 100}, new int[] {160, 192, 64}, null, 4);
    assertArrayEquals(new int[] {80, 128, 32}, g.chunks());
    assertArrayEquals(new int[] {16, 32, 8}, g.blocks());
  }

  @Test
  void rejectsWhatMlarrayRejects() {
    MlArrayException e = assertThrows(MlArrayException.class,
        () -> ChunkHeuristic.compute(new long[] {5, 5, 5, 5, 5}, new int[] {192, 192, 192}, null, 1));
    assertEquals("mlarray's patch-size heuristic needs a 2-D, 3-D or 4-D array, not shape [5, 5, 5, 5, 5] (Python: "
        + "'Image size must be 4D'); pass chunk and block sizes explicitly", e.getMessage());
    e = assertThrows(MlArrayException.class,
        () -> ChunkHeuristic.compute(new long[] {4, 5, 64, 64}, new int[] {192, 192}, new boolean[] {false, false, true, true}, 1));
    assertEquals("mlarray's patch-size heuristic allows at most one non-spatial axis, got 2; pass chunk and block "
        + "sizes explicitly", e.getMessage());
  }
}
