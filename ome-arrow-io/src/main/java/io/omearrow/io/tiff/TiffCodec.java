package io.omearrow.io.tiff;

import io.airlift.compress.zstd.ZstdDecompressor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.tukaani.xz.LZMAInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * The TIFF block decompressors this reader supports, all pure Java: none (1), LZW (5),
 * Deflate (8 and the old code 32946, through one {@link Inflater} per thread on direct buffers), PackBits
 * (32773), LZMA (34925, .xz or .lzma streams through org.tukaani:xz) and Zstd (50000 and 34926,
 * through aircompressor). JPEG, JPEG 2000, LERC, WebP, JPEG XL and the rest are refused by
 * {@link TiffFile} with an error naming the code.
 */
final class TiffCodec {
  static final int NONE = 1;
  static final int LZW = 5;
  static final int DEFLATE = 8;
  static final int DEFLATE_OLD = 32946;
  static final int PACKBITS = 32773;
  static final int LZMA = 34925;
  static final int ZSTD = 50000;
  static final int ZSTD_OLD = 34926;
  /** Limit on the LZMA dictionary a (possibly corrupt) stream may ask for, in KiB. */
  private static final int XZ_MEMORY_LIMIT_KIB = 512 * 1024;

  private TiffCodec() {}

  static boolean isSupported(long code) {
    return code == NONE || code == LZW || code == DEFLATE || code == DEFLATE_OLD || code == PACKBITS || code == LZMA
        || code == ZSTD || code == ZSTD_OLD;
  }

  static String supportedList() {
    return "1 (none), 5 (LZW), 8 and 32946 (Deflate), 32773 (PackBits), 34925 (LZMA), 50000 and 34926 (Zstd)";
  }

  /** A readable name for a compression code (for error messages). */
  static String name(long code) {
    return switch ((int) code) {
      case 1 -> "none";
      case 2 -> "CCITT RLE";
      case 3 -> "CCITT Group 3";
      case 4 -> "CCITT Group 4";
      case 5 -> "LZW";
      case 6 -> "old-style JPEG";
      case 7 -> "JPEG";
      case 8, 32946 -> "Deflate";
      case 32773 -> "PackBits";
      case 33003, 33005, 34712 -> "JPEG 2000";
      case 34887 -> "LERC";
      case 34925 -> "LZMA";
      case 34926, 50000 -> "Zstd";
      case 34927, 50001 -> "WebP";
      case 50002, 52546 -> "JPEG XL";
      default -> "unknown";
    };
  }

  /**
   * One {@link Inflater} and one Zstd decompressor per thread, reused for every block with
   * {@code reset()}: making a native zlib stream per block costs more than inflating a small tile.
   * They live as long as the thread; the Inflater's native memory is released by its cleaner.
   */
  private static final ThreadLocal<Inflater> INFLATER = ThreadLocal.withInitial(Inflater::new);
  private static final ThreadLocal<ZstdDecompressor> ZSTD_DECOMPRESSOR = ThreadLocal.withInitial(ZstdDecompressor::new);

  /**
   * Decodes the compressed bytes {@code src} (position to limit) into {@code dst} from its
   * position, filling at most its remaining space.
   *
   * @return the number of bytes produced
   * @throws IOException or a runtime exception for corrupt data (the caller names the block)
   */
  static int decode(int code, ByteBuffer src, ByteBuffer dst) throws IOException, DataFormatException {
    int start = dst.position();
    switch (code) {
      case NONE -> {
        int n = Math.min(src.remaining(), dst.remaining());
        dst.put(dst.position(), src, src.position(), n);
        dst.position(start + n);
      }
      case DEFLATE, DEFLATE_OLD -> inflate(src, dst);
      case PACKBITS -> packBits(src, dst);
      case LZW -> lzw(src, dst);
      case LZMA -> lzma(src, dst);
      case ZSTD, ZSTD_OLD -> ZSTD_DECOMPRESSOR.get().decompress(src, dst);
      default -> throw new IOException("compression " + code + " is not supported");
    }
    return dst.position() - start;
  }

  /** Inflates straight between the two (direct) buffers: no heap copies on either side. */
  private static void inflate(ByteBuffer src, ByteBuffer dst) throws DataFormatException, IOException {
    Inflater inf = INFLATER.get();
    inf.reset();
    inf.setInput(src);
    while (dst.hasRemaining() && !inf.finished()) {
      int n = inf.inflate(dst);
      if (inf.needsDictionary()) {
        throw new IOException("Deflate stream needs a preset dictionary");
      }
      if (n == 0) {
        break; // input exhausted (a short stream is reported by the caller)
      }
    }
  }

  private static void packBits(ByteBuffer src, ByteBuffer dst) {
    while (src.hasRemaining() && dst.hasRemaining()) {
      int n = src.get();
      if (n >= 0) {
        int len = Math.min(Math.min(n + 1, src.remaining()), dst.remaining());
        dst.put(dst.position(), src, src.position(), len);
        dst.position(dst.position() + len);
        src.position(src.position() + len);
      } else if (n != -128) {
        if (!src.hasRemaining()) {
          break;
        }
        byte b = src.get();
        int len = Math.min(1 - n, dst.remaining());
        for (int i = 0; i < len; i++) {
          dst.put(b);
        }
      }
    }
  }

  private static void lzma(ByteBuffer src, ByteBuffer dst) throws IOException {
    byte[] in = new byte[src.remaining()];
    src.get(src.position(), in);
    boolean xz = in.length >= 6 && (in[0] & 0xFF) == 0xFD && in[1] == '7' && in[2] == 'z' && in[3] == 'X' && in[4] == 'Z' && in[5] == 0;
    try (InputStream s = xz ? new XZInputStream(new ByteArrayInputStream(in), XZ_MEMORY_LIMIT_KIB)
        : new LZMAInputStream(new ByteArrayInputStream(in), XZ_MEMORY_LIMIT_KIB)) {
      byte[] buf = new byte[Math.min(dst.remaining(), 1 << 20)];
      while (dst.hasRemaining()) {
        int n = s.read(buf, 0, Math.min(buf.length, dst.remaining()));
        if (n < 0) {
          break;
        }
        dst.put(buf, 0, n);
      }
    }
  }

  /** TIFF LZW: MSB-first codes of 9 to 12 bits, Clear 256, EOI 257, early code-width change. */
  private static void lzw(ByteBuffer src, ByteBuffer dst) throws IOException {
    byte[] in = new byte[src.remaining()];
    src.get(src.position(), in);
    if (in.length >= 2 && in[0] == 0 && (in[1] & 1) == 1) {
      throw new IOException("old-style (LSB-first) LZW is not supported");
    }
    int[] prefix = new int[4096];
    byte[] suffix = new byte[4096];
    byte[] firstByte = new byte[4096];
    int[] length = new int[4096];
    for (int i = 0; i < 256; i++) {
      prefix[i] = -1;
      suffix[i] = (byte) i;
      firstByte[i] = (byte) i;
      length[i] = 1;
    }
    byte[] out = new byte[dst.remaining()];
    int outPos = 0;
    int next = 258;
    int width = 9;
    int old = -1;
    long bitBuf = 0;
    int bits = 0;
    int inPos = 0;
    while (outPos < out.length) {
      while (bits < width && inPos < in.length) {
        bitBuf = (bitBuf << 8) | (in[inPos++] & 0xFF);
        bits += 8;
      }
      if (bits < width) {
        break;
      }
      int code = (int) ((bitBuf >>> (bits - width)) & ((1 << width) - 1));
      bits -= width;
      if (code == 257) {
        break;
      }
      if (code == 256) {
        next = 258;
        width = 9;
        old = -1;
        continue;
      }
      int emit;
      if (code < next) {
        if (old >= 0 && next < 4096) {
          prefix[next] = old;
          suffix[next] = firstByte[code];
          firstByte[next] = firstByte[old];
          length[next] = length[old] + 1;
          next++;
        }
        emit = code;
      } else if (code == next && old >= 0 && next < 4096) {
        prefix[next] = old;
        suffix[next] = firstByte[old];
        firstByte[next] = firstByte[old];
        length[next] = length[old] + 1;
        next++;
        emit = code;
      } else {
        throw new IOException("bad LZW code " + code + " (next free code " + next + ")");
      }
      int len = length[emit];
      int end = outPos + len;
      int c = emit;
      for (int p = end - 1; p >= outPos; p--) {
        if (p < out.length) {
          out[p] = suffix[c];
        }
        c = prefix[c];
      }
      outPos = Math.min(end, out.length);
      old = code;
      if (next >= (1 << width) - 1 && width < 12) {
        width++;
      }
    }
    dst.put(out, 0, outPos);
  }
}
