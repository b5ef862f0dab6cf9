package io.omearrow.io.stack;

import io.omearrow.core.Axis;
import io.omearrow.core.Channel;
import io.omearrow.core.FormatException;
import io.omearrow.core.ImageMetadata;
import io.omearrow.core.PhysicalSize;
import io.omearrow.core.PixelType;
import io.omearrow.core.PixelsMeta;
import io.omearrow.core.SelectionException;
import io.omearrow.source.ImageFormats;
import io.omearrow.source.ImageSource;
import io.omearrow.source.OpenOptions;
import io.omearrow.source.SourceInfo;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The files of a {@link StackPattern} as one lazy image. Each file is opened once when the
 * source opens (to check its shape and type) and again, briefly, for each read, so a pattern of
 * thousands of files holds no file open between reads and concurrent reads share nothing mutable.
 * A file may itself be a Z stack (T = C = 1, Z &gt; 1): its planes fill z, z+1, ... from its own
 * index. Planes no file provides read as zeros.
 *
 * <p>Memory: holds only the (on-heap) plane table; per-read sources are closed after each read.
 */
public final class StackSource implements ImageSource {
  private final ImageMetadata metadata;
  private final SourceInfo info;
  private final Path[] planeFile;
  private final int[] planeInFile; // z inside the file
  private final OpenOptions fileOptions;
  private final BufferAllocator allocator;

  private StackSource(ImageMetadata metadata, SourceInfo info, Path[] planeFile, int[] planeInFile, OpenOptions fileOptions,
      BufferAllocator allocator) {
    this.metadata = metadata;
    this.info = info;
    this.planeFile = planeFile;
    this.planeInFile = planeInFile;
    this.fileOptions = fileOptions;
    this.allocator = allocator;
  }

  /** Opens a pattern with the reference's defaults: unknown placeholders are C, series are T. */
  public static StackSource open(String pattern, OpenOptions options, BufferAllocator allocator) {
    return open(pattern, Axis.C, Axis.T, null, options, allocator);
  }

  /**
   * Opens a pattern.
   *
   * @param channelNames names for the C axis (length must equal size C), or null for the
   *     non-numeric C choices, else C0, C1...
   * @throws FormatException "No files matched pattern: ..." or a "Shape mismatch for ..." error
   * @throws SelectionException for a malformed pattern or wrong channel names
   */
  public static StackSource open(String pattern, Axis defaultDim, Axis mapSeriesTo, List<String> channelNames, OpenOptions options,
      BufferAllocator allocator) {
    StackPattern sp = StackPattern.parse(pattern, defaultDim, mapSeriesTo);
    List<StackPattern.Match> matches = sp.resolve();
    OpenOptions fileOptions = OpenOptions.defaults().withClampToUint16(options.clampToUint16());
    PixelsMeta first = null;
    int[] fileZ = new int[matches.size()];
    int sizeT = 1;
    int sizeC = 1;
    int sizeZ = 1;
    for (int i = 0; i < matches.size(); i++) {
      StackPattern.Match m = matches.get(i);
      PixelsMeta p;
      try (ImageSource s = ImageFormats.open(m.file().toString(), fileOptions, allocator)) {
        p = s.pixels();
      }
      if (p.sizeT() != 1 || p.sizeC() != 1) {
        throw new FormatException("File " + m.file() + " has T=" + p.sizeT() + " and C=" + p.sizeC()
            + "; stack patterns need files of one plane or one Z stack");
      }
      if (first == null) {
        first = p;
      } else if (p.sizeY() != first.sizeY() || p.sizeX() != first.sizeX()) {
        throw new FormatException("Shape mismatch for " + m.file() + ": expected (Y, X) = (" + first.sizeY() + ", " + first.sizeX()
            + "), got (" + p.sizeY() + ", " + p.sizeX() + ")");
      } else if (p.pixelType() != first.pixelType()) {
        throw new FormatException("Pixel type mismatch for " + m.file() + ": expected " + first.pixelType() + ", got " + p.pixelType());
      }
      fileZ[i] = p.sizeZ();
      sizeT = Math.max(sizeT, m.t() + 1);
      sizeC = Math.max(sizeC, m.c() + 1);
      sizeZ = Math.max(sizeZ, m.z() + p.sizeZ());
    }
    long planes = (long) sizeT * sizeC * sizeZ;
    if (planes > Integer.MAX_VALUE - 8) {
      throw new SelectionException("pattern " + pattern + " spans " + planes + " planes, too many");
    }
    Path[] planeFile = new Path[(int) planes];
    int[] planeInFile = new int[(int) planes];
    for (int i = 0; i < matches.size(); i++) {
      StackPattern.Match m = matches.get(i);
      for (int k = 0; k < fileZ[i]; k++) {
        int idx = (int) (((long) m.t() * sizeC + m.c()) * sizeZ + m.z() + k);
        planeFile[idx] = m.file();
        planeInFile[idx] = k;
      }
    }
    List<String> names = channelNames;
    if (names != null && names.size() != sizeC) {
      throw new SelectionException("channel_names length " + names.size() + " != size_c " + sizeC);
    }
    if (names == null) {
      List<String> fromChoices = sp.channelNamesFromChoices();
      names = fromChoices != null && fromChoices.size() == sizeC ? fromChoices : null;
    }
    List<Channel> channels = new ArrayList<>();
    for (int c = 0; c < sizeC; c++) {
      channels.add(Channel.of(c, names == null ? null : names.get(c)));
    }
    PhysicalSize px = first.physicalSizeX() == null ? null : PhysicalSize.um(first.physicalSizeX().value());
    PhysicalSize py = first.physicalSizeY() == null ? null : PhysicalSize.um(first.physicalSizeY().value());
    PhysicalSize pz = first.physicalSizeZ() == null ? null : PhysicalSize.um(first.physicalSizeZ().value());
    PixelType type = first.pixelType();
    PixelsMeta pixels = new PixelsMeta(PixelsMeta.defaultDimensionOrder(sizeZ), type, first.sizeX(), first.sizeY(), sizeZ, sizeC,
        sizeT, px, py, pz, channels);
    String name = Path.of(pattern).getFileName().toString();
    String stem = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
    ImageMetadata meta = ImageMetadata.of(pixels).withIdAndName(stem, pattern);
    return new StackSource(meta, new SourceInfo(pattern, "stack", 1, null, null, 1), planeFile, planeInFile, fileOptions, allocator);
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
  public void readRegion(int t, int c, int z, int x, int y, int w, int h, MemorySegment dst) {
    PixelsMeta p = metadata.pixels();
    p.checkRead(t, c, z, x, y, w, h, dst);
    int idx = (int) p.planeIndex(t, c, z);
    Path f = planeFile[idx];
    if (f == null) {
      dst.asSlice(0, (long) w * h * p.pixelType().byteSize()).fill((byte) 0);
      return;
    }
    try (ImageSource s = ImageFormats.open(f.toString(), fileOptions, allocator)) {
      s.readRegion(0, 0, planeInFile[idx], x, y, w, h, dst);
    }
  }

  @Override
  public void close() {
    // nothing is held between reads
  }
}
