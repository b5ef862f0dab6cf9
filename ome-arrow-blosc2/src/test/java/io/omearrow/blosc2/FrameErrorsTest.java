package io.omearrow.blosc2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lying frames: each gives one clear error naming the file and the byte offset. */
class FrameErrorsTest {
  @TempDir
  Path tmp;

  /** A frame of 3 chunks of 4000 bytes whose offsets index is stored memcpyed (easy to patch). */
  private byte[] frame() throws IOException {
    Path p = tmp.resolve("f.b2frame");
    try (FrameWriter w = FrameWriter.create(p, CompressionParams.of(Codec.LZ4, 5, 2), 4000, Map.of())) {
      for (int i = 0; i < 3; i++) {
        w.append(MemorySegment.ofArray(ChunkCodecTest.sample(4000, 2, i)));
      }
    }
    return Files.readAllBytes(p);
  }

  @Test
  void offsetPastTheEnd() throws IOException {
    byte[] f = frame();
    Frame good = Frame.wrap(f);
    long indexPos = good.header().headerLen() + good.header().cbytes();
    assertTrue(Blosc2Codec.header(MemorySegment.ofArray(f).asSlice(indexPos)).memcpyed());
    ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putLong((int) indexPos + 32 + 8, 1_000_000L);
    Frame bad = Frame.wrap(f);
    Blosc2Exception e = assertThrows(Blosc2Exception.class, () -> bad.chunk(1));
    assertEquals("frame: chunk 1 offset 1000000 points past the chunk area (" + good.header().cbytes()
        + " bytes; corrupt offsets index)", e.getMessage());
  }

  @Test
  void chunkSizeThatDisagreesWithTheFrame() throws IOException {
    byte[] f = frame();
    Frame good = Frame.wrap(f);
    long chunk2 = good.header().headerLen() + good.chunkOffset(2);
    ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putInt((int) chunk2 + 4, 3000);
    Frame bad = Frame.wrap(f);
    Blosc2Exception e = assertThrows(Blosc2Exception.class,
        () -> bad.decompressChunk(2, MemorySegment.ofArray(new byte[4000]), 1));
    assertEquals("frame: chunk 2 at byte " + chunk2 + ": decompresses to 3000 bytes but the frame's chunks are "
        + "4000 bytes (corrupt chunk header)", e.getMessage());
  }

  @Test
  void truncatedAndForeignFiles() throws IOException {
    byte[] f = frame();
    Blosc2Exception e = assertThrows(Blosc2Exception.class,
        () -> Frame.wrap(java.util.Arrays.copyOf(f, 60)));
    assertEquals("frame: 60 bytes is too short for a Blosc2 frame header (87 bytes)", e.getMessage());
    byte[] png = f.clone();
    png[3] = 'X';
    e = assertThrows(Blosc2Exception.class, () -> Frame.wrap(png));
    assertEquals("frame: bad magic (expected \"b2frame\") at byte 2 (not a Blosc2 frame, or a corrupt one)",
        e.getMessage());
  }
}
