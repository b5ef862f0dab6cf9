package io.omearrow.io.mlarray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.omearrow.testing.LeakCheckedAllocator;
import io.omearrow.testing.TestData;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every .mla fixture opens (mapped and loaded) with the manifest's metadata mapping and pixels. */
class MlArrayFixturesTest {
  static JsonNode manifest() throws IOException {
    return new ObjectMapper().readTree(TestData.path("mlarray/manifest.json").toFile());
  }

  static Stream<String> mlaFixtures() throws IOException {
    List<String> names = new ArrayList<>();
    manifest().fieldNames().forEachRemaining(n -> {
      if (n.endsWith(".mla")) {
        names.add(n);
      }
    });
    return names.stream();
  }

  @ParameterizedTest
  @MethodSource("mlaFixtures")
  void metadataAndPixelsMatchManifest(String name) throws Exception {
    JsonNode m = manifest().get(name);
    for (boolean mapped : new boolean[] {true, false}) {
      try (MlArray a = mapped ? MlArray.open(TestData.path("mlarray/" + name)) : MlArray.load(TestData.path("mlarray/" + name));
          Arena arena = Arena.ofConfined()) {
        assertEquals(m.get("dtype").asText(), a.dtype());
        JsonNode expected = m.get("meta_to_mapping");
        if (expected == null || expected.isNull()) {
          // Current mlarray cannot read the legacy encoding; the manifest gives the stored map instead.
          expected = m.get("vlmeta_mlarray_msgpack_map");
        }
        Object ours = a.meta().toMapping(true);
        assertSameJson(expected, ours, name + ":");
        long bytes = a.array().regionBytes(new long[a.shape().length], a.shape());
        MemorySegment all = arena.allocate(bytes);
        a.readAll(all);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(all.toArray(ValueLayout.JAVA_BYTE));
        assertEquals(m.get("sha256_c_order_le").asText(), HexFormat.of().formatHex(md.digest()));
      }
    }
  }

  @ParameterizedTest
  @MethodSource("mlaFixtures")
  @ExtendWith(LeakCheckedAllocator.class)
  void readAllIntoANewAlignedArrowBufferMatchesManifest(String name, BufferAllocator allocator) throws Exception {
    JsonNode m = manifest().get(name);
    try (MlArray a = MlArray.open(TestData.path("mlarray/" + name)); ArrowBuf buf = a.readAll(allocator)) {
      long bytes = a.array().regionBytes(new long[a.shape().length], a.shape());
      assertEquals(bytes, buf.capacity());
      assertEquals(bytes, buf.writerIndex());
      assertEquals(0, buf.memoryAddress() % 64, "64-byte aligned");
      assertEquals(bytes, allocator.getAllocatedMemory(), "accounted to the caller's allocator");
      byte[] all = MemorySegment.ofAddress(buf.memoryAddress()).reinterpret(bytes).toArray(ValueLayout.JAVA_BYTE);
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(all);
      assertEquals(m.get("sha256_c_order_le").asText(), HexFormat.of().formatHex(md.digest()));
    }
  }

  /** JSON from Python vs. our mapping: numbers compared by value, NaN spelled "NaN", absent == null. */
  static void assertSameJson(JsonNode expected, Object ours, String path) {
    if (expected == null || expected.isNull()) {
      assertEquals(null, ours, path);
    } else if (expected.isObject()) {
      if (!(ours instanceof Map<?, ?> map)) {
        fail(path + " expected an object, got " + ours);
        return;
      }
      Iterator<String> it = expected.fieldNames();
      while (it.hasNext()) {
        String k = it.next();
        assertSameJson(expected.get(k), map.get(k), path + "." + k);
      }
      for (Object k : map.keySet()) {
        if (!expected.has((String) k)) {
          assertEquals(null, map.get(k), path + "." + k + " (absent in manifest)");
        }
      }
    } else if (expected.isArray()) {
      assertTrue(ours instanceof List<?>, path + " expected a list, got " + ours);
      List<?> l = (List<?>) ours;
      assertEquals(expected.size(), l.size(), path + " length");
      for (int i = 0; i < l.size(); i++) {
        assertSameJson(expected.get(i), l.get(i), path + "[" + i + "]");
      }
    } else if (expected.isNumber()) {
      assertTrue(ours instanceof Number, path + " expected a number, got " + ours);
      assertEquals(expected.asDouble(), ((Number) ours).doubleValue(), 0.0, path);
    } else if (expected.isTextual() && expected.asText().equals("NaN") && ours instanceof Double d) {
      assertTrue(d.isNaN(), path);
    } else if (expected.isBoolean()) {
      assertEquals(expected.asBoolean(), ours, path);
    } else {
      assertEquals(expected.asText(), ours, path);
    }
  }

  static long[] longs(JsonNode n) {
    long[] a = new long[n.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = n.get(i).asLong();
    }
    return a;
  }

  @ParameterizedTest
  @MethodSource("mlaFixtures")
  void geometryIsRefreshedFromTheArray(String name) throws IOException {
    JsonNode m = manifest().get(name);
    try (MlArray a = MlArray.open(TestData.path("mlarray/" + name))) {
      assertArrayEquals(longs(m.get("shape")), a.shape());
      assertEquals(List.of(a.meta().spatial().shape().toArray()), List.of((Object[]) java.util.Arrays.stream(a.shape())
          .boxed().toArray(Long[]::new)));
      assertEquals(java.util.Arrays.stream(a.chunks()).boxed().toList(), a.meta().blosc2().chunkSize());
    }
  }
}
