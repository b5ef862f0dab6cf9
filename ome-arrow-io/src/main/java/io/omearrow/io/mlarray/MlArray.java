package io.omearrow.io.mlarray;

import io.omearrow.blosc2.B2ndArray;
import io.omearrow.blosc2.B2ndMeta;
import io.omearrow.blosc2.B2ndWriter;
import io.omearrow.blosc2.Blosc2Exception;
import io.omearrow.blosc2.ChunkHeader;
import io.omearrow.blosc2.Codec;
import io.omearrow.blosc2.CompressionParams;
import io.omearrow.blosc2.Frame;
import io.omearrow.memory.AlignedBuffers;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;

/**
 * An mlarray {@code .mla} file: a b2nd array in a Blosc2 frame plus mlarray's metadata, readable
 * and writable by Python's {@code mlarray} and {@code python-blosc2}.
 *
 * <pre>{@code
 * try (MlArray a = MlArray.open(Path.of("ct.mla"))) {          // memory-mapped, lazy
 *   MlArrayMeta meta = a.meta();
 *   a.readRegion(new long[] {0, 0, 0}, new long[] {1, 512, 512}, dst);
 * }
 * MlArray.save(Path.of("out.mla"), pixels, new long[] {64, 512, 512}, "<u2", meta, SaveOptions.defaults());
 * }</pre>
 *
 * <p>Memory: {@link #open} maps the file (chunks are decoded on demand), {@link #load} reads the
 * compressed file into memory this object owns; both are released by {@link #close()}.
 * Destination and source segments belong to the caller (for an Arrow buffer use
 * {@code MemorySegment.ofAddress(buf.memoryAddress()).reinterpret(buf.capacity())}). Reading is
 * thread-safe.
 */
public final class MlArray implements AutoCloseable {
  private final B2ndArray array;
  private final MlArrayMeta meta;
  private final String name;
  private final Arena loaded;

  private MlArray(B2ndArray array, String name, Arena loaded) {
    this.array = array;
    this.name = name;
    this.loaded = loaded;
    B2ndMeta g = array.meta();
    byte[] vl = array.frame().vlmeta(MlArrayMeta.VLMETA_KEY);
    MlArrayMeta m = vl == null ? MlArrayMeta.empty() : MlArrayMeta.decodeVlmeta(vl, g.ndim(), name);
    // mlarray refreshes the geometry from the array on every open.
    List<Long> shape = Arrays.stream(g.shape()).boxed().toList();
    this.meta = m.withSpatial(m.spatial().withShape(shape)).withBlosc2(m.blosc2().withGeometry(
        Arrays.stream(g.chunks()).boxed().toList(), Arrays.stream(g.blocks()).boxed().toList(), m.blosc2().patchSize()));
  }

  /** Opens a file lazily through a read-only memory mapping. */
  public static MlArray open(Path path) {
    B2ndArray a = wrapErrors(path, () -> B2ndArray.open(path));
    try {
      return new MlArray(a, path.toString(), null);
    } catch (RuntimeException e) {
      a.close();
      throw wrap(path, e);
    }
  }

  /** Reads the whole (compressed) file into memory and opens it from there; chunks decode on demand. */
  public static MlArray load(Path path) {
    Arena arena = Arena.ofShared();
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      MemorySegment mem = arena.allocate(Math.max(1, ch.size()), 64);
      MemorySegment mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
      MemorySegment.copy(mapped, 0, mem, 0, ch.size());
      B2ndArray a = B2ndArray.of(Frame.wrap(mem.asSlice(0, ch.size()), path.toString()));
      return new MlArray(a, path.toString(), arena);
    } catch (IOException e) {
      arena.close();
      throw new MlArrayException(path + ": cannot read the file: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      arena.close();
      throw wrap(path, e);
    }
  }

  private interface Opener {
    B2ndArray open();
  }

  private static B2ndArray wrapErrors(Path path, Opener o) {
    try {
      return o.open();
    } catch (RuntimeException e) {
      throw wrap(path, e);
    }
  }

  private static RuntimeException wrap(Path path, RuntimeException e) {
    if (e instanceof Blosc2Exception) {
      return new MlArrayException(e.getMessage(), e);
    }
    return e;
  }

  /** Where the array was opened from. */
  public String name() {
    return name;
  }

  /** The metadata (with shape and chunk/block sizes refreshed from the array). */
  public MlArrayMeta meta() {
    return meta;
  }

  /** The underlying b2nd array. */
  public B2ndArray array() {
    return array;
  }

  /** The shape. */
  public long[] shape() {
    return array.shape();
  }

  /** The NumPy dtype string. */
  public String dtype() {
    return array.dtype();
  }

  /** Bytes per element. */
  public int itemsize() {
    return array.itemsize();
  }

  /** The chunk shape. */
  public int[] chunks() {
    return array.chunks();
  }

  /** The block shape. */
  public int[] blocks() {
    return array.blocks();
  }

  /** Reads {@code [start, stop)} into {@code dst} (dense, C order, the dtype's byte order). */
  public void readRegion(long[] start, long[] stop, MemorySegment dst) {
    readRegion(start, stop, dst, 1);
  }

  /** Reads {@code [start, stop)} decoding touched chunks on up to {@code nthreads} threads. */
  public void readRegion(long[] start, long[] stop, MemorySegment dst, int nthreads) {
    try {
      array.readRegion(start, stop, dst, nthreads);
    } catch (Blosc2Exception e) {
      throw new MlArrayException(e.getMessage(), e);
    }
  }

  /** Reads the whole array into {@code dst}. */
  public void readAll(MemorySegment dst) {
    readRegion(new long[shape().length], shape(), dst, 1);
  }

  /**
   * Reads the whole array on the calling thread into a new Arrow buffer of exactly its byte size
   * (dense, C order, the dtype's byte order), allocated from {@code allocator} through
   * {@link AlignedBuffers} (64-byte aligned; huge-page advised from 4 MiB, so a large image is not
   * faulted in 4 KiB at a time). The caller owns the returned buffer and must close it; on error
   * the buffer is released before the exception propagates.
   */
  public ArrowBuf readAll(BufferAllocator allocator) {
    long bytes = array.regionBytes(new long[shape().length], shape());
    ArrowBuf buf = AlignedBuffers.allocate(allocator, bytes);
    try {
      readAll(MemorySegment.ofAddress(buf.memoryAddress()).reinterpret(bytes));
      buf.writerIndex(bytes);
      return buf;
    } catch (RuntimeException e) {
      buf.close();
      throw e;
    }
  }

  /** Saves this array with its current metadata to {@code path} (compressed chunks are copied as they are). */
  public void save(Path path) {
    save(path, meta);
  }

  /** Saves this array with other metadata to {@code path}, copying the compressed chunks. */
  public void save(Path path, MlArrayMeta newMeta) {
    checkSuffix(path);
    B2ndMeta g = array.meta();
    newMeta.validate(g.ndim(), path.toString());
    Frame f = array.frame();
    CompressionParams p = f.header().compressionParams();
    Path tmp = tempBeside(path);
    try {
      try (B2ndWriter w = B2ndWriter.create(tmp, g, p)) {
        for (int i = 0; i < f.nchunks(); i++) {
          ChunkHeader.Special s = f.special(i);
          if (s == ChunkHeader.Special.NONE) {
            w.appendCompressed(f.chunk(i).toArray(ValueLayout.JAVA_BYTE));
          } else if (s == ChunkHeader.Special.UNINIT) {
            w.appendUninitialized();
          } else {
            byte[] buf = new byte[g.chunkBytes()];
            f.decompressChunk(i, MemorySegment.ofArray(buf), 1);
            w.appendChunk(MemorySegment.ofArray(buf));
          }
        }
        w.vlmeta(MlArrayMeta.VLMETA_KEY, withGeometry(newMeta, g, newMeta.blosc2().patchSize(), p).encodeVlmeta());
      }
      moveInto(tmp, path);
    } finally {
      deleteQuietly(tmp);
    }
  }

  /**
   * Writes a whole array (dense, C order, {@code dtype}'s byte order) as a new {@code .mla} file,
   * chunk by chunk: at most one uncompressed chunk is held besides {@code data}.
   *
   * @param dtype NumPy dtype string such as {@code "<u2"} or {@code "<f4"}
   */
  public static void save(Path path, MemorySegment data, long[] shape, String dtype, MlArrayMeta meta,
      SaveOptions options) {
    checkSuffix(path);
    Plan plan = plan(path, shape, dtype, meta, options);
    Path tmp = tempBeside(path);
    try {
      try {
        B2ndWriter.write(tmp, plan.geometry, plan.params, data, Map.of(MlArrayMeta.VLMETA_KEY, plan.meta.encodeVlmeta()));
      } catch (Blosc2Exception e) {
        throw new MlArrayException(path + ": " + e.getMessage(), e);
      }
      moveInto(tmp, path);
    } finally {
      deleteQuietly(tmp);
    }
  }

  /**
   * Creates an array to be filled region by region (mlarray's {@code MLArray.create}); chunks never
   * written stay "uninitialized" and read as zeros. The file is complete after
   * {@link MlArrayWriter#close()}.
   */
  public static MlArrayWriter create(Path path, long[] shape, String dtype, MlArrayMeta meta, SaveOptions options) {
    checkSuffix(path);
    Plan plan = plan(path, shape, dtype, meta, options);
    return new MlArrayWriter(path, plan.geometry, plan.params, plan.meta);
  }

  record Plan(B2ndMeta geometry, CompressionParams params, MlArrayMeta meta) {}

  static Plan plan(Path path, long[] shape, String dtype, MlArrayMeta meta, SaveOptions options) {
    MlArrayMeta m = meta == null ? MlArrayMeta.empty() : meta;
    String where = path.toString();
    int itemsize = B2ndMeta.itemsizeOf(dtype);
    if (itemsize <= 0) {
      throw new MlArrayException(where + ": unsupported dtype '" + dtype + "'; use a NumPy dtype string such as <u2, <f4, |u1");
    }
    int nd = shape.length;
    m.spatial().validate(nd, where);
    int[] chunks;
    int[] blocks;
    List<Integer> patch = null;
    if (options.chunks() != null) {
      chunks = options.chunks();
      blocks = options.blocks();
    } else if (options.patchSize() == null && m.blosc2().chunkSize() != null && m.blosc2().blockSize() != null
        && m.blosc2().chunkSize().size() == nd && m.blosc2().blockSize().size() == nd
        && m.blosc2().patchSize() == null) {
      chunks = m.blosc2().chunkSize().stream().mapToInt(Integer::intValue).toArray();
      blocks = m.blosc2().blockSize().stream().mapToInt(Integer::intValue).toArray();
    } else {
      int sd = m.spatial().spatialAxes(nd);
      int[] p;
      if (options.patchSize() != null) {
        p = options.patchSize();
      } else if (m.blosc2().patchSize() != null) {
        p = m.blosc2().patchSize().stream().mapToInt(Integer::intValue).toArray();
      } else {
        p = new int[sd];
        Arrays.fill(p, ChunkHeuristic.DEFAULT_PATCH);
      }
      boolean[] mask = null;
      if (m.spatial().axisLabels() != null) {
        mask = new boolean[nd];
        for (int d = 0; d < nd; d++) {
          mask[d] = m.spatial().isSpatial(d);
        }
      }
      ChunkHeuristic.Geometry g = ChunkHeuristic.compute(shape, p, mask, itemsize);
      chunks = g.chunks();
      blocks = g.blocks();
      patch = Arrays.stream(p).boxed().toList();
    }
    B2ndMeta geometry;
    try {
      geometry = B2ndMeta.of(shape, chunks, blocks, dtype);
    } catch (Blosc2Exception e) {
      throw new MlArrayException(where + ": " + e.getMessage(), e);
    }
    CompressionParams base = options.params() != null ? options.params() : CompressionParams.mlarrayDefaults(itemsize);
    CompressionParams params = B2ndWriter.forArray(geometry, base).withNthreads(options.nthreads());
    MlArrayMeta full = withGeometry(m, geometry, patch, params);
    full.validate(nd, where);
    return new Plan(geometry, params, full);
  }

  static MlArrayMeta withGeometry(MlArrayMeta m, B2ndMeta g, List<Integer> patch, CompressionParams p) {
    Map<String, Object> cparams = new LinkedHashMap<>();
    cparams.put("codec", (long) p.codec().id());
    cparams.put("clevel", (long) p.clevel());
    Blosc2Settings b = m.blosc2().withGeometry(Arrays.stream(g.chunks()).boxed().toList(),
        Arrays.stream(g.blocks()).boxed().toList(), patch);
    if (!(p.codec() == Codec.LZ4HC && p.clevel() == 8) || b.cparams() == null) {
      b = b.withCparams(cparams);
    }
    List<Long> shape = new ArrayList<>(Arrays.stream(g.shape()).boxed().toList());
    return m.withSpatial(m.spatial().withShape(shape)).withBlosc2(b);
  }

  static void checkSuffix(Path path) {
    if (!path.getFileName().toString().endsWith(".mla")) {
      throw new MlArrayException(path + ": mlarray files must end in .mla (as Python's MLArray.save requires)");
    }
  }

  static Path tempBeside(Path path) {
    Path dir = path.toAbsolutePath().getParent();
    return dir.resolve("." + path.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
  }

  static void moveInto(Path tmp, Path path) {
    try {
      Files.move(tmp, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      try {
        Files.move(tmp, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e2) {
        throw new MlArrayException(path + ": cannot move the written file into place: " + e2.getMessage(), e2);
      }
    }
  }

  static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // best effort: a leftover temp file is harmless
    }
  }

  /** Releases the mapping or the loaded bytes. Idempotent. */
  @Override
  public void close() {
    array.close();
    if (loaded != null && loaded.scope().isAlive()) {
      loaded.close();
    }
  }
}
