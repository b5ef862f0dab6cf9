package io.omearrow.core;

import io.omearrow.source.ImageSource;
import io.omearrow.source.SourceInfo;
import io.omearrow.memory.RowCopy;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.complex.StructVector;

/**
 * One OME-Arrow image backed by Arrow vectors: row {@code row} of an OME-Arrow struct column (any
 * schema variant). Metadata is decoded and the plane/chunk layout validated once, on
 * construction; pixels stay in the Arrow buffers and are exposed without copying
 * ({@link #storedPlane}, {@link #storedChunks}) or copied region by region ({@link #readRegion},
 * which touches only the chunks a region intersects).
 *
 * <p>Memory: an image made by {@link #wrap} borrows the vector, whose owner must keep it open
 * while the image is used; an image made by {@link #own} or by {@link OmeImageBuilder} closes
 * its vectors (and any other resource handed to it) in {@link #close()}.
 */
public final class OmeImage implements ImageSource {
  private final StructVector struct;
  private final int row;
  private final AutoCloseable owned;
  private final SchemaVariant variant;
  private final ImageMetadata metadata;
  private final PixelType storedType;
  private final PixelSlice[] planes;
  private final List<ChunkRef> chunks;
  private final List<ChunkRef>[] chunksByTc;
  private final SourceInfo info;
  private volatile boolean closed;

  @SuppressWarnings("unchecked")
  private OmeImage(StructVector struct, int row, AutoCloseable owned, SourceInfo baseInfo) {
    this.struct = struct;
    this.row = row;
    this.owned = owned;
    String where = "OME-Arrow column '" + struct.getName() + "' row " + row;
    if (row < 0 || row >= struct.getValueCount()) {
      throw new SelectionException("row_index " + row + " out of range [0, " + struct.getValueCount() + ").");
    }
    if (struct.isNull(row)) {
      throw new FormatException(where + " is null");
    }
    this.variant = OmeSchema.detect(struct.getField());
    this.metadata = readMetadata(where);
    PixelsMeta p = metadata.pixels();
    this.planes = new PixelSlice[(int) Math.min(Integer.MAX_VALUE, p.planeCount())];
    if (p.planeCount() > Integer.MAX_VALUE) {
      throw new FormatException(where + ": " + p.planeCount() + " planes is more than this library indexes");
    }
    PixelType[] listType = new PixelType[1];
    indexPlanes(where, listType);
    this.chunks = indexChunks(where, listType);
    this.storedType = listType[0] != null ? listType[0] : p.pixelType();
    this.chunksByTc = new List[p.sizeT() * p.sizeC()];
    for (ChunkRef c : chunks) {
      int k = c.t() * p.sizeC() + c.c();
      if (chunksByTc[k] == null) {
        chunksByTc[k] = new ArrayList<>();
      }
      chunksByTc[k].add(c);
    }
    String encoding = !chunks.isEmpty() ? (variant.isBytes() ? "byte-chunks" : "list-chunks") : "planes";
    SourceInfo b = baseInfo == null ? SourceInfo.of(null, encoding) : baseInfo;
    this.info = new SourceInfo(b.location(), encoding, b.rows(), b.column() != null ? b.column() : struct.getName(),
        variant.label(), b.series());
  }

  /** Views row {@code row} of a struct column without taking ownership of it. */
  public static OmeImage wrap(StructVector column, int row) {
    return new OmeImage(column, row, null, null);
  }

  /**
   * Views row {@code row} of a struct column and takes ownership of {@code owner} (the vector,
   * or the table holding it), which {@link #close()} closes.
   */
  public static OmeImage own(StructVector column, int row, AutoCloseable owner, SourceInfo info) {
    try {
      return new OmeImage(column, row, owner, info);
    } catch (RuntimeException e) {
      closeQuietly(owner, e);
      throw e;
    }
  }

  private static void closeQuietly(AutoCloseable c, RuntimeException primary) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception suppressed) {
      primary.addSuppressed(suppressed);
    }
  }

  /** The struct vector this image reads (borrowed: do not close it). */
  public StructVector vector() {
    return struct;
  }

  /** The row of {@link #vector()} holding this image. */
  public int row() {
    return row;
  }

  /** The schema variant of the backing struct. */
  public SchemaVariant variant() {
    return variant;
  }

  /**
   * The type the pixel values are stored in: the list element type for list encoding (uint16 in
   * files the Python package writes, even when {@code pixels_meta.type} says otherwise), else
   * the logical type. {@link #readRegion} converts to {@code pixels().pixelType()}.
   */
  public PixelType storedType() {
    return storedType;
  }

  @Override
  public ImageMetadata metadata() {
    return metadata;
  }

  @Override
  public SourceInfo info() {
    return info;
  }

  /** True when pixels are held as chunks (readers then prefer chunks over planes). */
  public boolean isChunked() {
    return !chunks.isEmpty();
  }

  /** True when the record stores whole planes for (t, c, z). */
  public boolean hasPlane(int t, int c, int z) {
    metadata.pixels().checkPlane(t, c, z);
    return planes[(int) metadata.pixels().planeIndex(t, c, z)] != null;
  }

  @Override
  public Optional<PixelSlice> storedPlane(int t, int c, int z) {
    checkOpen();
    metadata.pixels().checkPlane(t, c, z);
    return Optional.ofNullable(planes[(int) metadata.pixels().planeIndex(t, c, z)]);
  }

  @Override
  public List<ChunkRef> storedChunks() {
    checkOpen();
    return chunks;
  }

  /** The chunks of (t, c) whose z-range covers z, in storage order. */
  public List<ChunkRef> chunksCovering(int t, int c, int z) {
    List<ChunkRef> all = chunksByTc[t * metadata.pixels().sizeC() + c];
    if (all == null) {
      return List.of();
    }
    List<ChunkRef> out = new ArrayList<>();
    for (ChunkRef ch : all) {
      if (ch.covers(t, c, z)) {
        out.add(ch);
      }
    }
    return out;
  }

  @Override
  public void readRegion(int t, int c, int z, int x, int y, int w, int h, MemorySegment dst) {
    checkOpen();
    PixelsMeta p = metadata.pixels();
    p.checkRead(t, c, z, x, y, w, h, dst);
    PixelType out = p.pixelType();
    long need = (long) w * h * out.byteSize();
    if (!chunks.isEmpty()) {
      readFromChunks(t, c, z, x, y, w, h, dst);
      return;
    }
    PixelSlice plane = planes[(int) p.planeIndex(t, c, z)];
    if (plane == null) {
      dst.asSlice(0, need).fill((byte) 0);
      return;
    }
    copyRect(plane.segment(), plane.type(), p.sizeX(), x, y, w, h, dst, 0, w, out);
  }

  private void readFromChunks(int t, int c, int z, int x, int y, int w, int h, MemorySegment dst) {
    PixelType out = metadata.pixels().pixelType();
    List<ChunkRef> all = chunksByTc[t * metadata.pixels().sizeC() + c];
    if (all == null) {
      all = List.of();
    }
    long covered = 0;
    for (ChunkRef ch : all) {
      if (ch.covers(t, c, z) && ch.intersects(x, y, w, h)) {
        covered += (long) (Math.min(x + w, ch.x() + ch.shapeX()) - Math.max(x, ch.x()))
            * (Math.min(y + h, ch.y() + ch.shapeY()) - Math.max(y, ch.y()));
      }
    }
    // Clearing is a full extra pass over the output: only needed where chunks leave gaps.
    if (covered != (long) w * h) {
      dst.asSlice(0, (long) w * h * out.byteSize()).fill((byte) 0);
    }
    for (ChunkRef ch : all) {
      if (!ch.covers(t, c, z) || !ch.intersects(x, y, w, h)) {
        continue;
      }
      int x0 = Math.max(x, ch.x());
      int y0 = Math.max(y, ch.y());
      int x1 = Math.min(x + w, ch.x() + ch.shapeX());
      int y1 = Math.min(y + h, ch.y() + ch.shapeY());
      long planeOffset = (long) (z - ch.z()) * ch.shapeY() * ch.shapeX();
      if (ch.isCompressed()) {
        try (Arena arena = Arena.ofConfined()) {
          MemorySegment decoded = arena.allocate(ch.decodedBytes(), 64);
          ChunkCompression.decompress(ch.compression(), ch.payload().segment(), decoded, where(ch));
          MemorySegment slab = decoded.asSlice(planeOffset * ch.type().byteSize(), (long) ch.shapeY() * ch.shapeX() * ch.type().byteSize());
          copyRect(slab, ch.type(), ch.shapeX(), x0 - ch.x(), y0 - ch.y(), x1 - x0, y1 - y0, dst,
              (long) (y0 - y) * w + (x0 - x), w, out);
        }
      } else {
        MemorySegment slab = ch.payload().segment().asSlice(planeOffset * ch.type().byteSize(),
            (long) ch.shapeY() * ch.shapeX() * ch.type().byteSize());
        copyRect(slab, ch.type(), ch.shapeX(), x0 - ch.x(), y0 - ch.y(), x1 - x0, y1 - y0, dst,
            (long) (y0 - y) * w + (x0 - x), w, out);
      }
    }
  }

  private String where(ChunkRef ch) {
    return "OME-Arrow column '" + struct.getName() + "' row " + row + " chunk (t=" + ch.t() + ", c=" + ch.c() + ", z=" + ch.z()
        + ", y=" + ch.y() + ", x=" + ch.x() + ")";
  }

  /**
   * Copies a w×h rectangle at (x, y) out of a row-major source of width {@code srcWidth} into
   * {@code dst} at element {@code dstIndex} with row pitch {@code dstWidth}, converting types if
   * they differ.
   */
  static void copyRect(MemorySegment src, PixelType srcType, int srcWidth, int x, int y, int w, int h,
      MemorySegment dst, long dstIndex, int dstWidth, PixelType dstType) {
    int sb = srcType.byteSize();
    int db = dstType.byteSize();
    if (srcType == dstType) {
      RowCopy.rows(src, ((long) y * srcWidth + x) * sb, (long) srcWidth * sb, dst, dstIndex * db, (long) dstWidth * db,
          (long) w * sb, h);
      return;
    }
    for (int r = 0; r < h; r++) {
      long so = ((long) (y + r) * srcWidth + x) * sb;
      long dof = (dstIndex + (long) r * dstWidth) * db;
      PixelConverter.convert(src.asSlice(so, (long) w * sb), srcType, dst.asSlice(dof, (long) w * db), dstType, w,
          PixelConverter.Rule.WRAP);
    }
  }

  private ImageMetadata readMetadata(String where) {
    String type = Vectors.string(Vectors.child(struct, "type"), row, where);
    String version = Vectors.string(Vectors.child(struct, "version"), row, where);
    String id = Vectors.string(Vectors.child(struct, "id"), row, where);
    String name = Vectors.string(Vectors.child(struct, "name"), row, where);
    String imageType = Vectors.string(Vectors.child(struct, "image_type"), row, where);
    Long micros = Vectors.timestampMicros(Vectors.child(struct, "acquisition_datetime"), row, where);
    Instant acquired = micros == null ? null : Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    FieldVector pmv = Vectors.child(struct, "pixels_meta");
    if (!(pmv instanceof StructVector pm) || pm.isNull(row)) {
      throw new FormatException(where + ": pixels_meta is missing from OME-Arrow record.");
    }
    String pw = where + " pixels_meta";
    String typeName = Vectors.string(Vectors.child(pm, "type"), row, pw);
    PixelType pt = typeName == null ? PixelType.UINT16 : PixelType.fromName(typeName);
    int sx = Vectors.int32(Vectors.required(pm, "size_x", pw), row, 0, pw);
    int sy = Vectors.int32(Vectors.required(pm, "size_y", pw), row, 0, pw);
    int sz = Vectors.int32(Vectors.required(pm, "size_z", pw), row, 1, pw);
    int sc = Vectors.int32(Vectors.required(pm, "size_c", pw), row, 1, pw);
    int st = Vectors.int32(Vectors.required(pm, "size_t", pw), row, 1, pw);
    List<Channel> channels = new ArrayList<>();
    FieldVector chv = Vectors.child(pm, "channels");
    if (chv != null && !chv.isNull(row)) {
      StructVector items = (StructVector) Vectors.listData(chv, pw);
      for (long i = Vectors.listStart(chv, row); i < Vectors.listEnd(chv, row); i++) {
        int k = (int) i;
        double em = Vectors.real(Vectors.child(items, "emission_um"), k, pw);
        double ex = Vectors.real(Vectors.child(items, "excitation_um"), k, pw);
        channels.add(new Channel(Vectors.string(Vectors.child(items, "id"), k, pw), Vectors.string(Vectors.child(items, "name"), k, pw),
            Double.isNaN(em) ? 0f : (float) em, Double.isNaN(ex) ? 0f : (float) ex,
            Vectors.string(Vectors.child(items, "illumination"), k, pw),
            (int) Vectors.integer(Vectors.child(items, "color_rgba"), k, 0xFFFFFFFFL, pw)));
      }
    }
    PixelsMeta pixels = new PixelsMeta(Vectors.string(Vectors.child(pm, "dimension_order"), row, pw), pt, sx, sy, sz, sc, st,
        physical(pm, "x", pw), physical(pm, "y", pw), physical(pm, "z", pw), channels);
    ChunkGrid grid = null;
    FieldVector gv = Vectors.child(struct, "chunk_grid");
    if (gv instanceof StructVector g && !g.isNull(row)) {
      String gw = where + " chunk_grid";
      String chunkOrder = Vectors.string(Vectors.child(g, "chunk_order"), row, gw);
      grid = new ChunkGrid(orDefault(Vectors.string(Vectors.child(g, "order"), row, gw), "TCZYX"),
          Vectors.int32(Vectors.child(g, "chunk_t"), row, 1, gw), Vectors.int32(Vectors.child(g, "chunk_c"), row, 1, gw),
          Vectors.int32(Vectors.child(g, "chunk_z"), row, 1, gw), Vectors.int32(Vectors.child(g, "chunk_y"), row, 0, gw),
          Vectors.int32(Vectors.child(g, "chunk_x"), row, 0, gw), orDefault(chunkOrder, "ZYX"));
    }
    return new ImageMetadata(type, version, id, name, imageType, acquired, pixels, grid);
  }

  private static String orDefault(String s, String d) {
    return s == null ? d : s;
  }

  private PhysicalSize physical(StructVector pm, String axis, String where) {
    FieldVector vec = Vectors.child(pm, "physical_size_" + axis);
    double v = Vectors.real(vec, row, where);
    if (vec instanceof org.apache.arrow.vector.Float4Vector && !Double.isNaN(v)) {
      // float32 storage: report the shortest decimal that round-trips (0.325, not 0.32499998...)
      v = Double.parseDouble(Float.toString((float) v));
    }
    String unit = Vectors.string(Vectors.child(pm, "physical_size_" + axis + "_unit"), row, where);
    if (Double.isNaN(v)) {
      return null;
    }
    return new PhysicalSize(v, unit == null ? PhysicalSize.MICROMETER : unit);
  }

  private void indexPlanes(String where, PixelType[] listType) {
    FieldVector pv = Vectors.child(struct, "planes");
    if (pv == null || pv.isNull(row)) {
      return;
    }
    PixelsMeta p = metadata.pixels();
    StructVector items = (StructVector) Vectors.listData(pv, where + " planes");
    FieldVector zv = Vectors.required(items, "z", where + " planes");
    FieldVector tv = Vectors.required(items, "t", where + " planes");
    FieldVector cv = Vectors.required(items, "c", where + " planes");
    FieldVector pix = Vectors.required(items, "pixels", where + " planes");
    FieldVector values = Vectors.listData(pix, where + " planes.pixels");
    PixelType vt = PixelType.fromArrow(values.getField().getType());
    listType[0] = vt;
    ArrowBuf data = values.getDataBuffer();
    long start = Vectors.listStart(pv, row);
    long end = Vectors.listEnd(pv, row);
    for (long li = start; li < end; li++) {
      int i = (int) li;
      int pi = (int) (li - start);
      int z = Vectors.int32(zv, i, 0, where);
      int t = Vectors.int32(tv, i, 0, where);
      int c = Vectors.int32(cv, i, 0, where);
      if (t < 0 || t >= p.sizeT() || c < 0 || c >= p.sizeC() || z < 0 || z >= p.sizeZ()) {
        throw new FormatException(where + ": planes[" + pi + "] index out of range: (z,t,c)=(" + z + "," + t + "," + c + ")");
      }
      long s = pix.isNull(i) ? 0 : Vectors.listStart(pix, i);
      long n = pix.isNull(i) ? 0 : Vectors.listEnd(pix, i) - s;
      if (n != p.planePixels()) {
        throw new FormatException(where + ": planes[" + pi + "].pixels length " + n + " != size_x*size_y " + p.planePixels());
      }
      planes[(int) p.planeIndex(t, c, z)] = new PixelSlice(data, s * vt.byteSize(), n, vt);
    }
  }

  private List<ChunkRef> indexChunks(String where, PixelType[] listType) {
    FieldVector cv = Vectors.child(struct, "chunks");
    if (cv == null || cv.isNull(row) || Vectors.listEnd(cv, row) == Vectors.listStart(cv, row)) {
      return List.of();
    }
    if (metadata.chunkGrid() != null && !"ZYX".equals(metadata.chunkGrid().chunkOrder())) {
      throw new FormatException(where + ": Only chunk_order='ZYX' is supported for now.");
    }
    PixelsMeta p = metadata.pixels();
    String cw = where + " chunks";
    StructVector items = (StructVector) Vectors.listData(cv, cw);
    FieldVector[] f = new FieldVector[8];
    String[] names = {"t", "c", "z", "y", "x", "shape_z", "shape_y", "shape_x"};
    for (int k = 0; k < 8; k++) {
      f[k] = Vectors.required(items, names[k], cw);
    }
    FieldVector pix = Vectors.child(items, "pixels");
    FieldVector bytes = Vectors.child(items, "pixel_bytes");
    FieldVector dtype = Vectors.child(items, "dtype");
    FieldVector comp = Vectors.child(items, "compression");
    FieldVector values = pix != null ? Vectors.listData(pix, cw + ".pixels") : null;
    PixelType vt = values != null ? PixelType.fromArrow(values.getField().getType()) : null;
    if (vt != null) {
      listType[0] = vt;
    }
    List<ChunkRef> out = new ArrayList<>();
    long start = Vectors.listStart(cv, row);
    long end = Vectors.listEnd(cv, row);
    for (long li = start; li < end; li++) {
      int i = (int) li;
      int ci = (int) (li - start);
      int[] v = new int[8];
      for (int k = 0; k < 8; k++) {
        v[k] = Vectors.int32(f[k], i, 0, cw);
      }
      int t = v[0];
      int c = v[1];
      int z = v[2];
      if (t < 0 || t >= p.sizeT() || c < 0 || c >= p.sizeC() || z < 0 || z >= p.sizeZ()) {
        throw new FormatException(where + ": chunks[" + ci + "] index out of range: (t,c,z)=(" + t + "," + c + "," + z + ")");
      }
      if (v[3] < 0 || v[4] < 0 || v[5] <= 0 || v[6] <= 0 || v[7] <= 0) {
        throw new FormatException(where + ": chunks[" + ci + "] has invalid shape or origin.");
      }
      checkExtent(where, ci, "z", z, v[5], p.sizeZ());
      checkExtent(where, ci, "y", v[3], v[6], p.sizeY());
      checkExtent(where, ci, "x", v[4], v[7], p.sizeX());
      long expected = (long) v[5] * v[6] * v[7];
      PixelSlice payload;
      PixelType type;
      String compression = null;
      if (bytes != null) {
        String dt = Vectors.string(dtype, i, cw);
        type = dt == null ? p.pixelType() : PixelType.fromName(dt);
        compression = comp == null ? null : Vectors.string(comp, i, cw);
        long[] span = bytes.isNull(i) ? new long[] {0, 0} : Vectors.binarySpan(bytes, i, cw);
        if (compression == null && span[1] != expected * type.byteSize()) {
          throw new FormatException(where + ": chunks[" + ci + "] pixel payload length " + span[1] / type.byteSize() + " != expected " + expected);
        }
        payload = new PixelSlice(Vectors.binaryData(bytes), span[0], span[1], PixelType.UINT8);
        if (compression == null) {
          payload = new PixelSlice(payload.buffer(), span[0], expected, type);
        }
      } else {
        if (pix == null) {
          throw new FormatException(cw + ": chunks carry neither 'pixels' nor 'pixel_bytes'");
        }
        long s = pix.isNull(i) ? 0 : Vectors.listStart(pix, i);
        long n = pix.isNull(i) ? 0 : Vectors.listEnd(pix, i) - s;
        if (n != expected) {
          throw new FormatException(where + ": chunks[" + ci + "] pixel payload length " + n + " != expected " + expected);
        }
        type = vt;
        payload = new PixelSlice(values.getDataBuffer(), s * vt.byteSize(), n, vt);
      }
      out.add(new ChunkRef(t, c, z, v[3], v[4], v[5], v[6], v[7], type, compression, payload));
    }
    return List.copyOf(out);
  }

  private static void checkExtent(String where, int i, String axis, int origin, int shape, int size) {
    if ((long) origin + shape > size) {
      throw new FormatException(where + ": chunks[" + i + "] extent out of range: " + axis + "+shape_" + axis + "=" + ((long) origin + shape)
          + " > s" + axis + "=" + size);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("OmeImage is closed");
    }
  }

  /** True once {@link #close()} ran. */
  public boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (owned != null) {
      try {
        owned.close();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new OmeArrowException("closing image resources failed: " + e.getMessage(), e);
      }
    }
  }

  @Override
  public String toString() {
    PixelsMeta p = metadata.pixels();
    return "OmeImage[" + metadata.id() + ", " + p.pixelType() + " " + Arrays.toString(p.shape()) + ", " + info.encoding() + ", " + variant.label() + "]";
  }

}
