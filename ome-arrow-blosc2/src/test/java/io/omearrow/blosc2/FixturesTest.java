package io.omearrow.blosc2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.omearrow.testing.TestData;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every fixture in testdata/mlarray reads with the checksums and facts of its manifest. */
class FixturesTest {
  static JsonNode manifest(String rel) throws IOException {
    return new ObjectMapper().readTree(TestData.path(rel).toFile());
  }

  static Stream<String> arrayFixtures() throws IOException {
    List<String> names = new ArrayList<>();
    manifest("mlarray/manifest.json").fieldNames().forEachRemaining(names::add);
    return names.stream();
  }

  static Stream<String> upstreamFrames() throws IOException {
    List<String> names = new ArrayList<>();
    manifest("mlarray/upstream-c-blosc2/manifest.json").fields().forEachRemaining(e -> {
      if ("cframe".equals(e.getValue().path("kind").asText()) && !e.getKey().startsWith("vlblocks")) {
        names.add(e.getKey());
      }
    });
    return names.stream();
  }

  static long[] longs(JsonNode n) {
    long[] a = new long[n.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = n.get(i).asLong();
    }
    return a;
  }

  /** Reads the whole array, byte-swaps big-endian dtypes, and compares SHA-256, probes and frame facts. */
  @ParameterizedTest
  @MethodSource("arrayFixtures")
  void arrayMatchesManifest(String name) throws IOException {
    JsonNode m = manifest("mlarray/manifest.json").get(name);
    try (B2ndArray a = B2ndArray.open(TestData.path("mlarray/" + name)); Arena arena = Arena.ofConfined()) {
      assertArrayEquals(longs(m.get("shape")), a.shape());
      assertEquals(m.get("dtype").asText(), a.dtype());
      JsonNode f = m.get("frame");
      assertEquals(f.get("header_len").asLong(), a.frame().header().headerLen());
      assertEquals(f.get("typesize").asInt(), a.frame().header().typesize());
      assertEquals(f.get("chunksize").asInt(), a.frame().header().chunksize());
      assertEquals(f.get("nchunks").asInt(), a.frame().nchunks());
      assertEquals(f.get("frame_codec_byte").asInt(), a.frame().header().clevel() << 4 | a.frame().header().codecId());
      List<String> vl = new ArrayList<>(a.frame().vlmetaNames());
      List<String> expectedVl = new ArrayList<>();
      f.get("vlmetalayers").forEach(n -> expectedVl.add(n.asText()));
      assertEquals(expectedVl, vl);
      assertArrayEquals(longs(f.get("b2nd").get("blockshape")),
          java.util.Arrays.stream(a.blocks()).asLongStream().toArray());
      int specials = 0;
      for (int i = 0; i < a.frame().nchunks(); i++) {
        specials += a.frame().chunkOffset(i) < 0 ? 1 : 0;
      }
      assertEquals(f.get("special_offsets").asInt(), specials);

      long bytes = a.regionBytes(new long[a.shape().length], a.shape());
      MemorySegment all = arena.allocate(bytes);
      a.readAll(all);
      MemorySegment le = all;
      if (a.meta().bigEndian()) {
        le = arena.allocate(bytes);
        int w = a.itemsize();
        for (long p = 0; p < bytes; p += w) {
          for (int k = 0; k < w; k++) {
            le.set(ValueLayout.JAVA_BYTE, p + k, all.get(ValueLayout.JAVA_BYTE, p + w - 1 - k));
          }
        }
      }
      assertEquals(m.get("sha256_c_order_le").asText(), Hashes.sha256(le), name);

      for (JsonNode probe : m.get("probes")) {
        long[] idx = longs(probe.get("index"));
        long[] stop = idx.clone();
        for (int d = 0; d < stop.length; d++) {
          stop[d]++;
        }
        MemorySegment one = arena.allocate(a.itemsize());
        a.readRegion(idx, stop, one);
        assertEquals(probe.get("value").asDouble(), value(one, a.dtype()), 0.0, name + " at " + probe.get("index"));
      }
    }
  }

  static double value(MemorySegment s, String dtype) {
    ByteOrder bo = dtype.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    return switch (dtype.substring(1)) {
      case "u1" -> s.get(ValueLayout.JAVA_BYTE, 0) & 0xFF;
      case "i1" -> s.get(ValueLayout.JAVA_BYTE, 0);
      case "i2" -> s.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(bo), 0);
      case "u2" -> s.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(bo), 0) & 0xFFFF;
      case "i4" -> s.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(bo), 0);
      case "f4" -> s.get(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(bo), 0);
      case "f8" -> s.get(ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(bo), 0);
      default -> throw new IllegalArgumentException(dtype);
    };
  }

  /** Each upstream c-blosc2 frame: header facts, offsets, and per-chunk SHA-256 computed by the C library. */
  @ParameterizedTest
  @MethodSource("upstreamFrames")
  void upstreamFrameChunksMatchC(String name) throws IOException {
    JsonNode m = manifest("mlarray/upstream-c-blosc2/manifest.json").get(name);
    try (Frame f = Frame.open(TestData.path("mlarray/upstream-c-blosc2/" + name))) {
      assertEquals(m.get("header_len").asLong(), f.header().headerLen());
      assertEquals(m.get("nbytes").asLong(), f.header().nbytes());
      assertEquals(m.get("cbytes").asLong(), f.header().cbytes());
      assertEquals(m.get("chunksize").asInt(), f.header().chunksize());
      long[] offsets = longs(m.get("offsets"));
      assertEquals(offsets.length, f.nchunks());
      JsonNode sums = m.get("chunk_sha256");
      for (int i = 0; i < f.nchunks(); i++) {
        assertEquals(offsets[i], f.chunkOffset(i), "offset " + i);
        String expected = sums.get(i).asText();
        if (expected.startsWith("special:")) {
          assertEquals("special:0x" + Long.toHexString(f.chunkOffset(i) >>> 56), expected);
          continue;
        }
        MemorySegment c = f.chunk(i);
        byte[] out = new byte[Blosc2Codec.header(c).nbytes()];
        f.decompressChunk(i, MemorySegment.ofArray(out), 1);
        assertEquals(expected, Hashes.sha256(out), name + " chunk " + i);
      }
    }
  }

  @Test
  void upstreamFramesCarryTheirVlmeta() {
    try (Frame f = Frame.open(TestData.path("mlarray/upstream-c-blosc2/frame_simple-lz4.b2frame"))) {
      assertEquals(List.of("vlmetalayer"), List.copyOf(f.vlmetaNames()));
      assertTrue(f.vlmeta("vlmetalayer").length > 0);
      assertTrue(f.metalayerNames().isEmpty());
    }
  }

  @Test
  void variableLengthBlocksAreRejectedClearly() {
    try (Frame f = Frame.open(TestData.path("mlarray/upstream-c-blosc2/vlblocks-lz4-fixed-3.0.0.b2frame"))) {
      Blosc2Exception e = assertThrows(Blosc2Exception.class,
          () -> f.decompressChunk(0, MemorySegment.ofArray(new byte[2000]), 1));
      assertTrue(e.getMessage().contains("variable-length blocks (format version 6)"), e.getMessage());
    }
  }
}
