package io.omearrow.core;

import io.omearrow.source.ImageSource;
import io.omearrow.source.SourceInfo;
import io.omearrow.source.WriteOptions;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.LargeVarBinaryVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Builds an {@link OmeImage} (a one-row OME-Arrow struct vector) from pixels held anywhere: a
 * TCZYX array (Java primitive array or MemorySegment), another {@link ImageSource}, or a plane
 * callback. Pixels are written into the Arrow buffers in bulk, one plane at a time.
 *
 * <p>Encodings follow the Python {@code to_ome_arrow}: "list" stores planes and (unless
 * {@link #buildChunks(boolean)} is off) chunks as value lists; "bytes" stores only chunks as raw
 * or compressed {@code pixel_bytes} and leaves planes empty. Chunk shapes default to
 * (1, 512, 512) and are clamped to the image; chunks are emitted t → c → z → y → x.
 *
 * <p>Memory: the built image owns its vectors, allocated from the allocator passed to
 * {@code build}; close the image to free them. Staging memory for one chunk row of planes is
 * freed before {@code build} returns.
 */
public final class OmeImageBuilder {
  /** Writes plane (t, c, z) into {@code dst} (row-major, little-endian, the image's pixel type). */
  @FunctionalInterface
  public interface PlaneSource {
    void readPlane(int t, int c, int z, MemorySegment dst);
  }

  private final ImageMetadata metadata;
  private String encoding = "list";
  private boolean buildChunks = true;
  private int[] chunkShape;
  private ChunkCompression compression = ChunkCompression.NONE;
  private String column = OmeSchema.DEFAULT_COLUMN;

  private OmeImageBuilder(ImageMetadata metadata) {
    this.metadata = metadata;
  }

  /** A builder for an image with this metadata (its chunk grid, if any, is recomputed). */
  public static OmeImageBuilder of(ImageMetadata metadata) {
    return new OmeImageBuilder(metadata);
  }

  /** A builder with default metadata for the given type and TCZYX sizes. */
  public static OmeImageBuilder of(PixelType type, int sizeT, int sizeC, int sizeZ, int sizeY, int sizeX) {
    return new OmeImageBuilder(ImageMetadata.of(PixelsMeta.of(type, sizeT, sizeC, sizeZ, sizeY, sizeX)));
  }

  /** Applies the encoding, chunk and column settings of write options. */
  public OmeImageBuilder options(WriteOptions o) {
    encoding(o.encoding());
    buildChunks(o.buildChunks());
    if (o.chunkShape() != null) {
      chunkShape(o.chunkShape()[0], o.chunkShape()[1], o.chunkShape()[2]);
    }
    chunkCompression(o.chunkCompression() == null ? ChunkCompression.NONE : o.chunkCompression());
    if (o.column() != null) {
      column(o.column());
    }
    return this;
  }

  /** "list" (default) or "bytes". */
  public OmeImageBuilder encoding(String e) {
    String n = e == null ? "list" : e.strip().toLowerCase(Locale.ROOT);
    if (!n.equals("list") && !n.equals("bytes")) {
      throw new SelectionException("chunk_encoding must be either 'list' or 'bytes'");
    }
    this.encoding = n;
    return this;
  }

  /** Whether list encoding also stores chunks (default true, as the Python writer). */
  public OmeImageBuilder buildChunks(boolean b) {
    this.buildChunks = b;
    return this;
  }

  /** Chunk shape (z, y, x); each value must be positive and is clamped to the image size. */
  public OmeImageBuilder chunkShape(int z, int y, int x) {
    if (z <= 0 || y <= 0 || x <= 0) {
      throw new SelectionException("chunk_shape values must be positive integers");
    }
    this.chunkShape = new int[] {z, y, x};
    return this;
  }

  /** Per-chunk compression for byte encoding. */
  public OmeImageBuilder chunkCompression(ChunkCompression c) {
    this.compression = c;
    return this;
  }

  /** Name of the struct vector (the table column), default "ome_arrow". */
  public OmeImageBuilder column(String name) {
    this.column = name;
    return this;
  }

  /** Builds from a C-order TCZYX array in a segment (heap or native). */
  public OmeImage fromSegment(MemorySegment tczyx, BufferAllocator allocator) {
    PixelsMeta p = metadata.pixels();
    if (tczyx.byteSize() < p.totalBytes()) {
      throw new SelectionException("array holds " + tczyx.byteSize() + " bytes; TCZYX " + java.util.Arrays.toString(p.shape()) + " of "
          + p.pixelType() + " needs " + p.totalBytes());
    }
    long pb = p.planeBytes();
    return build((t, c, z, dst) -> MemorySegment.copy(tczyx, p.planeIndex(t, c, z) * pb, dst, 0, pb), allocator);
  }

  /**
   * Builds from a Java primitive array (byte[], short[], int[], long[], float[] or double[]) in
   * C-order TCZYX; the array's element size must match the pixel type.
   */
  public OmeImage fromArray(Object array, BufferAllocator allocator) {
    MemorySegment seg = switch (array) {
      case byte[] a -> MemorySegment.ofArray(a);
      case short[] a -> MemorySegment.ofArray(a);
      case int[] a -> MemorySegment.ofArray(a);
      case long[] a -> MemorySegment.ofArray(a);
      case float[] a -> MemorySegment.ofArray(a);
      case double[] a -> MemorySegment.ofArray(a);
      default -> throw new SelectionException("fromArray takes byte[], short[], int[], long[], float[] or double[]; got "
          + (array == null ? "null" : array.getClass().getSimpleName()));
    };
    int elem = (int) (seg.byteSize() / java.lang.reflect.Array.getLength(array));
    if (elem != metadata.pixels().pixelType().byteSize()) {
      throw new SelectionException(array.getClass().getSimpleName() + " does not hold " + metadata.pixels().pixelType() + " pixels");
    }
    return fromSegment(seg, allocator);
  }

  /** Builds by reading every plane of another source (converted to this builder's pixel type). */
  public OmeImage fromSource(ImageSource source, BufferAllocator allocator) {
    PixelType from = source.pixels().pixelType();
    PixelType to = metadata.pixels().pixelType();
    if (from == to) {
      return build(source::readPlane, allocator);
    }
    long n = metadata.pixels().planePixels();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment tmp = arena.allocate(n * from.byteSize(), 64);
      return build((t, c, z, dst) -> {
        source.readPlane(t, c, z, tmp);
        PixelConverter.convert(tmp, from, dst, to, n, PixelConverter.Rule.CLAMP);
      }, allocator);
    }
  }

  /** Builds by asking {@code planes} for each plane in t → c → z order. */
  public OmeImage build(PlaneSource planes, BufferAllocator allocator) {
    PixelsMeta p = metadata.pixels();
    boolean bytes = encoding.equals("bytes");
    boolean withChunks = bytes || buildChunks;
    int cz = Math.min(chunkShape == null ? 1 : chunkShape[0], p.sizeZ());
    int cy = Math.min(chunkShape == null ? 512 : chunkShape[1], p.sizeY());
    int cx = Math.min(chunkShape == null ? 512 : chunkShape[2], p.sizeX());
    ChunkGrid grid = withChunks ? ChunkGrid.of(cz, cy, cx) : null;
    SchemaVariant variant = bytes ? SchemaVariant.V2_BYTES : SchemaVariant.V2_LIST;
    Field field = OmeSchema.structField(column, variant, p.pixelType());
    StructVector sv = (StructVector) field.createVector(allocator);
    try {
      sv.allocateNew();
      ImageMetadata md = new ImageMetadata(orElse(metadata.type(), ImageMetadata.OME_ARROW_TYPE), orElse(metadata.version(), ImageMetadata.WRITER_VERSION),
          metadata.id(), metadata.name(), metadata.imageType(), metadata.acquisitionDatetime(), p, grid);
      writeScalars(sv, md, true);
      writePixels(sv, planes, p, grid, bytes, withChunks, allocator);
      sv.setIndexDefined(0);
      sv.setValueCount(1);
      return OmeImage.own(sv, 0, sv, SourceInfo.of(null, null));
    } catch (RuntimeException e) {
      sv.close();
      throw e;
    }
  }

  private static String orElse(String s, String d) {
    return s == null ? d : s;
  }

  /** Writes the scalar fields and pixels_meta of row 0 (shared with other writers of this struct). */
  static void writeScalars(StructVector sv, ImageMetadata md, boolean hasImageType) {
    setString(sv, "type", md.type());
    setString(sv, "version", md.version());
    setString(sv, "id", md.id());
    setString(sv, "name", md.name());
    if (hasImageType && sv.getChild("image_type") != null) {
      setString(sv, "image_type", md.imageType());
    }
    TimeStampMicroVector ts = (TimeStampMicroVector) sv.getChild("acquisition_datetime");
    Instant when = md.acquisitionDatetime() == null ? Instant.now() : md.acquisitionDatetime();
    ts.setSafe(0, Math.addExact(Math.multiplyExact(when.getEpochSecond(), 1_000_000L), when.getNano() / 1000));
    PixelsMeta p = md.pixels();
    StructVector pm = (StructVector) sv.getChild("pixels_meta");
    setString(pm, "dimension_order", p.dimensionOrder());
    setString(pm, "type", p.pixelType().numpyName());
    ((IntVector) pm.getChild("size_x")).setSafe(0, p.sizeX());
    ((IntVector) pm.getChild("size_y")).setSafe(0, p.sizeY());
    ((IntVector) pm.getChild("size_z")).setSafe(0, p.sizeZ());
    if (p.sizeC() > Short.MAX_VALUE) {
      throw new SelectionException("size_c " + p.sizeC() + " does not fit the schema's int16 size_c");
    }
    ((SmallIntVector) pm.getChild("size_c")).setSafe(0, (short) p.sizeC());
    ((IntVector) pm.getChild("size_t")).setSafe(0, p.sizeT());
    setPhysical(pm, "x", p.physicalSizeX());
    setPhysical(pm, "y", p.physicalSizeY());
    setPhysical(pm, "z", p.physicalSizeZ());
    ListVector channels = (ListVector) pm.getChild("channels");
    StructVector items = (StructVector) channels.getDataVector();
    int start = channels.startNewValue(0);
    int k = start;
    for (Channel ch : p.channels()) {
      setString(items, "id", k, ch.id());
      setString(items, "name", k, ch.name());
      ((Float4Vector) items.getChild("emission_um")).setSafe(k, ch.emissionUm());
      ((Float4Vector) items.getChild("excitation_um")).setSafe(k, ch.excitationUm());
      setString(items, "illumination", k, ch.illumination());
      ((UInt4Vector) items.getChild("color_rgba")).setSafe(k, ch.colorRgba());
      items.setIndexDefined(k);
      k++;
    }
    channels.endValue(0, k - start);
    items.setValueCount(k);
    pm.setIndexDefined(0);
  }

  private static void setPhysical(StructVector pm, String axis, PhysicalSize s) {
    Float4Vector v = (Float4Vector) pm.getChild("physical_size_" + axis);
    if (s == null) {
      v.setNull(0);
      setString(pm, "physical_size_" + axis + "_unit", null);
    } else {
      v.setSafe(0, (float) s.value());
      setString(pm, "physical_size_" + axis + "_unit", s.unit());
    }
  }

  private static void setString(StructVector s, String name, String value) {
    setString(s, name, 0, value);
  }

  private static void setString(StructVector s, String name, int index, String value) {
    VarCharVector v = (VarCharVector) s.getChild(name);
    if (value == null) {
      v.setNull(index);
    } else {
      v.setSafe(index, value.getBytes(StandardCharsets.UTF_8));
    }
  }

  private void writePixels(StructVector sv, PlaneSource src, PixelsMeta p, ChunkGrid grid, boolean bytes, boolean withChunks,
      BufferAllocator allocator) {
    PixelType type = p.pixelType();
    int tb = type.byteSize();
    long planeBytes = p.planeBytes();
    ListVector planesList = (ListVector) sv.getChild("planes");
    StructVector planeItems = (StructVector) planesList.getDataVector();
    ListVector planePixels = (ListVector) planeItems.getChild("pixels");
    BaseFixedWidthVector planeValues = (BaseFixedWidthVector) planePixels.getDataVector();
    ListVector chunkList = (ListVector) sv.getChild("chunks");
    StructVector chunkItems = chunkList == null ? null : (StructVector) chunkList.getDataVector();
    boolean storePlanes = !bytes;
    if (storePlanes) {
      planeValues.setInitialCapacity(checkedInt(p.planeCount() * p.planePixels(), "pixels in planes"));
      planeValues.allocateNew();
    }
    int planeStart = planesList.startNewValue(0);
    int chunkStart = withChunks ? chunkList.startNewValue(0) : 0;
    int pi = planeStart;
    int ci = chunkStart;
    long valueIndex = 0;
    long chunkValueIndex = 0;
    int cz = withChunks ? grid.chunkZ() : 1;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment stage = arena.allocate(planeBytes * cz, 64);
      MemorySegment chunkBuf = withChunks ? arena.allocate((long) grid.chunkZ() * grid.chunkY() * grid.chunkX() * tb, 64) : null;
      for (int t = 0; t < p.sizeT(); t++) {
        for (int c = 0; c < p.sizeC(); c++) {
          for (int z0 = 0; z0 < p.sizeZ(); z0 += cz) {
            int sz = Math.min(cz, p.sizeZ() - z0);
            for (int dz = 0; dz < sz; dz++) {
              MemorySegment plane = stage.asSlice(dz * planeBytes, planeBytes);
              src.readPlane(t, c, z0 + dz, plane);
              if (storePlanes) {
                ((IntVector) planeItems.getChild("z")).setSafe(pi, z0 + dz);
                ((IntVector) planeItems.getChild("t")).setSafe(pi, t);
                ((SmallIntVector) planeItems.getChild("c")).setSafe(pi, (short) c);
                int s = planePixels.startNewValue(pi);
                Vectors.appendRun(planeValues, s, plane);
                valueIndex = s + p.planePixels();
                planePixels.endValue(pi, (int) p.planePixels());
                planeItems.setIndexDefined(pi);
                pi++;
              }
            }
            if (!withChunks) {
              continue;
            }
            for (int y0 = 0; y0 < p.sizeY(); y0 += grid.chunkY()) {
              int sy = Math.min(grid.chunkY(), p.sizeY() - y0);
              for (int x0 = 0; x0 < p.sizeX(); x0 += grid.chunkX()) {
                int sx = Math.min(grid.chunkX(), p.sizeX() - x0);
                long n = (long) sz * sy * sx;
                MemorySegment slab = chunkBuf.asSlice(0, n * tb);
                for (int dz = 0; dz < sz; dz++) {
                  OmeImage.copyRect(stage.asSlice(dz * planeBytes, planeBytes), type, p.sizeX(), x0, y0, sx, sy, slab,
                      (long) dz * sy * sx, sx, type);
                }
                int[] origin = {t, c, z0, y0, x0, sz, sy, sx};
                setChunkOrigin(chunkItems, ci, origin);
                if (bytes) {
                  ((VarCharVector) chunkItems.getChild("dtype")).setSafe(ci, type.numpyName().getBytes(StandardCharsets.UTF_8));
                  byte[] packed = compression.compress(slab);
                  VarCharVector cmp = (VarCharVector) chunkItems.getChild("compression");
                  LargeVarBinaryVector pb = (LargeVarBinaryVector) chunkItems.getChild("pixel_bytes");
                  if (packed == null) {
                    cmp.setNull(ci);
                    pb.setSafe(ci, slab.asByteBuffer(), 0, (int) slab.byteSize());
                  } else {
                    cmp.setSafe(ci, compression.codec().getBytes(StandardCharsets.UTF_8));
                    pb.setSafe(ci, packed);
                  }
                } else {
                  ListVector cp = (ListVector) chunkItems.getChild("pixels");
                  BaseFixedWidthVector cv = (BaseFixedWidthVector) cp.getDataVector();
                  int s = cp.startNewValue(ci);
                  Vectors.appendRun(cv, s, slab);
                  chunkValueIndex = s + n;
                  cp.endValue(ci, (int) n);
                }
                chunkItems.setIndexDefined(ci);
                ci++;
              }
            }
          }
        }
      }
    }
    planesList.endValue(0, pi - planeStart);
    if (withChunks) {
      chunkList.endValue(0, ci - chunkStart);
      StructVector g = (StructVector) sv.getChild("chunk_grid");
      setString(g, "order", grid.order());
      ((IntVector) g.getChild("chunk_t")).setSafe(0, grid.chunkT());
      ((SmallIntVector) g.getChild("chunk_c")).setSafe(0, (short) grid.chunkC());
      ((IntVector) g.getChild("chunk_z")).setSafe(0, grid.chunkZ());
      ((IntVector) g.getChild("chunk_y")).setSafe(0, grid.chunkY());
      ((IntVector) g.getChild("chunk_x")).setSafe(0, grid.chunkX());
      setString(g, "chunk_order", grid.chunkOrder());
      g.setIndexDefined(0);
    } else if (chunkList != null) {
      chunkList.setNull(0);
      sv.getChild("chunk_grid").setNull(0);
    }
    planeItems.setValueCount(pi);
    planePixels.setValueCount(pi);
    planeValues.setValueCount(checkedInt(valueIndex, "pixels in planes"));
    if (chunkItems != null) {
      chunkItems.setValueCount(ci);
      if (!bytes) {
        ListVector cp = (ListVector) chunkItems.getChild("pixels");
        cp.setValueCount(ci);
        cp.getDataVector().setValueCount(checkedInt(chunkValueIndex, "pixels in chunks"));
      }
    }
  }

  private static void setChunkOrigin(StructVector items, int i, int[] v) {
    ((IntVector) items.getChild("t")).setSafe(i, v[0]);
    ((SmallIntVector) items.getChild("c")).setSafe(i, (short) v[1]);
    ((IntVector) items.getChild("z")).setSafe(i, v[2]);
    ((IntVector) items.getChild("y")).setSafe(i, v[3]);
    ((IntVector) items.getChild("x")).setSafe(i, v[4]);
    ((IntVector) items.getChild("shape_z")).setSafe(i, v[5]);
    ((IntVector) items.getChild("shape_y")).setSafe(i, v[6]);
    ((IntVector) items.getChild("shape_x")).setSafe(i, v[7]);
  }

  private static int checkedInt(long n, String what) {
    if (n > Integer.MAX_VALUE) {
      throw new SelectionException("an in-memory OME-Arrow record holds at most 2^31-1 " + what + " (list offsets are 32-bit); got " + n
          + ". Use byte encoding or a chunked dataset for larger images.");
    }
    return (int) n;
  }
}
