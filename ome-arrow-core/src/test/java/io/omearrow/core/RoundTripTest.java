package io.omearrow.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omearrow.ipc.ArrowIpc;
import io.omearrow.ipc.OmeTable;
import io.omearrow.testing.LeakCheckedAllocator;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** builder → IPC → reader keeps every metadata field and every pixel, for every type and encoding. */
@ExtendWith(LeakCheckedAllocator.class)
class RoundTripTest {

  static Stream<Arguments> cases() {
    Stream.Builder<Arguments> b = Stream.builder();
    for (PixelType t : PixelType.values()) {
      b.add(Arguments.of(t, "list", true, ChunkCompression.NONE));
      b.add(Arguments.of(t, "list", false, ChunkCompression.NONE));
      b.add(Arguments.of(t, "bytes", true, ChunkCompression.NONE));
      b.add(Arguments.of(t, "bytes", true, ChunkCompression.ZSTD));
      b.add(Arguments.of(t, "bytes", true, ChunkCompression.LZ4));
      b.add(Arguments.of(t, "bytes", true, ChunkCompression.AUTO));
    }
    return b.build();
  }

  static byte[] image(PixelType type, int n, long seed) {
    byte[] data = new byte[n * type.byteSize()];
    Random r = new Random(seed);
    // smooth ramps plus noise so compressors have something to do, full-range bytes elsewhere
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) ((i % 7 == 0) ? r.nextInt(256) : (i / 97));
    }
    if (type.isFloating()) {
      MemorySegment s = MemorySegment.ofArray(data);
      for (int i = 0; i < n; i++) {
        if (type == PixelType.FLOAT32) {
          s.set(ValueLayout.JAVA_FLOAT_UNALIGNED, i * 4L, (float) (i * 0.5 - 40 + r.nextGaussian()));
        } else {
          s.set(ValueLayout.JAVA_DOUBLE_UNALIGNED, i * 8L, i * 0.25 - 11 + r.nextGaussian());
        }
      }
    }
    return data;
  }

  @ParameterizedTest(name = "{0} {1} chunks={2} {3}")
  @MethodSource("cases")
  void roundTrip(PixelType type, String encoding, boolean chunks, ChunkCompression cc, BufferAllocator allocator, @TempDir Path dir) {
    int t = 2, c = 3, z = 3, y = 37, x = 53;
    int n = t * c * z * y * x;
    byte[] data = image(type, n, type.ordinal());
    PixelsMeta pm = new PixelsMeta("XYZCT", type, x, y, z, c, t, new PhysicalSize(0.325, "µm"), new PhysicalSize(0.5, "µm"),
        new PhysicalSize(2.0, "mm"), List.of(new Channel("ch-0", "DNA", 0.46f, 0.405f, "Epifluorescence", 0x0000FFFF),
            Channel.of(1, "ER"), new Channel("c2", "Mito", 0f, 0f, "Unknown", 0xFF0000FF)));
    Instant when = Instant.parse("2025-11-20T12:34:56.123456Z");
    ImageMetadata md = new ImageMetadata("ome.arrow", "0.0.9", "img-1", "sample.tif", "image", when, pm, null);
    Path file = dir.resolve("x.arrow");
    try (OmeImage built = OmeImageBuilder.of(md).encoding(encoding).buildChunks(chunks).chunkShape(2, 16, 32).chunkCompression(cc)
        .fromSegment(MemorySegment.ofArray(data), allocator)) {
      ArrowIpc.write(file, List.of(built), null, null, allocator);
    }
    try (OmeTable table = ArrowIpc.read(file, allocator)) {
      assertEquals("ome.arrow", table.metadata().get("ome.arrow.type"));
      assertEquals(List.of("ome_arrow"), table.omeColumns());
      try (OmeImage img = table.image(null, 0)) {
        ImageMetadata got = img.metadata();
        assertEquals(md.id(), got.id());
        assertEquals(md.name(), got.name());
        assertEquals(md.imageType(), got.imageType());
        assertEquals(when, got.acquisitionDatetime());
        assertEquals("0.0.9", got.version());
        PixelsMeta gp = got.pixels();
        assertEquals(type, gp.pixelType());
        assertArrayEquals(pm.shape(), gp.shape());
        assertEquals(pm.channels(), gp.channels());
        assertEquals(0.325, gp.physicalSizeX().value(), 1e-6);
        assertEquals("mm", gp.physicalSizeZ().unit());
        boolean expectChunks = encoding.equals("bytes") || chunks;
        assertEquals(expectChunks, img.isChunked());
        if (expectChunks) {
          assertEquals(ChunkGrid.of(2, 16, 32), got.chunkGrid());
          // ceil(3/2) * ceil(37/16) * ceil(53/32) per (t, c)
          assertEquals(t * c * 2 * 3 * 2, img.storedChunks().size());
        } else {
          assertNull(got.chunkGrid());
        }
        assertEquals(encoding.equals("bytes") ? SchemaVariant.V2_BYTES : SchemaVariant.V2_LIST, img.variant());
        long planeBytes = (long) x * y * type.byteSize();
        try (Arena arena = Arena.ofConfined()) {
          MemorySegment plane = arena.allocate(planeBytes);
          MemorySegment src = MemorySegment.ofArray(data);
          for (int ti = 0; ti < t; ti++) {
            for (int ci = 0; ci < c; ci++) {
              for (int zi = 0; zi < z; zi++) {
                img.readPlane(ti, ci, zi, plane);
                long off = gp.planeIndex(ti, ci, zi) * planeBytes;
                assertEquals(-1, plane.mismatch(src.asSlice(off, planeBytes)), "plane t" + ti + " c" + ci + " z" + zi);
              }
            }
          }
          // a region that straddles chunk borders
          int rx = 20, ry = 10, rw = 25, rh = 20;
          MemorySegment region = arena.allocate((long) rw * rh * type.byteSize());
          img.readRegion(1, 2, 1, rx, ry, rw, rh, region);
          long off = gp.planeIndex(1, 2, 1) * planeBytes;
          for (int r = 0; r < rh; r++) {
            long so = off + ((long) (ry + r) * x + rx) * type.byteSize();
            assertEquals(-1, region.asSlice((long) r * rw * type.byteSize(), (long) rw * type.byteSize())
                .mismatch(src.asSlice(so, (long) rw * type.byteSize())), "row " + r);
          }
        }
        if (!encoding.equals("bytes")) {
          PixelSlice s = img.storedPlane(0, 1, 2).orElseThrow();
          assertEquals((long) x * y, s.length());
          assertTrue(s.address() != 0);
        }
      }
    }
  }
}
