package io.omearrow.io.tiff;

import io.airlift.compress.zstd.ZstdCompressor;
import io.omearrow.core.PixelConverter;
import io.omearrow.core.PixelType;
import io.omearrow.core.PixelsMeta;
import io.omearrow.core.SelectionException;
import io.omearrow.memory.RowCopy;
import io.omearrow.source.AtomicOutput;
import io.omearrow.source.ImageSource;
import io.omearrow.source.WriteOptions;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.Deflater;

/**
 * Writes images as one little-endian OME-TIFF: one IFD per (t, c, z) plane in XYZCT order (the
 * TCZ order of the planes), one OME Image per input image, striped or tiled, uncompressed, Deflate
 * or Zstd, with or without the horizontal predictor ({@link Predictor}), classic TIFF or BigTIFF
 * (chosen when the data could pass 4 GiB, or when asked).
 *
 * <p>Streaming: pixels are pulled from each {@link ImageSource} one band of rows (one strip or one
 * row of tiles) at a time, so memory use is a few bands, never a whole plane or image. Pixel data
 * is written first and the IFDs (OME-XML in the first) after it; the file is written under a
 * temporary name and renamed into place ({@link AtomicOutput}). Off-heap scratch comes from a
 * confined arena freed when the write ends.
 */
public final class OmeTiffWriter {
  private static final long CLASSIC_LIMIT = (1L << 32) - (1L << 24);
  private static final int STRIP_TARGET_BYTES = 256 * 1024;

  private OmeTiffWriter() {}

  /** The TIFF predictor (tag 317) applied to each block before compression. */
  public enum Predictor {
    /** No predictor (1). */
    NONE,
    /**
     * Horizontal differencing (2): each sample is stored as its difference from its left
     * neighbour, which makes smooth integer images compress better. Needs an integer pixel type
     * and a compression.
     */
    HORIZONTAL,
    /** Horizontal for integer pixel types when compressing (zlib or zstd), none otherwise: the default. */
    AUTO
  }

  /**
   * Writes {@code images} to {@code target} with the default predictor ({@link Predictor#AUTO}),
   * honouring {@link WriteOptions#compression()} ("zlib"/"deflate", "zstd", "none"; null means
   * zlib, the reference's default), {@link WriteOptions#tileSize()}, {@link WriteOptions#bigTiff()}
   * and {@link WriteOptions#pixelType()}.
   *
   * @return warnings about metadata OME-TIFF does not hold
   * @throws SelectionException for options that cannot be honoured
   */
  public static List<String> write(List<? extends ImageSource> images, Path target, WriteOptions options) {
    return write(images, target, options, Predictor.AUTO);
  }

  /**
   * As {@link #write(List, Path, WriteOptions)}, with the given predictor.
   *
   * @throws SelectionException also when {@link Predictor#HORIZONTAL} is asked for without
   *     compression or for a floating-point pixel type
   */
  public static List<String> write(List<? extends ImageSource> images, Path target, WriteOptions options, Predictor predictor) {
    if (predictor == null) {
      throw new SelectionException("cannot write '" + target + "': predictor must not be null");
    }
    if (images.isEmpty()) {
      throw new SelectionException("cannot write '" + target + "': no images given");
    }
    int compression = compressionCode(options.compression(), target);
    int[] tile = options.tileSize();
    if (tile != null && (tile.length != 2 || tile[0] <= 0 || tile[1] <= 0 || tile[0] % 16 != 0 || tile[1] % 16 != 0)) {
      throw new SelectionException("cannot write '" + target + "': tile size must be two positive multiples of 16 (y, x), got "
          + java.util.Arrays.toString(tile));
    }
    List<String> warnings = new ArrayList<>();
    long estimate = 4096;
    for (ImageSource img : images) {
      PixelsMeta p = img.pixels();
      PixelType out = options.pixelType() != null ? options.pixelType() : p.pixelType();
      if (OmeXml.omeTypeName(out) == null) {
        throw new SelectionException("cannot write '" + target + "': OME-TIFF has no " + out
            + " pixel type (OME-XML allows int8..int32, uint8..uint32, float32, float64); convert with a pixel type option");
      }
      if (predictor == Predictor.HORIZONTAL && compression == TiffCodec.NONE) {
        throw new SelectionException("cannot write '" + target + "': the horizontal predictor needs a compression (zlib or zstd)");
      }
      if (predictor == Predictor.HORIZONTAL && out.isFloating()) {
        throw new SelectionException("cannot write '" + target + "': the horizontal predictor applies to integer pixel types, not "
            + out);
      }
      estimate += p.planeCount() * (p.planePixels() * out.byteSize() * 101 / 100 + 1024);
      String type = img.metadata().imageType();
      if (type != null && !type.equals("image")) {
        warnings.add("image type '" + type + "' of image '" + img.metadata().id() + "' is not stored in OME-TIFF");
      }
      if (img.metadata().chunkGrid() != null) {
        warnings.add("the chunk grid of image '" + img.metadata().id() + "' is not stored in OME-TIFF (it keeps "
            + (tile != null ? "tiles of " + tile[0] + " x " + tile[1] : "strips") + ")");
      }
    }
    boolean big = options.bigTiff() || estimate > CLASSIC_LIMIT;
    AtomicOutput.write(target, tmp -> new Job(images, options.pixelType(), compression, predictor, tile, big).run(tmp));
    return warnings;
  }

  static int compressionCode(String name, Path target) {
    if (name == null) {
      return TiffCodec.DEFLATE;
    }
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "zlib", "deflate" -> TiffCodec.DEFLATE;
      case "zstd" -> TiffCodec.ZSTD;
      case "none", "raw", "uncompressed" -> TiffCodec.NONE;
      default -> throw new SelectionException("cannot write '" + target + "': TIFF compression '" + name
          + "' is not supported; use zlib (or deflate), zstd or none");
    };
  }

  /** The state of one write. */
  private static final class Job {
    private final List<? extends ImageSource> images;
    private final PixelType forcedType;
    private final int compression;
    private final Predictor predictor;
    private final int[] tile;
    private final boolean big;
    private final List<long[]> planeOffsets = new ArrayList<>();
    private final List<long[]> planeCounts = new ArrayList<>();
    private final List<int[]> planeGeometry = new ArrayList<>(); // width, height, bits, sampleFormat, blockW, blockH, predictor
    private Deflater deflater;
    private final ZstdCompressor zstd = new ZstdCompressor();

    Job(List<? extends ImageSource> images, PixelType forcedType, int compression, Predictor predictor, int[] tile, boolean big) {
      this.images = images;
      this.forcedType = forcedType;
      this.compression = compression;
      this.predictor = predictor;
      this.tile = tile;
      this.big = big;
    }

    void run(Path tmp) throws IOException {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        long pos = big ? 16 : 8;
        List<OmeXml.Entry> entries = new ArrayList<>();
        int ifd = 0;
        for (ImageSource img : images) {
          PixelsMeta p = img.pixels();
          PixelType out = forcedType != null ? forcedType : p.pixelType();
          entries.add(new OmeXml.Entry(img.metadata(), out, ifd));
          for (int t = 0; t < p.sizeT(); t++) {
            for (int c = 0; c < p.sizeC(); c++) {
              for (int z = 0; z < p.sizeZ(); z++) {
                pos = writePlane(ch, img, out, t, c, z, pos);
                ifd++;
              }
            }
          }
        }
        String xml = OmeXml.build(entries);
        if (!xml.startsWith("<?xml")) {
          xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + xml;
        }
        pos += pos & 1;
        long first = pos;
        for (int k = 0; k < planeOffsets.size(); k++) {
          ByteBuffer b = ifdBytes(k, pos, k == 0 ? xml : null, k + 1 < planeOffsets.size());
          long next = pos + b.remaining();
          writeAt(ch, b, pos);
          pos = next;
        }
        ByteBuffer head = ByteBuffer.allocate(big ? 16 : 8).order(ByteOrder.LITTLE_ENDIAN);
        head.put((byte) 'I').put((byte) 'I');
        if (big) {
          head.putShort((short) 43).putShort((short) 8).putShort((short) 0).putLong(first);
        } else {
          head.putShort((short) 42).putInt((int) first);
        }
        writeAt(ch, head.flip(), 0);
      } finally {
        if (deflater != null) {
          deflater.end();
        }
      }
    }

    private long writePlane(FileChannel ch, ImageSource img, PixelType out, int t, int c, int z, long pos)
        throws IOException {
      PixelsMeta p = img.pixels();
      int width = p.sizeX();
      int height = p.sizeY();
      int item = out.byteSize();
      PixelType in = p.pixelType();
      boolean differenced = predictor != Predictor.NONE && compression != TiffCodec.NONE && !out.isFloating();
      int bw = tile != null ? tile[1] : width;
      int bh = tile != null ? tile[0] : (int) Math.max(1, Math.min(height, STRIP_TARGET_BYTES / Math.max(1L, (long) width * item)));
      int across = (width + bw - 1) / bw;
      int down = (height + bh - 1) / bh;
      if ((long) across * down > Integer.MAX_VALUE - 8) {
        throw new SelectionException("plane of " + width + " x " + height + " has too many blocks");
      }
      long[] offsets = new long[across * down];
      long[] counts = new long[across * down];
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment band = arena.allocate((long) width * bh * in.byteSize(), 64);
        MemorySegment conv = in == out ? band : arena.allocate((long) width * bh * item, 64);
        long blockBytes = (long) bw * bh * item;
        MemorySegment block = tile != null ? arena.allocate(blockBytes, 64) : null;
        MemorySegment packed = arena.allocate(blockBytes + blockBytes / 8 + 1024, 64);
        for (int r = 0; r < down; r++) {
          int y0 = r * bh;
          int rows = Math.min(bh, height - y0);
          img.readRegion(t, c, z, 0, y0, width, rows, band);
          if (in != out) {
            PixelConverter.convert(band, in, conv, out, (long) width * rows, PixelConverter.Rule.WRAP);
          }
          for (int k = 0; k < across; k++) {
            MemorySegment raw;
            if (tile == null) {
              raw = conv.asSlice(0, (long) width * rows * item);
            } else {
              int x0 = k * bw;
              int cols = Math.min(bw, width - x0);
              if (cols < bw || rows < bh) {
                block.fill((byte) 0);
              }
              RowCopy.rows(conv, (long) x0 * item, (long) width * item, block, 0, (long) bw * item, (long) cols * item, rows);
              raw = block;
            }
            if (differenced) {
              // in place: a strip is a slice of this band, a tile our own copy; neither is read again
              Predictors.applyHorizontal(raw, tile == null ? width : bw, tile == null ? rows : bh, 1, item, ByteOrder.LITTLE_ENDIAN);
            }
            ByteBuffer data = compress(raw, packed);
            int idx = r * across + k;
            offsets[idx] = pos;
            counts[idx] = data.remaining();
            pos += writeAt(ch, data, pos);
          }
        }
      }
      planeOffsets.add(offsets);
      planeCounts.add(counts);
      int sampleFormat = out.isFloating() ? 3 : out.isSigned() ? 2 : 1;
      planeGeometry.add(new int[] {width, height, out.bits(), sampleFormat, bw, bh, differenced ? 2 : 1});
      return pos;
    }

    private ByteBuffer compress(MemorySegment raw, MemorySegment packed) {
      ByteBuffer src = raw.asByteBuffer();
      switch (compression) {
        case TiffCodec.NONE -> {
          return src;
        }
        case TiffCodec.DEFLATE -> {
          if (deflater == null) {
            deflater = new Deflater(6);
          } else {
            deflater.reset();
          }
          ByteBuffer dst = packed.asByteBuffer();
          deflater.setInput(src);
          deflater.finish();
          while (!deflater.finished()) {
            if (deflater.deflate(dst) == 0 && !dst.hasRemaining()) {
              throw new IllegalStateException("Deflate output exceeds its bound");
            }
          }
          return dst.flip();
        }
        default -> {
          ByteBuffer dst = packed.asByteBuffer();
          if (dst.remaining() < zstd.maxCompressedLength(src.remaining())) {
            throw new IllegalStateException("Zstd output buffer too small");
          }
          zstd.compress(src, dst);
          return dst.flip();
        }
      }
    }

    private static long writeAt(FileChannel ch, ByteBuffer b, long pos) throws IOException {
      long n = b.remaining();
      long p = pos;
      while (b.hasRemaining()) {
        p += ch.write(b, p);
      }
      return n;
    }

    /** The bytes of IFD {@code k} placed at {@code base}; its next-IFD pointer is the byte after it. */
    private ByteBuffer ifdBytes(int k, long base, String description, boolean hasNext) {
      int[] g = planeGeometry.get(k);
      long[] offs = planeOffsets.get(k);
      long[] counts = planeCounts.get(k);
      IfdBuilder b = new IfdBuilder(big);
      b.longs(254, 0);
      b.longs(256, g[0]);
      b.longs(257, g[1]);
      b.shorts(258, g[2]);
      b.shorts(259, compression);
      b.shorts(262, 1);
      if (description != null) {
        b.ascii(270, description);
      }
      b.offsets(tile == null ? 273 : 324, offs);
      b.shorts(277, 1);
      if (tile == null) {
        b.longs(278, g[5]);
      }
      b.offsets(tile == null ? 279 : 325, counts);
      b.shorts(284, 1);
      if (g[6] != 1) {
        b.shorts(317, g[6]);
      }
      if (tile != null) {
        b.longs(322, g[4]);
        b.longs(323, g[5]);
      }
      b.shorts(339, g[3]);
      return b.build(base, hasNext);
    }
  }

  /** Assembles one IFD: entries in tag order, then the out-of-line values. */
  private static final class IfdBuilder {
    private final boolean big;
    private final List<Object[]> entries = new ArrayList<>(); // tag, type, count, byte[] value

    IfdBuilder(boolean big) {
      this.big = big;
    }

    void shorts(int tag, int... v) {
      ByteBuffer b = le(2 * v.length);
      for (int x : v) {
        b.putShort((short) x);
      }
      add(tag, 3, v.length, b.array());
    }

    void longs(int tag, long v) {
      add(tag, 4, 1, le(4).putInt((int) v).array());
    }

    void offsets(int tag, long[] v) {
      ByteBuffer b = le((big ? 8 : 4) * v.length);
      for (long x : v) {
        if (big) {
          b.putLong(x);
        } else {
          b.putInt((int) x);
        }
      }
      add(tag, big ? 16 : 4, v.length, b.array());
    }

    void ascii(int tag, String s) {
      byte[] a = s.getBytes(StandardCharsets.UTF_8);
      byte[] z = java.util.Arrays.copyOf(a, a.length + 1);
      add(tag, 2, z.length, z);
    }

    private void add(int tag, int type, long count, byte[] value) {
      entries.add(new Object[] {tag, type, count, value});
    }

    private static ByteBuffer le(int n) {
      return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    ByteBuffer build(long base, boolean hasNext) {
      int inline = big ? 8 : 4;
      int entrySize = big ? 20 : 12;
      int head = (big ? 8 : 2) + entries.size() * entrySize + (big ? 8 : 4);
      long extra = 0;
      for (Object[] e : entries) {
        byte[] v = (byte[]) e[3];
        if (v.length > inline) {
          extra += v.length + (v.length & 1);
        }
      }
      if (head + extra > Integer.MAX_VALUE - 8) {
        throw new SelectionException("an IFD would exceed 2 GiB; use larger tiles or strips");
      }
      ByteBuffer b = ByteBuffer.allocate((int) (head + extra)).order(ByteOrder.LITTLE_ENDIAN);
      if (big) {
        b.putLong(entries.size());
      } else {
        b.putShort((short) entries.size());
      }
      long overflow = base + head;
      int overflowPos = head;
      for (Object[] e : entries) {
        byte[] v = (byte[]) e[3];
        b.putShort((short) (int) (Integer) e[0]).putShort((short) (int) (Integer) e[1]);
        if (big) {
          b.putLong((Long) e[2]);
        } else {
          b.putInt((int) (long) (Long) e[2]);
        }
        if (v.length <= inline) {
          byte[] padded = java.util.Arrays.copyOf(v, inline);
          b.put(padded);
        } else {
          if (big) {
            b.putLong(overflow);
          } else {
            b.putInt((int) overflow);
          }
          b.put(overflowPos, v);
          overflow += v.length + (v.length & 1);
          overflowPos += v.length + (v.length & 1);
        }
      }
      long next = hasNext ? base + head + extra : 0;
      if (big) {
        b.putLong(next);
      } else {
        b.putInt((int) next);
      }
      b.position(0).limit((int) (head + extra));
      return b;
    }
  }
}
