package io.omearrow.bench.cases;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.Deflater;

/**
 * Writes the benchmark image as a classic little-endian multi-page TIFF of uint16 pages in
 * square tiles, Adobe Deflate (compression 8) with the horizontal predictor (predictor 2). Our
 * OME-TIFF writer has no predictor option, so the {@code tiff.read.deflate-tiled} input is
 * written here; every reader (ours, tifffile) reads this same file.
 */
final class TiledTiffWriter {
  private TiledTiffWriter() {}

  /** {@code planes} planes of {@code size}×{@code size} uint16 from {@code px} (C order, LE). */
  static void write(Path target, MemorySegment px, int planes, int size, int tile, int level) throws IOException {
    int tilesAcross = (size + tile - 1) / tile;
    int tiles = tilesAcross * tilesAcross;
    short[] block = new short[tile * tile];
    byte[] raw = new byte[tile * tile * 2];
    byte[] comp = new byte[raw.length * 2 + 1024];
    Deflater deflater = new Deflater(level);
    try (FileChannel ch = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      long pos = 8;
      long[][] offsets = new long[planes][tiles];
      long[][] counts = new long[planes][tiles];
      ch.position(pos);
      for (int p = 0; p < planes; p++) {
        for (int ty = 0; ty < tilesAcross; ty++) {
          for (int tx = 0; tx < tilesAcross; tx++) {
            java.util.Arrays.fill(block, (short) 0);
            for (int y = 0; y < tile && ty * tile + y < size; y++) {
              int w = Math.min(tile, size - tx * tile);
              long src = ((long) p * size * size + (long) (ty * tile + y) * size + tx * tile) * 2;
              MemorySegment.copy(px, ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), src, block, y * tile, w);
            }
            ByteBuffer bb = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
            for (int y = 0; y < tile; y++) {
              short prev = 0;
              for (int x = 0; x < tile; x++) {
                short v = block[y * tile + x];
                bb.putShort((short) (v - prev));
                prev = v;
              }
            }
            deflater.reset();
            deflater.setInput(raw);
            deflater.finish();
            int n = 0;
            while (!deflater.finished()) {
              n += deflater.deflate(comp, n, comp.length - n);
            }
            int i = ty * tilesAcross + tx;
            offsets[p][i] = pos;
            counts[p][i] = n;
            pos += ch.write(ByteBuffer.wrap(comp, 0, n));
          }
        }
      }
      deflater.end();
      // IFDs with their out-of-line arrays (tile offsets, tile byte counts)
      long[] ifdPos = new long[planes];
      int entries = 11;
      for (int p = 0; p < planes; p++) {
        pos += pos & 1;
        ifdPos[p] = pos;
        long arrays = pos + 2 + entries * 12L + 4;
        ByteBuffer b = ByteBuffer.allocate((int) (arrays - pos + tiles * 8L)).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) entries);
        entry(b, 256, 4, 1, size); // ImageWidth
        entry(b, 257, 4, 1, size); // ImageLength
        entry(b, 258, 3, 1, 16); // BitsPerSample
        entry(b, 259, 3, 1, 8); // Compression: Adobe Deflate
        entry(b, 262, 3, 1, 1); // Photometric: min-is-black
        entry(b, 277, 3, 1, 1); // SamplesPerPixel
        entry(b, 317, 3, 1, 2); // Predictor: horizontal
        entry(b, 322, 3, 1, tile); // TileWidth
        entry(b, 323, 3, 1, tile); // TileLength
        entry(b, 324, 4, tiles, arrays); // TileOffsets
        entry(b, 325, 4, tiles, arrays + tiles * 4L); // TileByteCounts
        b.putInt(0); // next IFD, patched below
        for (long o : offsets[p]) {
          b.putInt((int) o);
        }
        for (long c : counts[p]) {
          b.putInt((int) c);
        }
        b.flip();
        ch.write(b, pos);
        pos += b.limit();
      }
      for (int p = 0; p + 1 < planes; p++) {
        ch.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, (int) ifdPos[p + 1]), ifdPos[p] + 2 + entries * 12L);
      }
      ByteBuffer head = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      head.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt((int) ifdPos[0]).flip();
      ch.write(head, 0);
    }
  }

  private static void entry(ByteBuffer b, int tag, int type, int count, long value) {
    b.putShort((short) tag).putShort((short) type).putInt(count);
    if (type == 3 && count == 1) {
      b.putShort((short) value).putShort((short) 0);
    } else {
      b.putInt((int) value);
    }
  }
}
