package io.omearrow.io.tiff;

import io.omearrow.core.Channel;
import io.omearrow.core.ImageMetadata;
import io.omearrow.core.PixelConverter;
import io.omearrow.core.PixelType;
import io.omearrow.core.PixelsMeta;
import io.omearrow.core.SelectionException;
import io.omearrow.source.ImageSource;
import io.omearrow.source.OpenOptions;
import io.omearrow.source.SourceInfo;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One image of a TIFF or OME-TIFF file as a lazy {@link ImageSource}: the IFDs and OME-XML are
 * parsed when it opens, pixels are read per region on demand from only the strips or tiles the
 * region overlaps, through positional reads (concurrent reads are safe).
 *
 * <p>Which planes: an OME-TIFF (first IFD's ImageDescription holds OME-XML) has one image per OME
 * Image element, picked by {@link OpenOptions#series()}, with its TiffData plane map. A plain TIFF
 * is one image: every IFD with the first IFD's size, samples and type, in chain order, is a Z
 * plane (other IFDs such as thumbnails are skipped); SamplesPerPixel &gt; 1 (RGB) becomes C.
 *
 * <p>Memory: holds an open file and small on-heap tables, no Arrow buffers; decoding scratch is
 * off-heap and freed at the end of each read; {@link #close()} closes the file.
 */
public final class TiffSource implements ImageSource {
  /**
   * System property: {@code false} turns off decoding the compressed strips or tiles of one
   * region on the common fork-join pool (on by default; reads from several threads work either way).
   */
  public static final String PARALLEL_DECODE_PROPERTY = "omearrow.tiff.parallel";

  private final TiffFile file;
  private final ImageMetadata metadata;
  private final SourceInfo info;
  private final PixelType storedType;
  private final boolean clamp;
  private final int samplesPerPixel;
  private final int[] planeIfd; // per (t, c / samplesPerPixel, z) in TCZ order; -1 = not stored
  private volatile boolean closed;

  private TiffSource(TiffFile file, ImageMetadata metadata, SourceInfo info, int samplesPerPixel, int[] planeIfd, boolean clamp) {
    this.file = file;
    this.storedType = metadata.pixels().pixelType();
    this.clamp = clamp && storedType != PixelType.UINT16;
    this.metadata = this.clamp ? metadata.withPixels(metadata.pixels().withPixelType(PixelType.UINT16)) : metadata;
    this.info = info;
    this.samplesPerPixel = samplesPerPixel;
    this.planeIfd = planeIfd;
  }

  /**
   * Opens image {@code options.series()} of a TIFF file; {@code options.clampToUint16()} applies
   * the Python reference's ingest rule (clip to [0, 65535], uint16).
   *
   * @throws io.omearrow.core.FormatException when the file is missing, corrupt or disagrees with its OME-XML
   * @throws SelectionException when the series does not exist
   */
  public static TiffSource open(Path path, OpenOptions options) {
    TiffFile file = TiffFile.open(path);
    try {
      return create(file, options);
    } catch (RuntimeException e) {
      file.close();
      throw e;
    }
  }

  private static TiffSource create(TiffFile file, OpenOptions options) {
    String fileName = file.path().getFileName().toString();
    String stem = fileName.contains(".") ? fileName.substring(0, fileName.lastIndexOf('.')) : fileName;
    String location = file.path().toString();
    Ifd first = file.ifds().get(0);
    int series = options.series();
    if (OmeXml.isOmeXml(first.description())) {
      List<OmeXml.Series> all = OmeXml.parse(first.description(), file);
      if (series < 0 || series >= all.size()) {
        throw new SelectionException("series " + series + " does not exist in '" + location + "' (it holds " + all.size()
            + " image" + (all.size() == 1 ? "" : "s") + ": 0.." + (all.size() - 1) + ")");
      }
      OmeXml.Series s = all.get(series);
      String id = series == 0 ? stem : stem + "_s" + series;
      ImageMetadata meta = new ImageMetadata(ImageMetadata.OME_ARROW_TYPE, ImageMetadata.WRITER_VERSION, id,
          s.name() != null && !s.name().isBlank() ? s.name() : fileName, "image", s.acquired(), s.pixels(), null);
      return new TiffSource(file, meta, new SourceInfo(location, "tiff", 1, null, null, all.size()), s.samplesPerPixel(),
          s.planeIfd(), options.clampToUint16());
    }
    if (series != 0) {
      throw new SelectionException("series " + series + " does not exist in '" + location + "' (it holds 1 image: 0..0)");
    }
    List<Integer> pages = new ArrayList<>();
    for (Ifd f : file.ifds()) {
      if (f.width() == first.width() && f.height() == first.height() && f.samplesPerPixel() == first.samplesPerPixel()
          && f.pixelType() == first.pixelType()) {
        pages.add(f.index());
      }
    }
    int spp = first.samplesPerPixel();
    int sz = pages.size();
    int[] planeIfd = pages.stream().mapToInt(Integer::intValue).toArray();
    PixelsMeta p = PixelsMeta.of(first.pixelType(), 1, spp, sz, first.height(), first.width());
    if (spp == 3) {
      int[] rgb = {0xFF0000FF, 0x00FF00FF, 0x0000FFFF};
      List<Channel> ch = new ArrayList<>();
      for (int c = 0; c < 3; c++) {
        ch.add(p.channels().get(c).withColor(rgb[c]));
      }
      p = p.withChannels(ch);
    }
    ImageMetadata meta = ImageMetadata.of(p).withIdAndName(stem, fileName);
    return new TiffSource(file, meta, new SourceInfo(location, "tiff", 1, null, null, 1), spp, planeIfd, options.clampToUint16());
  }

  @Override
  public ImageMetadata metadata() {
    return metadata;
  }

  @Override
  public SourceInfo info() {
    return info;
  }

  /** The parsed file (IFDs, byte order, bytes read so far). */
  public TiffFile file() {
    return file;
  }

  @Override
  public void readRegion(int t, int c, int z, int x, int y, int w, int h, MemorySegment dst) {
    PixelsMeta p = metadata.pixels();
    p.checkRead(t, c, z, x, y, w, h, dst);
    if (closed) {
      throw new IllegalStateException("TIFF source '" + info.location() + "' is closed");
    }
    int ifd = planeIfd[(int) (((long) t * (p.sizeC() / samplesPerPixel) + c / samplesPerPixel) * p.sizeZ() + z)];
    if (!clamp) {
      read(ifd, c, x, y, w, h, dst);
      return;
    }
    long count = (long) w * h;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment raw = arena.allocate(count * storedType.byteSize(), 64);
      read(ifd, c, x, y, w, h, raw);
      PixelConverter.convert(raw, storedType, dst, PixelType.UINT16, count, PixelConverter.Rule.CLAMP);
    }
  }

  private void read(int ifd, int c, int x, int y, int w, int h, MemorySegment dst) {
    if (ifd < 0) {
      dst.asSlice(0, (long) w * h * storedType.byteSize()).fill((byte) 0);
      return;
    }
    RegionReader.read(file, file.ifds().get(ifd), c % samplesPerPixel, x, y, w, h, dst);
  }

  @Override
  public void close() {
    closed = true;
    file.close();
  }
}
