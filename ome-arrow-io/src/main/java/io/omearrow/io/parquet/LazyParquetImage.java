package io.omearrow.io.parquet;

import io.omearrow.core.ChunkCompression;
import io.omearrow.core.FormatException;
import io.omearrow.core.ImageMetadata;
import io.omearrow.core.OmeImage;
import io.omearrow.core.PixelConverter;
import io.omearrow.core.PixelType;
import io.omearrow.core.PixelsMeta;
import io.omearrow.core.SchemaVariant;
import io.omearrow.core.SelectionException;
import io.omearrow.core.Vectors;
import io.omearrow.source.ImageSource;
import io.omearrow.source.SourceInfo;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.NullVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * One image of a Parquet table read lazily: on open only the metadata leaves of the struct
 * column (sizes, channels, chunk and plane coordinates) are read; a region then reads only the
 * data pages of the pixel column that hold the chunks (or the plane) it touches, found by
 * walking the page headers once. Works for the first row of each row group (one image per row
 * group, which is how this library and the Python reference write single images); other rows are
 * served by {@link ParquetImages#open}'s eager path.
 *
 * <p>Memory: holds metadata on the heap and a small cache of decoded pages in buffers from the
 * allocator given at open; {@link #close()} frees them and closes the table when it owns it.
 * {@link #readRegion} is synchronised.
 */
public final class LazyParquetImage implements ImageSource {
  private record Box(int t, int c, int z, int y, int x, int sz, int sy, int sx, PixelType type, String compression, long entry, long count) {}

  private final ParquetTable table;
  private final boolean ownsTable;
  private final BufferAllocator allocator;
  private final int group;
  private final ImageMetadata metadata;
  private final SourceInfo info;
  private final List<Box> chunks = new ArrayList<>();
  private final Box[] planes;
  private final Node pixelLeaf;
  private final boolean bytes;
  private final PixelType storedType;
  private List<ParquetTable.PageRef> pages;
  private ParquetTable.PageRef dictPage;
  private PageDecoder.RawPage dictRaw;
  private final Map<Integer, LeafData> cache = new LinkedHashMap<>(16, 0.75f, true);
  private boolean closed;

  LazyParquetImage(ParquetTable table, boolean ownsTable, long row, String column, BufferAllocator allocator) {
    this.table = table;
    this.ownsTable = ownsTable;
    this.allocator = allocator;
    this.group = table.rowGroupOf(row);
    if (row != table.rowGroupStart(group)) {
      throw new SelectionException("lazy reads address the first row of a row group; row " + row + " is not");
    }
    Node full = table.node(column);
    String where = "Parquet file '" + table.location() + "' column '" + column + "' row " + row;
    SchemaVariant variant = io.omearrow.core.OmeSchema.detect(full.field);
    Node chunksNode = full.child("chunks");
    Node planesNode = full.child("planes");
    Node chunkItem = chunksNode == null ? null : chunksNode.children.get(0);
    Node planeItem = planesNode.children.get(0);
    Node chunkPix = chunkItem == null ? null : chunkItem.child(variant.isBytes() ? "pixel_bytes" : "pixels");
    Node planePix = planeItem.child("pixels");
    Node pruned = prune(full, List.of(chunkPix == null ? planePix : chunkPix, planePix));
    try (FieldVector v = table.readColumn(group, pruned, allocator)) {
      StructVector sv = (StructVector) v;
      this.metadata = metadataOf(sv, allocator);
      PixelsMeta p = metadata.pixels();
      this.planes = new Box[(int) p.planeCount()];
      FieldVector cv = sv.getChild("chunks") == null ? null : (FieldVector) sv.getChild("chunks");
      boolean hasChunks = cv != null && !cv.isNull(0) && Vectors.listEnd(cv, 0) > Vectors.listStart(cv, 0);
      this.bytes = hasChunks && variant.isBytes();
      if (hasChunks) {
        readChunkBoxes(cv, p, variant.isBytes(), where);
        this.pixelLeaf = chunkPix.kind == Node.Kind.LEAF ? chunkPix : chunkPix.children.get(0);
      } else {
        readPlaneBoxes((FieldVector) sv.getChild("planes"), p, where);
        this.pixelLeaf = planePix.children.get(0);
      }
      this.storedType = bytes ? p.pixelType() : PixelType.fromArrow(pixelLeaf.field.getType());
    }
    String encoding = bytes ? "byte-chunks" : chunks.isEmpty() ? "planes" : "list-chunks";
    this.info = new SourceInfo(table.location(), encoding, table.rowCount(), column, variant.label(), 1);
  }

  /** A copy of {@code n} without the given subtrees. */
  private static Node prune(Node n, List<Node> drop) {
    if (n.kind == Node.Kind.LEAF) {
      return n;
    }
    List<Node> kids = new ArrayList<>();
    List<Field> fields = new ArrayList<>();
    for (Node c : n.children) {
      if (drop.contains(c)) {
        continue;
      }
      Node p = prune(c, drop);
      kids.add(p);
      fields.add(p.field);
    }
    Field f = new Field(n.field.getName(), n.field.getFieldType(), fields);
    return new Node(n.kind, f, n.element, n.def, n.depth, n.slotDef, List.copyOf(kids), n.elemDef, n.leafIndex, n.maxRep, n.maxDef, n.path);
  }

  /** Reads the metadata through OmeImage over a struct holding only the non-pixel fields. */
  private static ImageMetadata metadataOf(StructVector sv, BufferAllocator allocator) {
    List<Field> fields = new ArrayList<>();
    List<String> keep = List.of("type", "version", "id", "name", "image_type", "acquisition_datetime", "pixels_meta", "chunk_grid");
    for (String k : keep) {
      if (sv.getChild(k) != null) {
        fields.add(sv.getChild(k).getField());
      }
    }
    fields.add(new Field("planes", FieldType.nullable(ArrowType.Null.INSTANCE), null));
    fields.add(new Field("masks", FieldType.nullable(ArrowType.Null.INSTANCE), null));
    Field mf = new Field(sv.getName(), FieldType.nullable(ArrowType.Struct.INSTANCE), fields);
    try (StructVector meta = (StructVector) mf.createVector(allocator)) {
      meta.allocateNew();
      for (String k : keep) {
        if (sv.getChild(k) != null) {
          sv.getChild(k).makeTransferPair(meta.getChild(k)).transfer();
        }
      }
      ((NullVector) meta.getChild("planes")).setValueCount(sv.getValueCount());
      ((NullVector) meta.getChild("masks")).setValueCount(sv.getValueCount());
      meta.setIndexDefined(0);
      meta.setValueCount(sv.getValueCount());
      if (sv.isNull(0)) {
        throw new FormatException("OME-Arrow column '" + sv.getName() + "' row is null");
      }
      return OmeImage.wrap(meta, 0).metadata();
    }
  }

  private void readChunkBoxes(FieldVector cv, PixelsMeta p, boolean isBytes, String where) {
    StructVector items = (StructVector) Vectors.listData(cv, where);
    String[] names = {"t", "c", "z", "y", "x", "shape_z", "shape_y", "shape_x"};
    long entry = 0;
    for (long li = Vectors.listStart(cv, 0); li < Vectors.listEnd(cv, 0); li++) {
      int i = (int) li;
      int[] v = new int[8];
      for (int k = 0; k < 8; k++) {
        v[k] = Vectors.int32(Vectors.required(items, names[k], where), i, 0, where);
      }
      int ci = chunks.size();
      if (v[0] < 0 || v[0] >= p.sizeT() || v[1] < 0 || v[1] >= p.sizeC() || v[2] < 0 || v[3] < 0 || v[4] < 0 || v[5] <= 0
          || v[6] <= 0 || v[7] <= 0 || (long) v[2] + v[5] > p.sizeZ() || (long) v[3] + v[6] > p.sizeY() || (long) v[4] + v[7] > p.sizeX()) {
        throw new FormatException(where + ": chunks[" + ci + "] extent out of range: origin (t,c,z,y,x)=(" + v[0] + "," + v[1] + "," + v[2]
            + "," + v[3] + "," + v[4] + ") shape (" + v[5] + "," + v[6] + "," + v[7] + ") in image " + java.util.Arrays.toString(p.shape()));
      }
      PixelType type = p.pixelType();
      String comp = null;
      if (isBytes) {
        String dt = Vectors.string(Vectors.child(items, "dtype"), i, where);
        type = dt == null ? type : PixelType.fromName(dt);
        comp = Vectors.string(Vectors.child(items, "compression"), i, where);
      }
      long n = (long) v[5] * v[6] * v[7];
      chunks.add(new Box(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], type, comp, isBytes ? ci : entry, isBytes ? 1 : n));
      entry += n;
    }
  }

  private void readPlaneBoxes(FieldVector pv, PixelsMeta p, String where) {
    if (pv == null || pv.isNull(0)) {
      return;
    }
    StructVector items = (StructVector) Vectors.listData(pv, where);
    long entry = 0;
    for (long li = Vectors.listStart(pv, 0); li < Vectors.listEnd(pv, 0); li++) {
      int i = (int) li;
      int z = Vectors.int32(Vectors.required(items, "z", where), i, 0, where);
      int t = Vectors.int32(Vectors.required(items, "t", where), i, 0, where);
      int c = Vectors.int32(Vectors.required(items, "c", where), i, 0, where);
      if (t < 0 || t >= p.sizeT() || c < 0 || c >= p.sizeC() || z < 0 || z >= p.sizeZ()) {
        throw new FormatException(where + ": planes[" + (li - Vectors.listStart(pv, 0)) + "] index out of range: (z,t,c)=(" + z + "," + t
            + "," + c + ")");
      }
      planes[(int) p.planeIndex(t, c, z)] = new Box(t, c, z, 0, 0, 1, p.sizeY(), p.sizeX(), null, null, entry, p.planePixels());
      entry += p.planePixels();
    }
  }

  @Override
  public ImageMetadata metadata() {
    return metadata;
  }

  @Override
  public SourceInfo info() {
    return info;
  }

  @Override
  public synchronized void readRegion(int t, int c, int z, int x, int y, int w, int h, MemorySegment dst) {
    if (closed) {
      throw new IllegalStateException("LazyParquetImage is closed");
    }
    PixelsMeta p = metadata.pixels();
    p.checkRead(t, c, z, x, y, w, h, dst);
    PixelType out = p.pixelType();
    long need = (long) w * h * out.byteSize();
    dst.asSlice(0, need).fill((byte) 0);
    List<Box> boxes = new ArrayList<>();
    if (!chunks.isEmpty()) {
      for (Box b : chunks) {
        if (b.t() == t && b.c() == c && z >= b.z() && z < b.z() + b.sz() && x < b.x() + b.sx() && b.x() < x + w && y < b.y() + b.sy()
            && b.y() < y + h) {
          boxes.add(b);
        }
      }
    } else if (planes[(int) p.planeIndex(t, c, z)] != null) {
      boxes.add(planes[(int) p.planeIndex(t, c, z)]);
    }
    for (Box b : boxes) {
      copyBox(b, z, x, y, w, h, dst, out);
    }
  }

  private void copyBox(Box b, int z, int x, int y, int w, int h, MemorySegment dst, PixelType out) {
    int x0 = Math.max(x, b.x());
    int y0 = Math.max(y, b.y());
    int x1 = Math.min(x + w, b.x() + b.sx());
    int y1 = Math.min(y + h, b.y() + b.sy());
    long planeOff = (long) (z - b.z()) * b.sy() * b.sx();
    String where = "Parquet file '" + table.location() + "' chunk (t=" + b.t() + ", c=" + b.c() + ", z=" + b.z() + ", y=" + b.y() + ", x="
        + b.x() + ")";
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment src;
      PixelType st;
      if (bytes) {
        st = b.type();
        MemorySegment payload = binaryEntry(b.entry(), arena, where);
        long decoded = (long) b.sz() * b.sy() * b.sx() * st.byteSize();
        if (b.compression() == null) {
          if (payload.byteSize() != decoded) {
            throw new FormatException(where + ": pixel payload length " + payload.byteSize() / st.byteSize() + " != expected "
                + decoded / st.byteSize());
          }
          src = payload;
        } else {
          src = arena.allocate(decoded, 64);
          ChunkCompression.decompress(b.compression(), payload, src, where);
        }
        src = src.asSlice(planeOff * st.byteSize(), (long) b.sy() * b.sx() * st.byteSize());
      } else {
        st = storedType;
        src = arena.allocate((long) b.sy() * b.sx() * st.byteSize(), 64);
        fixedEntries(b.entry() + planeOff, (long) b.sy() * b.sx(), src, where);
      }
      for (int r = y0; r < y1; r++) {
        long so = ((long) (r - b.y()) * b.sx() + (x0 - b.x())) * st.byteSize();
        long dof = ((long) (r - y) * w + (x0 - x)) * out.byteSize();
        int n = x1 - x0;
        if (st == out) {
          MemorySegment.copy(src, so, dst, dof, (long) n * st.byteSize());
        } else {
          PixelConverter.convert(src.asSlice(so, (long) n * st.byteSize()), st, dst.asSlice(dof, (long) n * out.byteSize()), out, n,
              PixelConverter.Rule.WRAP);
        }
      }
    }
  }

  private List<ParquetTable.PageRef> pages() {
    if (pages == null) {
      List<ParquetTable.PageRef> all = table.pageRefs(group, pixelLeaf);
      List<ParquetTable.PageRef> data = new ArrayList<>();
      for (ParquetTable.PageRef r : all) {
        if (r.header().getType() == org.apache.parquet.format.PageType.DICTIONARY_PAGE) {
          dictPage = r;
        } else {
          data.add(r);
        }
      }
      pages = data;
    }
    return pages;
  }

  private LeafData page(int i) {
    LeafData d = cache.get(i);
    if (d == null) {
      List<ParquetTable.PageRef> ps = pages();
      if (dictPage != null && dictRaw == null) {
        dictRaw = table.readBody(dictPage);
      }
      d = table.readPages(group, pixelLeaf, dictRaw, List.of(ps.get(i)), allocator);
      cache.put(i, d);
      if (cache.size() > 32) {
        var it = cache.entrySet().iterator();
        it.next().getValue().close();
        it.remove();
      }
    }
    return d;
  }

  /** Copies entries [first, first+n) of the (non-null, fixed-width) pixel leaf into dst. */
  private void fixedEntries(long first, long n, MemorySegment dst, String where) {
    List<ParquetTable.PageRef> ps = pages();
    int width = storedType.byteSize();
    long done = 0;
    for (int i = 0; i < ps.size() && done < n; i++) {
      ParquetTable.PageRef r = ps.get(i);
      long pEnd = r.firstEntry() + r.entries();
      long want = first + done;
      if (pEnd <= want || r.firstEntry() > want) {
        continue;
      }
      LeafData d = page(i);
      int from = (int) (want - r.firstEntry());
      int take = (int) Math.min(n - done, r.entries() - from);
      int vi = from;
      if (d.values != d.entries) {
        vi = 0;
        for (int e = 0; e < from; e++) {
          if (d.def(e) == pixelLeaf.maxDef) {
            vi++;
          }
        }
        for (int e = from; e < from + take; e++) {
          if (d.def(e) != pixelLeaf.maxDef) {
            throw new FormatException(where + ": pixel list holds nulls or is shorter than its declared shape");
          }
        }
      }
      MemorySegment.copy(PageDecoder.segment(d.fixed), (long) vi * width, dst, done * width, (long) take * width);
      done += take;
    }
    if (done != n) {
      throw new FormatException(where + ": pixel column holds fewer values than the chunk shapes declare");
    }
  }

  /** The bytes of binary entry {@code entry} (one chunk payload), copied into the arena. */
  private MemorySegment binaryEntry(long entry, Arena arena, String where) {
    List<ParquetTable.PageRef> ps = pages();
    for (int i = 0; i < ps.size(); i++) {
      ParquetTable.PageRef r = ps.get(i);
      if (entry < r.firstEntry() || entry >= r.firstEntry() + r.entries()) {
        continue;
      }
      LeafData d = page(i);
      int e = (int) (entry - r.firstEntry());
      if (d.def(e) != pixelLeaf.maxDef) {
        throw new FormatException(where + ": pixel_bytes is null");
      }
      int vi = 0;
      for (int k = 0; k < e; k++) {
        if (d.def(k) == pixelLeaf.maxDef) {
          vi++;
        }
      }
      MemorySegment out = arena.allocate(Math.max(1, d.binLen[vi]), 64).asSlice(0, d.binLen[vi]);
      MemorySegment.copy(d.binSeg[vi], d.binOff[vi], out, 0, d.binLen[vi]);
      return out;
    }
    throw new FormatException(where + ": pixel_bytes entry " + entry + " is not in the column");
  }

  /** Decoded pages of the pixel column currently cached (at most 32; for diagnostics). */
  public synchronized int cachedPages() {
    return cache.size();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    cache.values().forEach(LeafData::close);
    cache.clear();
    if (ownsTable) {
      table.close();
    }
  }
}
