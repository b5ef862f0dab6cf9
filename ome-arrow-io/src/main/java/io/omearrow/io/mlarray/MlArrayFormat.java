package io.omearrow.io.mlarray;

import io.omearrow.blosc2.B2ndLayout;
import io.omearrow.blosc2.B2ndMeta;
import io.omearrow.blosc2.B2ndWriter;
import io.omearrow.blosc2.CompressionParams;
import io.omearrow.core.FormatException;
import io.omearrow.core.PhysicalSize;
import io.omearrow.core.PixelConverter;
import io.omearrow.core.PixelType;
import io.omearrow.core.PixelsMeta;
import io.omearrow.source.AtomicOutput;
import io.omearrow.source.ConvertedSource;
import io.omearrow.source.ImageFormat;
import io.omearrow.source.ImageFormats;
import io.omearrow.source.ImageSource;
import io.omearrow.source.OpenOptions;
import io.omearrow.source.WriteOptions;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The mlarray provider: opens {@code .mla} and {@code .b2nd} files as {@link MlArraySource}s and
 * writes one image as an {@code .mla} file that Python's mlarray and python-blosc2 read.
 *
 * <p>Writing keeps the axes with more than one element among T, C and Z, then Y and X, labelled
 * {@code temporal}, {@code channel}, {@code spatial_z/y/x}; spacing comes from the physical sizes
 * (units in {@code axis_units}). Chunks and blocks follow mlarray's patch-192 heuristic, LZ4HC 8
 * with shuffle. The image is streamed chunk by chunk: each chunk's pixels are read with
 * {@code readRegion} into a buffer from the allocator, so at most one chunk (plus one region) is
 * held uncompressed.
 */
public final class MlArrayFormat implements ImageFormat {
  @Override
  public String name() {
    return "mlarray";
  }

  @Override
  public boolean canOpen(String location) {
    String n = ImageFormats.fileName(location);
    return n.endsWith(".mla") || n.endsWith(".b2nd");
  }

  @Override
  public ImageSource open(String location, OpenOptions options, BufferAllocator allocator) {
    return MlArraySource.open(Path.of(location), options.axes());
  }

  @Override
  public boolean canWrite(String location) {
    return ImageFormats.fileName(location).endsWith(".mla");
  }

  @Override
  public List<String> write(List<? extends ImageSource> images, String location, WriteOptions options,
      BufferAllocator allocator) {
    if (images.size() != 1) {
      throw new FormatException("an .mla file holds one image; got " + images.size() + " for " + location
          + " (write each image to its own file)");
    }
    ImageSource src = images.get(0);
    List<String> warnings = new ArrayList<>();
    if (options.pixelType() != null && options.pixelType() != src.pixels().pixelType()) {
      src = ConvertedSource.of(src, options.pixelType(), PixelConverter.Rule.CLAMP, false);
    }
    ImageSource image = src;
    AtomicOutput.write(Path.of(location), tmp -> writeTo(image, tmp, allocator, warnings));
    return warnings;
  }

  /** Writes one image to {@code path} (no suffix check, no rename); used by {@link #write}. */
  static void writeTo(ImageSource image, Path path, BufferAllocator allocator, List<String> warnings) {
    PixelsMeta p = image.pixels();
    PixelType type = p.pixelType();
    int[] sizes = {p.sizeT(), p.sizeC(), p.sizeZ(), p.sizeY(), p.sizeX()};
    String[] labels = {"temporal", "channel", "spatial_z", "spatial_y", "spatial_x"};
    PhysicalSize[] phys = {null, null, p.physicalSizeZ(), p.physicalSizeY(), p.physicalSizeX()};
    List<Integer> axes = new ArrayList<>();
    for (int o = 0; o < 5; o++) {
      if (o >= 3 || sizes[o] > 1) {
        axes.add(o);
      }
    }
    int nd = axes.size();
    long[] shape = new long[nd];
    List<String> axisLabels = new ArrayList<>();
    List<Double> spacing = new ArrayList<>();
    List<String> units = new ArrayList<>();
    boolean anyPhys = false;
    for (int d = 0; d < nd; d++) {
      int o = axes.get(d);
      shape[d] = sizes[o];
      axisLabels.add(labels[o]);
      if (o >= 2) {
        PhysicalSize ps = phys[o];
        spacing.add(ps == null ? 1.0 : ps.value());
        units.add(ps == null || ps.unit() == null ? "" : ps.unit());
        anyPhys |= ps != null;
      } else {
        units.add("");
      }
    }
    Spatial spatial = new Spatial(anyPhys ? spacing : null, null, null, null, null, axisLabels, null,
        anyPhys ? units : null);
    String name = image.metadata().name();
    MlArrayMeta meta = MlArrayMeta.empty().withSpatial(spatial)
        .withSource(name == null ? Map.of() : Map.of("ome_arrow_name", name));
    String dtype = type.byteSize() == 1 ? "|" + numpyCode(type) : "<" + numpyCode(type);
    int item = type.byteSize();
    int[][] geometry = geometry(shape, axes, item);
    SaveOptions opt = SaveOptions.defaults().withChunksAndBlocks(geometry[0], geometry[1]);
    MlArray.Plan plan = MlArray.plan(path, shape, dtype, meta, opt);
    MlArrayMeta full = plan.meta().withBlosc2(plan.meta().blosc2().withGeometry(
        plan.meta().blosc2().chunkSize(), plan.meta().blosc2().blockSize(), geometry[2] == null ? null
            : Arrays.stream(geometry[2]).boxed().toList()));
    B2ndMeta g = plan.geometry();
    CompressionParams params = plan.params();
    int[] cs = g.chunks();
    long yx = (long) Math.min(cs[nd - 2], p.sizeY()) * Math.min(cs[nd - 1], p.sizeX()) * item;
    try (ArrowBuf chunkBuf = allocator.buffer(g.chunkBytes()); ArrowBuf regionBuf = allocator.buffer(Math.max(1, yx));
        B2ndWriter w = B2ndWriter.create(path, g, params)) {
      MemorySegment chunk = MemorySegment.ofAddress(chunkBuf.memoryAddress()).reinterpret(g.chunkBytes());
      MemorySegment region = MemorySegment.ofAddress(regionBuf.memoryAddress()).reinterpret(Math.max(1, yx));
      w.vlmeta(MlArrayMeta.VLMETA_KEY, full.encodeVlmeta());
      for (long i = 0; i < g.nchunks(); i++) {
        chunk.fill((byte) 0);
        long[] c = B2ndLayout.chunkCoords(g, i);
        long[] lo = new long[nd];
        long[] hi = new long[nd];
        for (int d = 0; d < nd; d++) {
          lo[d] = c[d] * cs[d];
          hi[d] = Math.min(lo[d] + cs[d], shape[d]);
        }
        // Walk the planes (all axes but Y, X) inside the chunk; read each plane's window once.
        long[] plane = lo.clone();
        while (true) {
          int[] tcz = {0, 0, 0};
          for (int d = 0; d < nd - 2; d++) {
            tcz[axes.get(d)] = (int) plane[d];
          }
          int y0 = (int) lo[nd - 2];
          int x0 = (int) lo[nd - 1];
          int h = (int) (hi[nd - 2] - y0);
          int wd = (int) (hi[nd - 1] - x0);
          image.readRegion(tcz[0], tcz[1], tcz[2], x0, y0, wd, h, region);
          long[] start = plane.clone();
          long[] stop = new long[nd];
          for (int d = 0; d < nd - 2; d++) {
            stop[d] = plane[d] + 1;
          }
          start[nd - 2] = y0;
          start[nd - 1] = x0;
          stop[nd - 2] = y0 + h;
          stop[nd - 1] = x0 + wd;
          B2ndLayout.regionToChunk(g, i, region, start, stop, chunk);
          int d = nd - 3;
          while (d >= 0) {
            if (++plane[d] < hi[d]) {
              break;
            }
            plane[d] = lo[d];
            d--;
          }
          if (d < 0) {
            break;
          }
        }
        w.appendChunk(chunk);
      }
    }
  }

  private static String numpyCode(PixelType t) {
    return (t.isFloating() ? "f" : t.isSigned() ? "i" : "u") + t.byteSize();
  }

  /**
   * Chunk, block and patch for the written axes: mlarray's heuristic when it applies (2-4 axes, at
   * most one non-spatial); otherwise the heuristic on the spatial axes with the others chunked by 1.
   */
  static int[][] geometry(long[] shape, List<Integer> axes, int item) {
    int nd = shape.length;
    boolean[] mask = new boolean[nd];
    int nonSpatial = 0;
    for (int d = 0; d < nd; d++) {
      mask[d] = axes.get(d) >= 2;
      nonSpatial += mask[d] ? 0 : 1;
    }
    int sd = nd - nonSpatial;
    int[] patch = new int[sd];
    Arrays.fill(patch, ChunkHeuristic.DEFAULT_PATCH);
    if (nonSpatial <= 1 && nd <= 4) {
      ChunkHeuristic.Geometry g = ChunkHeuristic.compute(shape, patch, mask, item);
      return new int[][] {g.chunks(), g.blocks(), patch};
    }
    long[] spatialShape = Arrays.copyOfRange(shape, nonSpatial, nd);
    ChunkHeuristic.Geometry g = ChunkHeuristic.compute(spatialShape, patch, null, item);
    int[] chunks = new int[nd];
    int[] blocks = new int[nd];
    Arrays.fill(chunks, 1);
    Arrays.fill(blocks, 1);
    System.arraycopy(g.chunks(), 0, chunks, nonSpatial, sd);
    System.arraycopy(g.blocks(), 0, blocks, nonSpatial, sd);
    return new int[][] {chunks, blocks, null};
  }
}
