package io.omearrow.io.mlarray;

import io.omearrow.blosc2.internal.MsgPack;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The full metadata of an mlarray image, as Python's {@code mlarray.Meta} holds it, plus the
 * codec for the {@code "mlarray"} vlmeta value: msgpack {@code bin} of gzip of a pickle (current
 * mlarray), or a msgpack map (mlarray 0.0.48 and older; read only).
 *
 * <pre>{@code
 * MlArrayMeta meta = MlArrayMeta.empty()
 *     .withSpatial(Spatial.empty().withSpacing(List.of(2.5, 0.8, 0.8)))
 *     .withSource(Map.of("Modality", "CT"));
 * }</pre>
 *
 * @param source free-form source metadata (JSON-like), never null
 * @param extra free-form extra metadata (JSON-like), never null
 * @param spatial geometry and axis roles, never null
 * @param stats intensity statistics, never null
 * @param bbox bounding boxes, never null
 * @param isSeg whether the image is a segmentation, or null when unknown
 * @param blosc2 storage settings, never null
 * @param hasArray whether the file carries array data (mlarray refuses to index it otherwise)
 * @param imageMetaFormat the source metadata convention ("nifti", "nrrd"...) or null
 * @param version mlarray's format version string ("v0")
 */
public record MlArrayMeta(Map<String, Object> source, Map<String, Object> extra, Spatial spatial, Stats stats,
    BBox bbox, Boolean isSeg, Blosc2Settings blosc2, boolean hasArray, String imageMetaFormat, String version) {

  /** The vlmeta key mlarray stores its metadata under. */
  public static final String VLMETA_KEY = "mlarray";
  /** The format version mlarray writes. */
  public static final String VERSION = "v0";
  /** Largest gunzipped pickle accepted (64 MiB). */
  static final int MAX_PICKLE = 64 << 20;

  static final List<String> KEYS = List.of("source", "extra", "spatial", "stats", "bbox", "is_seg", "blosc2",
      "_has_array", "_image_meta_format", "_mlarray_version");

  /** Normalises nulls and freezes the free-form maps. */
  @SuppressWarnings("unchecked")
  public MlArrayMeta {
    source = (Map<String, Object>) Values.freeze(source == null ? Map.of() : source);
    extra = (Map<String, Object>) Values.freeze(extra == null ? Map.of() : extra);
    spatial = spatial == null ? Spatial.empty() : spatial;
    stats = stats == null ? Stats.empty() : stats;
    bbox = bbox == null ? BBox.empty() : bbox;
    blosc2 = blosc2 == null ? Blosc2Settings.defaults() : blosc2;
    version = version == null ? VERSION : version;
  }

  /** Metadata with nothing set but mlarray's defaults. */
  public static MlArrayMeta empty() {
    return new MlArrayMeta(Map.of(), Map.of(), Spatial.empty(), Stats.empty(), BBox.empty(), null,
        Blosc2Settings.defaults(), true, null, VERSION);
  }

  /** A copy with other source metadata. */
  public MlArrayMeta withSource(Map<String, Object> s) {
    return new MlArrayMeta(s, extra, spatial, stats, bbox, isSeg, blosc2, hasArray, imageMetaFormat, version);
  }

  /** A copy with other extra metadata. */
  public MlArrayMeta withExtra(Map<String, Object> e) {
    return new MlArrayMeta(source, e, spatial, stats, bbox, isSeg, blosc2, hasArray, imageMetaFormat, version);
  }

  /** A copy with other spatial metadata. */
  public MlArrayMeta withSpatial(Spatial s) {
    return new MlArrayMeta(source, extra, s, stats, bbox, isSeg, blosc2, hasArray, imageMetaFormat, version);
  }

  /** A copy with other statistics. */
  public MlArrayMeta withStats(Stats s) {
    return new MlArrayMeta(source, extra, spatial, s, bbox, isSeg, blosc2, hasArray, imageMetaFormat, version);
  }

  /** A copy with other boxes. */
  public MlArrayMeta withBbox(BBox b) {
    return new MlArrayMeta(source, extra, spatial, stats, b, isSeg, blosc2, hasArray, imageMetaFormat, version);
  }

  /** A copy with the segmentation flag. */
  public MlArrayMeta withIsSeg(Boolean seg) {
    return new MlArrayMeta(source, extra, spatial, stats, bbox, seg, blosc2, hasArray, imageMetaFormat, version);
  }

  /** A copy with other storage settings. */
  public MlArrayMeta withBlosc2(Blosc2Settings b) {
    return new MlArrayMeta(source, extra, spatial, stats, bbox, isSeg, b, hasArray, imageMetaFormat, version);
  }

  /** A copy with the image metadata format. */
  public MlArrayMeta withImageMetaFormat(String f) {
    return new MlArrayMeta(source, extra, spatial, stats, bbox, isSeg, blosc2, hasArray, f, version);
  }

  /**
   * Builds the model from the mapping {@code Meta.to_mapping()} produces (both the wrapped and the
   * bare form of single-key fields), rejecting unknown keys as mlarray does.
   */
  public static MlArrayMeta fromMapping(Map<?, ?> raw, String where) {
    Map<String, Object> m = Values.map(raw, where, "<root>");
    Values.onlyKeys(m, where, "<root>", KEYS);
    Object src = Values.unwrap(m.get("source"), "data");
    Object ext = Values.unwrap(m.get("extra"), "data");
    Object hasArray = Values.unwrap(m.get("_has_array"), "has_array");
    return new MlArrayMeta(Values.map(src, where, "source"), Values.map(ext, where, "extra"),
        Spatial.fromMapping(m.get("spatial"), where), Stats.fromMapping(m.get("stats"), where),
        BBox.fromMapping(m.get("bbox"), where), Values.bool(Values.unwrap(m.get("is_seg"), "is_seg"), where, "is_seg"),
        Blosc2Settings.fromMapping(m.get("blosc2"), where),
        hasArray == null || Boolean.TRUE.equals(Values.bool(hasArray, where, "_has_array")),
        Values.string(Values.unwrap(m.get("_image_meta_format"), "image_meta_format"), where, "_image_meta_format"),
        Values.string(Values.unwrap(m.get("_mlarray_version"), "mlarray_version"), where, "_mlarray_version"));
  }

  /**
   * The mapping as mlarray's {@code Meta.to_mapping()} lays it out. {@code full} keeps null
   * fields (as Python prints them); otherwise they are left out, which older mlarray versions
   * (that reject unknown keys) read too.
   */
  public Map<String, Object> toMapping(boolean full) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("source", Map.of("data", source));
    m.put("extra", Map.of("data", extra));
    m.put("spatial", spatial.toMapping(full));
    m.put("stats", stats.toMapping(full));
    m.put("bbox", bbox.toMapping(full));
    m.put("is_seg", singleton("is_seg", isSeg));
    m.put("blosc2", blosc2.toMapping(full));
    m.put("_has_array", singleton("has_array", hasArray));
    m.put("_image_meta_format", singleton("image_meta_format", imageMetaFormat));
    m.put("_mlarray_version", version);
    return m;
  }

  private static Map<String, Object> singleton(String k, Object v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(k, v);
    return m;
  }

  /** Checks the rules mlarray applies on load, for an array of rank {@code ndims}. */
  public void validate(int ndims, String where) {
    spatial.validate(ndims, where);
    int sd = spatial.spatialAxes(ndims);
    if (blosc2.chunkSize() != null && blosc2.chunkSize().size() != ndims) {
      throw Values.bad(where, "blosc2.chunk_size", "has " + blosc2.chunkSize().size() + " entries for a " + ndims + "-D array");
    }
    if (blosc2.blockSize() != null && blosc2.blockSize().size() != ndims) {
      throw Values.bad(where, "blosc2.block_size", "has " + blosc2.blockSize().size() + " entries for a " + ndims + "-D array");
    }
    if (blosc2.patchSize() != null && blosc2.patchSize().size() != sd) {
      throw Values.bad(where, "blosc2.patch_size", "has " + blosc2.patchSize().size() + " entries for " + sd
          + " spatial axes");
    }
  }

  /** Encodes the vlmeta value: msgpack bin of gzip of a protocol-2 pickle of the mapping. */
  public byte[] encodeVlmeta() {
    byte[] pickle = Pickle.dumps(toMapping(false));
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(pickle);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return MsgPack.encode(gz.toByteArray());
  }

  /** Decodes the raw mapping from a vlmeta value (current or legacy encoding). */
  public static Map<?, ?> decodeVlmetaMapping(byte[] vlmeta, String where) {
    Object v;
    try {
      v = MsgPack.decode(vlmeta);
    } catch (IllegalStateException e) {
      throw new MlArrayException(where + ": the \"mlarray\" metadata is not valid msgpack (" + e.getMessage() + ")", e);
    }
    if (v instanceof Map<?, ?> legacy) {
      return untuple(legacy);
    }
    if (!(v instanceof byte[] gz)) {
      throw new MlArrayException(where + ": the \"mlarray\" metadata is a msgpack " + Values.describe(v)
          + ", expected bytes (gzip of a pickle) or a map (mlarray <= 0.0.48)");
    }
    byte[] pickle = gunzip(gz, where);
    Object mapping = Pickle.loads(pickle, where + ": \"mlarray\" metadata");
    if (!(mapping instanceof Map<?, ?> m)) {
      throw new MlArrayException(where + ": the \"mlarray\" metadata pickle holds a " + Values.describe(mapping)
          + ", expected a dict");
    }
    return m;
  }

  /** Decodes and validates the metadata of an array of rank {@code ndims}. */
  public static MlArrayMeta decodeVlmeta(byte[] vlmeta, int ndims, String where) {
    MlArrayMeta meta = fromMapping(decodeVlmetaMapping(vlmeta, where), where);
    meta.validate(ndims, where);
    return meta;
  }

  private static byte[] gunzip(byte[] gz, String where) {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      byte[] out = in.readNBytes(MAX_PICKLE + 1);
      if (out.length > MAX_PICKLE) {
        throw new MlArrayException(where + ": the \"mlarray\" metadata unpacks to more than " + MAX_PICKLE + " bytes");
      }
      return out;
    } catch (IOException e) {
      throw new MlArrayException(where + ": the \"mlarray\" metadata is not valid gzip (" + e.getMessage() + ")", e);
    }
  }

  /** python-blosc2 stores tuples as ["__tuple__", items...]; turn them back into lists. */
  private static Map<?, ?> untuple(Map<?, ?> m) {
    Map<Object, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, untupleValue(v)));
    return out;
  }

  private static Object untupleValue(Object v) {
    if (v instanceof Map<?, ?> m) {
      return untuple(m);
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      int start = !l.isEmpty() && "__tuple__".equals(l.get(0)) ? 1 : 0;
      for (int i = start; i < l.size(); i++) {
        out.add(untupleValue(l.get(i)));
      }
      return out;
    }
    return v;
  }
}
