package io.omearrow.io.parquet.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.omearrow.core.Channel;
import io.omearrow.core.ChunkGrid;
import io.omearrow.core.FormatException;
import io.omearrow.core.ImageMetadata;
import io.omearrow.core.PixelType;
import io.omearrow.core.PixelsMeta;
import io.omearrow.core.SelectionException;
import io.omearrow.core.Vectors;
import io.omearrow.io.parquet.ParquetTable;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A typed chunk dataset directory as the Python reference writes it (§1.5): a manifest
 * {@code _ome_arrow_dataset.json}, {@code images.parquet} (one row per image),
 * {@code chunks.parquet} (one row per TCZYX chunk, raw C-order {@code pixel_bytes}) and the
 * optional {@code index.parquet} mapping chunks to row groups. Reading a region uses the index to
 * fetch only the row groups of the chunks it overlaps.
 *
 * <p>Memory: holds the images and index tables on the heap; chunk payloads are read per region
 * with the allocator passed at open and freed before the call returns. Close to release files.
 */
public final class TypedChunkDataset implements AutoCloseable {
  /** The manifest file whose presence marks a dataset directory. */
  public static final String MANIFEST = "_ome_arrow_dataset.json";

  /** One chunk's place: its box and, with an index, its row group and row. */
  record ChunkEntry(long chunkId, int t, int c, int z, int y, int x, int st, int sc, int sz, int sy, int sx, int rowGroup, int rowInGroup) {}

  private final Path dir;
  private final BufferAllocator allocator;
  private final Map<String, ImageMetadata> images = new LinkedHashMap<>();
  private final Map<String, List<ChunkEntry>> chunks = new LinkedHashMap<>();
  private final boolean indexed;
  private final ParquetTable chunkTable;

  private TypedChunkDataset(Path dir, BufferAllocator allocator) {
    this.dir = dir;
    this.allocator = allocator;
    if (!Files.isRegularFile(dir.resolve(MANIFEST))) {
      throw new FormatException("No such dataset: " + dir + " (no " + MANIFEST + ")");
    }
    try {
      new ObjectMapper().readTree(dir.resolve(MANIFEST).toFile());
    } catch (IOException e) {
      throw new FormatException("dataset " + dir + ": unreadable " + MANIFEST + " (" + e.getMessage() + ")", e);
    }
    readImages();
    Path index = dir.resolve("index.parquet");
    this.indexed = Files.isRegularFile(index);
    readChunkIndex(indexed ? index : dir.resolve("chunks.parquet"));
    this.chunkTable = ParquetTable.open(dir.resolve("chunks.parquet").toString());
  }

  /** Opens a dataset directory. */
  public static TypedChunkDataset open(String location, BufferAllocator allocator) {
    return new TypedChunkDataset(Path.of(location), allocator);
  }

  /** True when the location is a directory holding the dataset manifest. */
  public static boolean isDataset(String location) {
    try {
      return Files.isRegularFile(Path.of(location).resolve(MANIFEST));
    } catch (RuntimeException e) {
      return false;
    }
  }

  public Path directory() {
    return dir;
  }

  /** Image ids in table order. */
  public List<String> imageIds() {
    return List.copyOf(images.keySet());
  }

  /** True when index.parquet is present (regions then read only their row groups). */
  public boolean indexed() {
    return indexed;
  }

  /** The metadata of an image. */
  public ImageMetadata metadata(String imageId) {
    ImageMetadata m = images.get(imageId);
    if (m == null) {
      throw new SelectionException("image_id not found: " + imageId);
    }
    return m;
  }

  /** Opens one image of the dataset as a lazy source (borrowing this dataset). */
  public DatasetImageSource image(String imageId) {
    metadata(imageId);
    return new DatasetImageSource(this, imageId, images.size());
  }

  private List<VectorSchemaRoot> readTable(Path file) {
    try (ParquetTable t = ParquetTable.open(file.toString())) {
      return t.readAll(allocator);
    }
  }

  private void readImages() {
    String w = "dataset " + dir + " images.parquet";
    List<VectorSchemaRoot> roots = readTable(dir.resolve("images.parquet"));
    try {
      for (VectorSchemaRoot r : roots) {
        for (int i = 0; i < r.getRowCount(); i++) {
          String id = Vectors.string(req(r, "image_id", w), i, w);
          PixelType type = PixelType.fromName(Vectors.string(req(r, "dtype", w), i, w));
          int[] s = new int[5];
          int[] ch = new int[5];
          String[] axes = {"t", "c", "z", "y", "x"};
          for (int k = 0; k < 5; k++) {
            s[k] = Vectors.int32(req(r, "size_" + axes[k], w), i, 0, w);
            ch[k] = Vectors.int32(req(r, "chunk_" + axes[k], w), i, 0, w);
          }
          List<Channel> channels = channels(Vectors.string(r.getVector("channels_json"), i, w), w);
          PixelsMeta p = new PixelsMeta(PixelsMeta.defaultDimensionOrder(s[2]), type, s[4], s[3], s[2], s[1], s[0], null, null, null,
              channels.size() == s[1] ? channels : List.of());
          ImageMetadata md = new ImageMetadata(io.omearrow.core.ImageMetadata.OME_ARROW_TYPE, io.omearrow.core.ImageMetadata.WRITER_VERSION,
              id, Vectors.string(r.getVector("name"), i, w), Vectors.string(r.getVector("image_type"), i, w), null, p,
              new ChunkGrid("TCZYX", ch[0], ch[1], ch[2], ch[3], ch[4], "ZYX"));
          if (images.put(id, md) != null) {
            throw new FormatException(w + ": Duplicate image_id in OME-Arrow dataset: '" + id + "'");
          }
          chunks.put(id, new ArrayList<>());
        }
      }
    } finally {
      roots.forEach(VectorSchemaRoot::close);
    }
  }

  private static FieldVector req(VectorSchemaRoot r, String name, String w) {
    FieldVector v = r.getVector(name);
    if (v == null) {
      throw new FormatException(w + ": column '" + name + "' is missing");
    }
    return v;
  }

  private static List<Channel> channels(String json, String w) {
    List<Channel> out = new ArrayList<>();
    if (json == null || json.isBlank()) {
      return out;
    }
    try {
      for (JsonNode n : new ObjectMapper().readTree(json)) {
        out.add(new Channel(n.path("id").asText(null), n.path("name").asText(null), (float) n.path("emission_um").asDouble(0),
            (float) n.path("excitation_um").asDouble(0), n.path("illumination").asText(null), (int) n.path("color_rgba").asLong(0xFFFFFFFFL)));
      }
    } catch (IOException e) {
      throw new FormatException(w + ": channels_json is not JSON (" + e.getMessage() + ")", e);
    }
    return out;
  }

  private void readChunkIndex(Path file) {
    String w = "dataset " + dir + " " + file.getFileName();
    boolean hasGroups = file.getFileName().toString().equals("index.parquet");
    try (ParquetTable t = ParquetTable.open(file.toString())) {
      List<String> cols = new ArrayList<>(List.of("image_id", "chunk_id", "t", "c", "z", "y", "x", "shape_t", "shape_c", "shape_z", "shape_y",
          "shape_x"));
      if (hasGroups) {
        cols.addAll(List.of("row_group_id", "row_index_in_group"));
      }
      for (int g = 0; g < t.rowGroupCount(); g++) {
        try (VectorSchemaRoot r = t.readRowGroup(g, cols, allocator)) {
          for (int i = 0; i < r.getRowCount(); i++) {
            String id = Vectors.string(r.getVector("image_id"), i, w);
            List<ChunkEntry> list = chunks.get(id);
            if (list == null) {
              throw new FormatException(w + ": chunk of unknown image_id '" + id + "'");
            }
            int[] v = new int[10];
            for (int k = 0; k < 10; k++) {
              v[k] = Vectors.int32(r.getVector(cols.get(2 + k)), i, 0, w);
            }
            ImageMetadata md = images.get(id);
            long[] shape = md.pixels().shape();
            for (int k = 0; k < 5; k++) {
              if (v[k] < 0 || v[5 + k] <= 0 || (long) v[k] + v[5 + k] > shape[k]) {
                throw new FormatException(w + ": chunk " + Vectors.integer(r.getVector("chunk_id"), i, -1, w) + " of '" + id
                    + "' extent out of range on axis " + "TCZYX".charAt(k) + ": " + v[k] + "+" + v[5 + k] + " > " + shape[k]);
              }
            }
            list.add(new ChunkEntry(Vectors.integer(r.getVector("chunk_id"), i, 0, w), v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8],
                v[9], hasGroups ? Vectors.int32(r.getVector("row_group_id"), i, -1, w) : -1,
                hasGroups ? Vectors.int32(r.getVector("row_index_in_group"), i, -1, w) : -1));
          }
        }
      }
    }
  }

  /**
   * Copies region (x, y, w, h) of plane (t, c, z) of an image into {@code dst} (row-major,
   * little-endian, the image's dtype), reading only the row groups of chunks.parquet that hold
   * the chunks it overlaps.
   */
  public void readRegion(String imageId, int t, int c, int z, int x, int y, int w, int h, MemorySegment dst) {
    ImageMetadata md = metadata(imageId);
    PixelsMeta p = md.pixels();
    p.checkRead(t, c, z, x, y, w, h, dst);
    PixelType type = p.pixelType();
    int bs = type.byteSize();
    dst.asSlice(0, (long) w * h * bs).fill((byte) 0);
    Map<Integer, List<ChunkEntry>> byGroup = new TreeMap<>();
    for (ChunkEntry e : chunks.get(imageId)) {
      if (t >= e.t() && t < e.t() + e.st() && c >= e.c() && c < e.c() + e.sc() && z >= e.z() && z < e.z() + e.sz() && x < e.x() + e.sx()
          && e.x() < x + w && y < e.y() + e.sy() && e.y() < y + h) {
        byGroup.computeIfAbsent(e.rowGroup(), k -> new ArrayList<>()).add(e);
      }
    }
    String where = "dataset " + dir + " chunks.parquet";
    for (Map.Entry<Integer, List<ChunkEntry>> g : byGroup.entrySet()) {
      List<Integer> groups = new ArrayList<>();
      if (g.getKey() >= 0) {
        groups.add(g.getKey());
      } else {
        for (int k = 0; k < chunkTable.rowGroupCount(); k++) {
          groups.add(k);
        }
      }
      for (int rg : groups) {
        try (VectorSchemaRoot r = chunkTable.readRowGroup(rg, List.of("chunk_id", "dtype", "pixel_bytes"), allocator)) {
          for (ChunkEntry e : g.getValue()) {
            for (int i = 0; i < r.getRowCount(); i++) {
              if (Vectors.integer(r.getVector("chunk_id"), i, -1, where) != e.chunkId()) {
                continue;
              }
              copyChunk(e, r, i, type, t, c, z, x, y, w, h, dst, where);
            }
          }
        }
      }
    }
  }

  private static void copyChunk(ChunkEntry e, VectorSchemaRoot r, int i, PixelType out, int t, int c, int z, int x, int y, int w, int h,
      MemorySegment dst, String where) {
    String dt = Vectors.string(r.getVector("dtype"), i, where);
    PixelType st = dt == null ? out : PixelType.fromName(dt);
    FieldVector pb = r.getVector("pixel_bytes");
    long[] span = Vectors.binarySpan(pb, i, where);
    long expected = (long) e.st() * e.sc() * e.sz() * e.sy() * e.sx() * st.byteSize();
    if (span[1] != expected) {
      throw new FormatException(where + ": chunk " + e.chunkId() + " payload is " + span[1] + " bytes, its shape needs " + expected);
    }
    MemorySegment src = MemorySegment.ofAddress(Vectors.binaryData(pb).memoryAddress() + span[0]).reinterpret(span[1]);
    long plane = ((((long) (t - e.t()) * e.sc() + (c - e.c())) * e.sz()) + (z - e.z())) * e.sy() * e.sx();
    int x0 = Math.max(x, e.x());
    int x1 = Math.min(x + w, e.x() + e.sx());
    for (int yy = Math.max(y, e.y()); yy < Math.min(y + h, e.y() + e.sy()); yy++) {
      long so = (plane + (long) (yy - e.y()) * e.sx() + (x0 - e.x())) * st.byteSize();
      long dof = ((long) (yy - y) * w + (x0 - x)) * out.byteSize();
      int n = x1 - x0;
      if (st == out) {
        MemorySegment.copy(src, so, dst, dof, (long) n * st.byteSize());
      } else {
        io.omearrow.core.PixelConverter.convert(src.asSlice(so, (long) n * st.byteSize()), st, dst.asSlice(dof, (long) n * out.byteSize()),
            out, n, io.omearrow.core.PixelConverter.Rule.CLAMP);
      }
    }
  }

  @Override
  public void close() {
    chunkTable.close();
  }
}
