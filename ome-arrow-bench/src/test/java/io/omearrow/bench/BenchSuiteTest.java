package io.omearrow.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The suite behind {@code ome-arrow bench}: every result named in shared/CLI.md's benchmark table
 * is registered, and a quick harness run over the two cheap cases produces the JSON shape of
 * {@code bench --json} with the table's baselines, measured, and no leaked Arrow memory (the
 * harness closes its allocator, which throws on a leak).
 */
class BenchSuiteTest {
  /** shared/CLI.md's benchmark table (and our extra results): result name to its baselines. */
  static final Map<String, List<String>> TABLE = new LinkedHashMap<>();

  static {
    TABLE.put("parquet.read.list", List.of("pyarrow", "parquet-column", "parquet-avro", "memcpy"));
    TABLE.put("parquet.read.bytes", List.of("pyarrow", "memcpy"));
    TABLE.put("parquet.read.bytes-zstd", List.of("pyarrow", "zstd-decompress"));
    TABLE.put("parquet.lazy-roi", List.of("parquet.read.list"));
    TABLE.put("tiff.read.uncompressed", List.of("tifffile", "imageio-jdk"));
    TABLE.put("tiff.read.deflate-tiled", List.of("tifffile"));
    TABLE.put("blosc2.decompress", List.of("python-blosc2", "memcpy"));
    TABLE.put("blosc2.compress", List.of("python-blosc2"));
    TABLE.put("tensor.materialize-roi", List.of("memcpy"));
    // ours beyond the table: the same ROI into a new tensor per run, allocation on both sides
    TABLE.put("tensor.materialize-roi-alloc", List.of("alloc+memcpy"));
    TABLE.put("dlpack.export-arrow", List.of("dlpack.export-arrow-small"));
  }

  @Test
  void everyNamedResultIsRegisteredOnce() throws Exception {
    List<String> names = new ArrayList<>();
    for (BenchCase c : BenchHarness.registeredCases()) {
      names.add(c.name());
      assertTrue(c.payloadBytes() > 0, c.name() + " declares no payload");
      c.close();
    }
    assertEquals(new TreeSet<>(TABLE.keySet()), new TreeSet<>(names));
    assertEquals(names.size(), Set.copyOf(names).size(), "a name is registered twice: " + names);
  }

  @Test
  void quickRunOfCheapCasesHasTheJsonShape() throws Exception {
    List<String> progress = new ArrayList<>();
    List<String> only = List.of("dlpack.export-arrow", "tensor.materialize-roi");
    List<BenchResult> results = new BenchHarness(true, only, progress::add).run(BenchHarness.registeredCases());
    assertTrue(progress.contains("bench: dlpack.export-arrow vs dlpack.export-arrow-small"), progress.toString());

    JsonNode root = new ObjectMapper().readTree(BenchHarness.json(results));
    JsonNode machine = root.get("machine");
    assertTrue(machine.isObject());
    assertEquals(Runtime.getRuntime().availableProcessors(), machine.get("cores").asInt());
    assertTrue(machine.get("java").asText().contains(System.getProperty("java.version")));

    JsonNode rs = root.get("results");
    assertEquals(2, rs.size());
    Set<String> seen = new TreeSet<>();
    for (JsonNode r : rs) {
      String name = r.get("name").asText();
      seen.add(name);
      assertNull(r.get("error"), () -> name + " failed: " + r.get("error"));
      double median = r.get("median_ms").asDouble();
      assertTrue(median > 0, name + " median " + median);
      assertTrue(r.get("mb_per_s").asDouble() > 0, name + " throughput");
      JsonNode bl = r.get("baselines");
      List<String> keys = new ArrayList<>();
      bl.fieldNames().forEachRemaining(keys::add);
      assertEquals(TABLE.get(name), keys, name + " baselines");
      for (String k : keys) {
        JsonNode b = bl.get(k);
        assertFalse(b.has("missing"), () -> name + " vs " + k + " missing: " + b.get("missing"));
        double bm = b.get("median_ms").asDouble();
        assertTrue(bm > 0, name + " vs " + k + " median " + bm);
        // ratio = our median / the baseline's, both rounded to 3 decimals in the JSON
        assertEquals(median / bm, b.get("ratio").asDouble(), 0.01 * median / bm + 0.002, name + " vs " + k + " ratio");
      }
    }
    assertEquals(new TreeSet<>(only), seen);
  }

  @Test
  void reportsNameTheCommandAndEveryBaseline() {
    var r = new BenchResult("dlpack.export-arrow", 2.5, 13421.7,
        Map.of("dlpack.export-arrow-small", new BenchResult.BaselineResult(2.0, 1.25, null)), null);
    String md = BenchHarness.markdown(List.of(r), "./ome-arrow bench --out docs/benchmarks.md");
    assertTrue(md.contains("`./ome-arrow bench --out docs/benchmarks.md`"), md);
    assertTrue(md.contains("| dlpack.export-arrow | 2.50 | 13422 | dlpack.export-arrow-small | 2.00 | 1.25 |"), md);
  }
}
