package io.omearrow.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omearrow.core.FormatException;
import io.omearrow.core.PixelType;
import io.omearrow.core.SelectionException;
import io.omearrow.testing.LeakCheckedAllocator;
import io.omearrow.testing.Python;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@ExtendWith(LeakCheckedAllocator.class)
class NpyTest {

  @ParameterizedTest
  @EnumSource(PixelType.class)
  void roundTripsEveryType(PixelType type, BufferAllocator a, @TempDir Path dir) {
    long[] shape = {2, 3, 5};
    byte[] data = new byte[30 * type.byteSize()];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31 + 7);
    }
    Path f = dir.resolve("a.npy");
    Npy.write(f, shape, type, MemorySegment.ofArray(data));
    try (NpyArray arr = Npy.read(f, a)) {
      assertArrayEquals(shape, arr.shape());
      assertEquals(type, arr.type());
      assertArrayEquals(data, arr.segment().toArray(ValueLayout.JAVA_BYTE));
    }
  }

  @Test
  void headerIsPaddedTo64Bytes(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("a.npy");
    Npy.write(f, new long[] {3}, PixelType.UINT16, MemorySegment.ofArray(new short[] {1, 2, 3}));
    byte[] b = Files.readAllBytes(f);
    // 10 bytes of preamble + 58 of dict + newline do not fit 64: the next multiple is 128
    assertEquals(128 + 6, b.length);
    assertEquals(118, (b[8] & 0xFF) | (b[9] & 0xFF) << 8);
    assertEquals('\n', b[127]);
    String header = new String(b, 10, 118, java.nio.charset.StandardCharsets.ISO_8859_1);
    assertEquals("{'descr': '<u2', 'fortran_order': False, 'shape': (3,), }", header.strip());
  }

  static byte[] npy(String dict, byte[] body) {
    int len = dict.length() + 1;
    int pad = (64 - (10 + len) % 64) % 64;
    String h = dict + " ".repeat(pad) + "\n";
    ByteBuffer b = ByteBuffer.allocate(10 + h.length() + body.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length()).put(h.getBytes()).put(body);
    return b.array();
  }

  @Test
  void readsBigEndianAndFortranOrder(BufferAllocator a, @TempDir Path dir) throws IOException {
    // 2x3 int16 [[1,2,3],[4,5,6]] stored Fortran order, big-endian: columns first
    ByteBuffer body = ByteBuffer.allocate(12).order(ByteOrder.BIG_ENDIAN);
    for (short v : new short[] {1, 4, 2, 5, 3, 6}) {
      body.putShort(v);
    }
    Path f = dir.resolve("f.npy");
    Files.write(f, npy("{'descr': '>i2', 'fortran_order': True, 'shape': (2, 3), }", body.array()));
    try (NpyArray arr = Npy.read(f, a)) {
      assertEquals(PixelType.INT16, arr.type());
      assertArrayEquals(new short[] {1, 2, 3, 4, 5, 6}, arr.segment().toArray(ValueLayout.JAVA_SHORT));
    }
  }

  @Test
  void refusesFilesThatLieAboutTheirSize(BufferAllocator a, @TempDir Path dir) throws IOException {
    Path f = dir.resolve("lie.npy");
    Files.write(f, npy("{'descr': '<u2', 'fortran_order': False, 'shape': (100000, 100000), }", new byte[16]));
    FormatException e = assertThrows(FormatException.class, () -> Npy.read(f, a));
    assertEquals(f + ": .npy header declares shape [100000, 100000] of uint16 (20000000000 bytes) but the file holds 16 data bytes",
        e.getMessage());
    Path g = dir.resolve("short.npy");
    Files.write(g, new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) 0xFF, 0x7F});
    assertEquals(g + ": .npy header length 32767 runs past the end of the file (10 bytes)",
        assertThrows(FormatException.class, () -> Npy.read(g, a)).getMessage());
    Path h = dir.resolve("c.npy");
    Files.write(h, npy("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", new byte[8]));
    assertTrue(assertThrows(FormatException.class, () -> Npy.read(h, a)).getMessage().contains("unsupported .npy dtype '<c8'"));
  }

  @Test
  void sourceMapsAxesByRankAndByName(BufferAllocator a, @TempDir Path dir) {
    short[] v = new short[2 * 3 * 4];
    for (int i = 0; i < v.length; i++) {
      v[i] = (short) i;
    }
    Path f = dir.resolve("zyx.npy");
    Npy.write(f, new long[] {2, 3, 4}, PixelType.UINT16, MemorySegment.ofArray(v));
    try (NpySource s = new NpySource(Npy.read(f, a), null, f.toString(), "zyx"); Arena arena = Arena.ofConfined()) {
      assertArrayEquals(new long[] {1, 1, 2, 3, 4}, s.pixels().shape());
      MemorySegment plane = arena.allocate(24);
      s.readPlane(0, 0, 1, plane);
      assertArrayEquals(new short[] {12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23}, plane.toArray(ValueLayout.JAVA_SHORT));
    }
    // the same array named Y, X, C: channels are the fastest axis in the file
    try (NpySource s = new NpySource(Npy.read(f, a), "YXC", f.toString(), "yxc"); Arena arena = Arena.ofConfined()) {
      assertArrayEquals(new long[] {1, 4, 1, 2, 3}, s.pixels().shape());
      MemorySegment plane = arena.allocate(12);
      s.readPlane(0, 1, 0, plane);
      assertArrayEquals(new short[] {1, 5, 9, 13, 17, 21}, plane.toArray(ValueLayout.JAVA_SHORT));
    }
    SelectionException e = assertThrows(SelectionException.class, () -> new NpySource(Npy.read(f, a), "TCZ", f.toString(), "x"));
    assertEquals("dim_order must include 'Y' and 'X' axes.", e.getMessage());
  }

  @Test
  void numpyReadsWhatWeWriteAndWeReadWhatNumpyWrites(BufferAllocator a, @TempDir Path dir) {
    Python.require("numpy");
    Path ours = dir.resolve("ours.npy");
    Npy.write(ours, new long[] {2, 2}, PixelType.FLOAT32, MemorySegment.ofArray(new float[] {1.5f, -2f, 3.25f, 4f}));
    Path theirs = dir.resolve("theirs.npy");
    Python.run("""
        import sys, numpy as np
        a = np.load(sys.argv[1]); assert a.dtype == np.float32 and a.shape == (2, 2) and a.tolist() == [[1.5, -2.0], [3.25, 4.0]], a
        np.save(sys.argv[2], np.asfortranarray(np.arange(12, dtype='>u4').reshape(3, 4)))
        """, ours.toString(), theirs.toString()).check();
    try (NpyArray arr = Npy.read(theirs, a)) {
      assertEquals(PixelType.UINT32, arr.type());
      assertArrayEquals(new long[] {3, 4}, arr.shape());
      assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, arr.segment().toArray(ValueLayout.JAVA_INT));
    }
  }
}
