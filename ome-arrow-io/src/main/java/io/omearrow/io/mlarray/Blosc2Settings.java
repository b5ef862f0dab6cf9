package io.omearrow.io.mlarray;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * mlarray's record of how the array is stored (refreshed from the array when a file is opened).
 *
 * @param chunkSize the b2nd chunk shape
 * @param blockSize the b2nd block shape
 * @param patchSize the patch size the chunk/block heuristic used, or null when they were explicit
 * @param cparams compression parameters as python-blosc2 names them (default {codec: 2, clevel: 8})
 * @param dparams decompression parameters (default {nthreads: 1})
 */
public record Blosc2Settings(List<Integer> chunkSize, List<Integer> blockSize, List<Integer> patchSize,
    Map<String, Object> cparams, Map<String, Object> dparams) {
  static final List<String> KEYS = List.of("chunk_size", "block_size", "patch_size", "cparams", "dparams");

  /** Copies the collections. */
  public Blosc2Settings {
    chunkSize = chunkSize == null ? null : List.copyOf(chunkSize);
    blockSize = blockSize == null ? null : List.copyOf(blockSize);
    patchSize = patchSize == null ? null : List.copyOf(patchSize);
    cparams = cparams == null ? null : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(cparams));
    dparams = dparams == null ? null : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(dparams));
  }

  /** mlarray's defaults with no geometry yet. */
  public static Blosc2Settings defaults() {
    return new Blosc2Settings(null, null, null, defaultCparams(), Map.of("nthreads", 1L));
  }

  static Map<String, Object> defaultCparams() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("codec", 2L);
    m.put("clevel", 8L);
    return m;
  }

  /** A copy with chunk, block and patch sizes. */
  public Blosc2Settings withGeometry(List<Integer> chunks, List<Integer> blocks, List<Integer> patch) {
    return new Blosc2Settings(chunks, blocks, patch, cparams, dparams);
  }

  /** A copy with compression parameters. */
  public Blosc2Settings withCparams(Map<String, Object> c) {
    return new Blosc2Settings(chunkSize, blockSize, patchSize, c, dparams);
  }

  static Blosc2Settings fromMapping(Object raw, String where) {
    if (raw == null) {
      return defaults();
    }
    Map<String, Object> m = Values.map(raw, where, "blosc2");
    Values.onlyKeys(m, where, "blosc2", KEYS);
    return new Blosc2Settings(Values.ints(m.get("chunk_size"), where, "blosc2.chunk_size"),
        Values.ints(m.get("block_size"), where, "blosc2.block_size"),
        Values.ints(m.get("patch_size"), where, "blosc2.patch_size"),
        Values.map(m.get("cparams"), where, "blosc2.cparams"),
        Values.map(m.get("dparams"), where, "blosc2.dparams"));
  }

  Map<String, Object> toMapping(boolean full) {
    Map<String, Object> m = new LinkedHashMap<>();
    Spatial.put(m, "chunk_size", chunkSize, full);
    Spatial.put(m, "block_size", blockSize, full);
    Spatial.put(m, "patch_size", patchSize, full);
    Spatial.put(m, "cparams", cparams, full);
    Spatial.put(m, "dparams", dparams, full);
    return m;
  }
}
