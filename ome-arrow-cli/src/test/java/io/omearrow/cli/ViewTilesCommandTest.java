package io.omearrow.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omearrow.core.PixelType;
import io.omearrow.core.SelectionException;
import io.omearrow.npy.Npy;
import io.omearrow.npy.NpyArray;
import io.omearrow.testing.LeakCheckedAllocator;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `view` and `tiles` on a .npy input: values, shapes, file names, index.json, errors. */
@ExtendWith(LeakCheckedAllocator.class)
class ViewTilesCommandTest {

  /** arange(2*3*1*4*5) uint16 as TCZYX (T2 C3 Z1 Y4 X5). */
  private static Path input(Path dir) {
    short[] v = new short[120];
    for (int i = 0; i < v.length; i++) {
      v[i] = (short) i;
    }
    Path p = dir.resolve("in.npy");
    Npy.write(p, new long[] {2, 3, 1, 4, 5}, PixelType.UINT16, MemorySegment.ofArray(v));
    return p;
  }

  private static int[] values(NpyArray a) {
    int[] out = new int[(int) a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = Short.toUnsignedInt(a.segment().get(ValueLayout.JAVA_SHORT_UNALIGNED, 2L * i));
    }
    return out;
  }

  @Test
  void viewWritesTheSelection(@TempDir Path dir, BufferAllocator a) {
    Path in = input(dir);
    Path out = dir.resolve("out.npy");
    int rc = new CommandLine(new ViewCommand()).execute(in.toString(), "--out", out.toString(), "--t", "-1", "--z", "0", "--c", "2:0:-2",
        "--roi", "1,2,3,2", "--layout", "YXC");
    assertEquals(0, rc);
    try (NpyArray r = Npy.read(out, a)) {
      assertArrayEquals(new long[] {2, 3, 1}, r.shape());
      // t=1, c=2: base (1*3+2)*20 = 100; rows y=2,3, columns x=1..3
      assertArrayEquals(new int[] {111, 112, 113, 116, 117, 118}, values(r));
    }
  }

  @Test
  void viewErrorsPropagateWithTheReferenceMessage(@TempDir Path dir) {
    Path in = input(dir);
    ViewCommand cmd = new ViewCommand();
    new CommandLine(cmd).parseArgs(in.toString(), "--out", dir.resolve("x.npy").toString(), "--t", "5");
    assertEquals("t index 5 out of range", assertThrows(SelectionException.class, cmd::call).getMessage());
    ViewCommand tile = new ViewCommand();
    new CommandLine(tile).parseArgs(in.toString(), "--out", dir.resolve("x.npy").toString(), "--tile", "0,0");
    assertEquals("tile selection requires chunk_grid metadata", assertThrows(SelectionException.class, tile::call).getMessage());
    ViewCommand bad = new ViewCommand();
    new CommandLine(bad).parseArgs(in.toString(), "--out", dir.resolve("x.npy").toString(), "--z", "1:x");
    assertTrue(assertThrows(SelectionException.class, bad::call).getMessage().startsWith("--z: cannot parse selection '1:x'"));
    assertFalse(Files.exists(dir.resolve("x.npy")));
    assertEquals(2, new CommandLine(new ViewCommand()).execute(in.toString(), "--out", "o.npy", "--bogus"));
  }

  @Test
  void tilesWritesItemsAndIndex(@TempDir Path dir, BufferAllocator a) throws Exception {
    Path in = input(dir);
    Path out = dir.resolve("tiles");
    int rc = new CommandLine(new TilesCommand()).execute(in.toString(), "--out", out.toString(), "--tile-size", "3,3", "--t", "0",
        "--z", "0", "--c", "0", "--layout", "YX", "--quiet");
    assertEquals(0, rc);
    try (NpyArray r = Npy.read(out.resolve("000003.npy"), a)) {
      assertArrayEquals(new long[] {1, 2}, r.shape());
      assertArrayEquals(new int[] {18, 19}, values(r));
    }
    assertEquals(5, Files.list(out).count());
    String index = Files.readString(out.resolve("index.json"));
    assertTrue(index.contains("{\"t\": [0], \"z\": [0], \"c\": [0], \"roi\": [3, 3, 2, 1], \"shape\": [1, 2]}"), index);
    assertTrue(index.startsWith("[\n  {\"t\": [0], \"z\": [0], \"c\": [0], \"roi\": [0, 0, 3, 3], \"shape\": [3, 3]},"), index);
  }

  @Test
  void tilesBatchesShuffled(@TempDir Path dir, BufferAllocator a) throws Exception {
    Path in = input(dir);
    Path out = dir.resolve("batches");
    assertEquals(0, new CommandLine(new TilesCommand()).execute(in.toString(), "--out", out.toString(), "--batch-size", "1", "--shuffle",
        "--seed", "1", "--quiet"));
    // random.Random(1).shuffle([0, 1]) gives [1, 0]
    try (NpyArray r = Npy.read(out.resolve("000000.npy"), a)) {
      assertArrayEquals(new long[] {1, 1, 3, 4, 5}, r.shape());
      assertEquals(60, values(r)[0]);
    }
    assertEquals(2, new CommandLine(new TilesCommand()).execute(in.toString(), "--out", out.toString(), "--batch-size", "1",
        "--tile-size", "2,2"));
  }
}
