package io.omearrow.io.parquet;

import com.github.luben.zstd.Zstd;
import io.airlift.compress.lz4.Lz4Decompressor;
import io.omearrow.core.FormatException;
import io.omearrow.core.SelectionException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import io.omearrow.memory.AlignedBuffers;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.format.CompressionCodec;
import org.xerial.snappy.Snappy;

/**
 * Page compression codecs: the ones pyarrow writes by default (zstd, snappy, none) plus gzip and
 * LZ4_RAW on read. Every decompression is checked against the page's declared size, and the
 * declared size is checked against what the codec's own header says before anything is
 * allocated, so a lying page header cannot make us allocate gigabytes.
 */
final class Codecs {
  /** One decompression context per thread: creating one per page costs more than small pages take to decode. */
  private static final ThreadLocal<com.github.luben.zstd.ZstdDecompressCtx> ZSTD =
      ThreadLocal.withInitial(com.github.luben.zstd.ZstdDecompressCtx::new);

  private Codecs() {}

  /** Parses a user codec name: zstd (default), snappy, gzip, none/uncompressed. */
  static CompressionCodec parse(String name) {
    if (name == null) {
      return CompressionCodec.ZSTD;
    }
    return switch (name.strip().toLowerCase(Locale.ROOT)) {
      case "zstd" -> CompressionCodec.ZSTD;
      case "snappy" -> CompressionCodec.SNAPPY;
      case "gzip" -> CompressionCodec.GZIP;
      case "none", "uncompressed" -> CompressionCodec.UNCOMPRESSED;
      default -> throw new SelectionException("unsupported Parquet compression '" + name + "'; expected zstd, snappy, gzip or none");
    };
  }

  static byte[] compress(CompressionCodec codec, byte[] src, int off, int len) {
    try {
      return switch (codec) {
        case UNCOMPRESSED -> Arrays.copyOfRange(src, off, off + len);
        case ZSTD -> {
          byte[] out = new byte[(int) Zstd.compressBound(len)];
          long n = Zstd.compressByteArray(out, 0, out.length, src, off, len, 3);
          if (Zstd.isError(n)) {
            throw new IOException("zstd: " + Zstd.getErrorName(n));
          }
          yield Arrays.copyOf(out, (int) n);
        }
        case SNAPPY -> {
          byte[] out = new byte[Snappy.maxCompressedLength(len)];
          int n = Snappy.compress(src, off, len, out, 0);
          yield Arrays.copyOf(out, n);
        }
        case GZIP -> {
          ByteArrayOutputStream bos = new ByteArrayOutputStream(len / 2 + 64);
          try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(src, off, len);
          }
          yield bos.toByteArray();
        }
        default -> throw new SelectionException("writing Parquet with codec " + codec + " is not supported");
      };
    } catch (IOException e) {
      throw new FormatException("compressing a Parquet page with " + codec + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * Decompresses {@code len} bytes of {@code src} at {@code off}: an uncompressed page comes back
   * as a slice of {@code src} (no copy; same owner and lifetime), a compressed one as a new heap
   * segment of exactly {@code uncompressedSize} bytes.
   */
  static MemorySegment decompress(CompressionCodec codec, MemorySegment src, long off, int len, int uncompressedSize, String where) {
    if (off < 0 || len < 0 || off + len > src.byteSize()) {
      throw new FormatException(where + ": page of " + len + " bytes runs past its column chunk");
    }
    if (codec == CompressionCodec.UNCOMPRESSED) {
      if (uncompressedSize < 0) {
        throw new FormatException(where + ": negative uncompressed page size " + uncompressedSize);
      }
      if (len != uncompressedSize) {
        throw new FormatException(where + ": uncompressed page is " + len + " bytes but declares " + uncompressedSize);
      }
      return src.asSlice(off, len);
    }
    byte[] in = src.asSlice(off, len).toArray(ValueLayout.JAVA_BYTE);
    return MemorySegment.ofArray(decompress(codec, in, 0, len, uncompressedSize, where));
  }

  /**
   * Decompresses a compressed page body ({@code len} bytes of {@code src} at {@code off}) into a
   * new native buffer of {@code max(1, uncompressedSize)} bytes (64-byte aligned, not zeroed)
   * owned by the caller. Native zstd and snappy pages go straight from the column chunk to the
   * buffer; other codecs and heap pages decompress through a heap array. The declared size is
   * checked against the codec's own header before anything is allocated.
   */
  static ArrowBuf decompressNative(CompressionCodec codec, MemorySegment src, long off, int len, int uncompressedSize,
      BufferAllocator allocator, String where) {
    if (off < 0 || len < 0 || off + len > src.byteSize()) {
      throw new FormatException(where + ": page of " + len + " bytes runs past its column chunk");
    }
    if (uncompressedSize < 0) {
      throw new FormatException(where + ": negative uncompressed page size " + uncompressedSize);
    }
    if (!src.isNative() || (codec != CompressionCodec.ZSTD && codec != CompressionCodec.SNAPPY)) {
      byte[] out = decompress(codec, src.asSlice(off, len).toArray(ValueLayout.JAVA_BYTE), 0, len, uncompressedSize, where);
      ArrowBuf b = AlignedBuffers.allocate(allocator, Math.max(1, out.length));
      MemorySegment.copy(out, 0, PageDecoder.segment(b), ValueLayout.JAVA_BYTE, 0, out.length);
      return b;
    }
    ByteBuffer in = src.asSlice(off, len).asByteBuffer();
    try {
      if (codec == CompressionCodec.ZSTD) {
        long declared = Zstd.getDirectByteBufferFrameContentSize(in, 0, len);
        if (declared >= 0 && declared != uncompressedSize) {
          throw new FormatException(where + ": zstd page decompresses to " + declared + " bytes but the page header declares " + uncompressedSize);
        }
        if (declared < 0 && uncompressedSize > 1024L * len + 65536) {
          throw new FormatException(where + ": page header declares " + uncompressedSize + " bytes for a " + len + "-byte zstd page");
        }
      } else {
        int declared = Snappy.uncompressedLength(in);
        if (declared != uncompressedSize) {
          throw new FormatException(where + ": snappy page decompresses to " + declared + " bytes but the page header declares " + uncompressedSize);
        }
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof FormatException f) {
        throw f;
      }
      throw new FormatException(where + ": corrupt " + codec.name().toLowerCase(Locale.ROOT) + " page (" + e.getMessage() + ")", e);
    }
    ArrowBuf b = AlignedBuffers.allocate(allocator, Math.max(1, uncompressedSize));
    try {
      ByteBuffer out = b.nioBuffer(0, uncompressedSize);
      int n;
      if (codec == CompressionCodec.ZSTD) {
        n = ZSTD.get().decompressDirectByteBuffer(out, 0, uncompressedSize, in, 0, len);
        check(n, uncompressedSize, "zstd", where);
      } else {
        n = Snappy.uncompress(in, out);
        check(n, uncompressedSize, "snappy", where);
      }
      return b;
    } catch (FormatException e) {
      b.close();
      throw e;
    } catch (IOException | RuntimeException e) {
      b.close();
      throw new FormatException(where + ": corrupt " + codec.name().toLowerCase(Locale.ROOT) + " page (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Decompresses {@code len} bytes at {@code off} into a new array of exactly
   * {@code uncompressedSize} bytes.
   */
  static byte[] decompress(CompressionCodec codec, byte[] src, int off, int len, int uncompressedSize, String where) {
    if (uncompressedSize < 0) {
      throw new FormatException(where + ": negative uncompressed page size " + uncompressedSize);
    }
    try {
      switch (codec) {
        case UNCOMPRESSED -> {
          if (len != uncompressedSize) {
            throw new FormatException(where + ": uncompressed page is " + len + " bytes but declares " + uncompressedSize);
          }
          return Arrays.copyOfRange(src, off, off + len);
        }
        case ZSTD -> {
          long declared = Zstd.getFrameContentSize(src, off, len);
          if (declared >= 0 && declared != uncompressedSize) {
            throw new FormatException(where + ": zstd page decompresses to " + declared + " bytes but the page header declares " + uncompressedSize);
          }
          if (declared < 0 && uncompressedSize > 1024L * len + 65536) {
            throw new FormatException(where + ": page header declares " + uncompressedSize + " bytes for a " + len + "-byte zstd page");
          }
          byte[] out = new byte[uncompressedSize];
          int n;
          try {
            n = ZSTD.get().decompressByteArray(out, 0, uncompressedSize, src, off, len);
          } catch (com.github.luben.zstd.ZstdException e) {
            throw new FormatException(where + ": corrupt zstd page (" + e.getMessage() + ")", e);
          }
          check(n, uncompressedSize, "zstd", where);
          return out;
        }
        case SNAPPY -> {
          int declared = Snappy.uncompressedLength(src, off, len);
          if (declared != uncompressedSize) {
            throw new FormatException(where + ": snappy page decompresses to " + declared + " bytes but the page header declares " + uncompressedSize);
          }
          byte[] out = new byte[uncompressedSize];
          int n = Snappy.uncompress(src, off, len, out, 0);
          check(n, uncompressedSize, "snappy", where);
          return out;
        }
        case GZIP -> {
          if (uncompressedSize > 1032L * len + 65536) {
            throw new FormatException(where + ": page header declares " + uncompressedSize + " bytes for a " + len + "-byte gzip page");
          }
          byte[] out = new byte[uncompressedSize];
          try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(src, off, len))) {
            int n = in.readNBytes(out, 0, uncompressedSize);
            if (n != uncompressedSize || in.read() != -1) {
              throw new FormatException(where + ": gzip page does not decompress to the declared " + uncompressedSize + " bytes");
            }
          }
          return out;
        }
        case LZ4_RAW -> {
          if (uncompressedSize > 256L * len + 65536) {
            throw new FormatException(where + ": page header declares " + uncompressedSize + " bytes for a " + len + "-byte lz4 page");
          }
          byte[] out = new byte[uncompressedSize];
          int n = new Lz4Decompressor().decompress(src, off, len, out, 0, uncompressedSize);
          check(n, uncompressedSize, "lz4", where);
          return out;
        }
        default -> throw new FormatException(where + ": Parquet codec " + codec + " is not supported (supported: none, snappy, zstd, gzip, lz4_raw)");
      }
    } catch (FormatException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new FormatException(where + ": corrupt " + codec.name().toLowerCase(Locale.ROOT) + " page (" + e.getMessage() + ")", e);
    }
  }

  private static void check(long n, int expected, String codec, String where) {
    if (n != expected) {
      throw new FormatException(where + ": " + codec + " page decompressed to " + n + " bytes, the header declares " + expected);
    }
  }

}
