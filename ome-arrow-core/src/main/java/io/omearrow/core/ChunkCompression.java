package io.omearrow.core;

import io.airlift.compress.lz4.Lz4Compressor;
import io.airlift.compress.lz4.Lz4Decompressor;
import io.airlift.compress.zstd.ZstdCompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Locale;

/**
 * Per-chunk compression of byte-encoded chunks, as the Python writer produces it: {@code "zstd"}
 * payloads are standard Zstandard frames and {@code "lz4"} payloads are LZ4 frames (magic
 * 04 22 4D 18). The presets follow the reference's "only when it shrinks" rule: {@link #AUTO} and
 * {@link #SMALL} use Zstd, {@link #FAST} LZ4, and a chunk that would not shrink stays raw.
 * Pure Java (aircompressor); no native code.
 */
public enum ChunkCompression {
  NONE(null, false),
  ZSTD("zstd", false),
  LZ4("lz4", false),
  AUTO("zstd", true),
  FAST("lz4", true),
  SMALL("zstd", true);

  private final String codec;
  private final boolean onlyWhenSmaller;

  ChunkCompression(String codec, boolean onlyWhenSmaller) {
    this.codec = codec;
    this.onlyWhenSmaller = onlyWhenSmaller;
  }

  /** The codec name written into the {@code compression} field, or null. */
  public String codec() {
    return codec;
  }

  /** True for the presets that keep a chunk raw unless compressing shrinks it. */
  public boolean onlyWhenSmaller() {
    return onlyWhenSmaller;
  }

  /** Parses {@code none|zstd|lz4|auto|fast|small} (null means none). */
  public static ChunkCompression parse(String name) {
    if (name == null) {
      return NONE;
    }
    try {
      return valueOf(name.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new SelectionException("unsupported chunk compression '" + name + "'; expected one of none, zstd, lz4, auto, fast, small");
    }
  }

  /**
   * Compresses {@code src}; returns the compressed bytes, or null when this mode leaves the chunk
   * raw (NONE, or a preset whose result would not be smaller).
   */
  public byte[] compress(MemorySegment src) {
    if (codec == null) {
      return null;
    }
    byte[] in = src.toArray(ValueLayout.JAVA_BYTE);
    byte[] out = codec.equals("zstd") ? zstdCompress(in) : Lz4Frame.compress(in);
    if (onlyWhenSmaller && out.length >= in.length) {
      return null;
    }
    return out;
  }

  private static byte[] zstdCompress(byte[] in) {
    ZstdCompressor c = new ZstdCompressor();
    byte[] out = new byte[c.maxCompressedLength(in.length)];
    int n = c.compress(in, 0, in.length, out, 0, out.length);
    return java.util.Arrays.copyOf(out, n);
  }

  /**
   * Decompresses a chunk payload of the named codec into {@code dst}, which must be exactly the
   * decoded size.
   *
   * @throws FormatException for an unknown codec or a payload that does not decode to exactly
   *     {@code dst.byteSize()} bytes
   */
  public static void decompress(String codec, MemorySegment src, MemorySegment dst, String where) {
    long expected = dst.byteSize();
    if (expected > Integer.MAX_VALUE) {
      throw new FormatException(where + ": compressed chunk decodes to " + expected + " bytes, more than 2 GiB");
    }
    try {
      switch (codec.toLowerCase(Locale.ROOT)) {
        case "zstd" -> decompressZstd(src, dst, where);
        case "lz4" -> {
          byte[] in = src.toArray(ValueLayout.JAVA_BYTE);
          byte[] out = new byte[(int) expected];
          int n = Lz4Frame.decompress(in, out, where);
          checkLength(codec, n, expected, where);
          MemorySegment.copy(out, 0, dst, ValueLayout.JAVA_BYTE, 0, n);
        }
        default -> throw new FormatException(where + ": unsupported chunk compression '" + codec + "'; this library reads zstd and lz4");
      }
    } catch (FormatException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new FormatException(where + ": corrupt " + codec + " payload (" + e.getMessage() + ")", e);
    }
  }

  private static final ThreadLocal<ZstdDecompressor> ZSTD_DECODER = ThreadLocal.withInitial(ZstdDecompressor::new);

  /** Decodes straight between the two segments (no heap copies) when both are native. */
  private static void decompressZstd(MemorySegment src, MemorySegment dst, String where) {
    long expected = dst.byteSize();
    byte[] head = src.asSlice(0, Math.min(src.byteSize(), 18)).toArray(ValueLayout.JAVA_BYTE);
    long declared = ZstdDecompressor.getDecompressedSize(head, 0, head.length);
    if (declared >= 0 && declared != expected) {
      throw new FormatException(where + ": zstd payload declares " + declared + " bytes, expected " + expected);
    }
    if (src.isNative() && dst.isNative()) {
      java.nio.ByteBuffer in = src.asByteBuffer();
      java.nio.ByteBuffer out = dst.asByteBuffer();
      ZSTD_DECODER.get().decompress(in, out);
      checkLength("zstd", out.position(), expected, where);
      return;
    }
    byte[] in = src.toArray(ValueLayout.JAVA_BYTE);
    byte[] out = new byte[(int) expected];
    int n = ZSTD_DECODER.get().decompress(in, 0, in.length, out, 0, out.length);
    checkLength("zstd", n, expected, where);
    MemorySegment.copy(out, 0, dst, ValueLayout.JAVA_BYTE, 0, n);
  }

  private static void checkLength(String codec, long n, long expected, String where) {
    if (n != expected) {
      throw new FormatException(where + ": " + codec + " payload decoded to " + n + " bytes, expected " + expected);
    }
  }

  /** The LZ4 frame format (what python's lz4.frame writes), over aircompressor's block codec. */
  static final class Lz4Frame {
    private static final int MAGIC = 0x184D2204;
    private static final int BLOCK_MAX = 4 << 20;

    private Lz4Frame() {}

    static byte[] compress(byte[] in) {
      Lz4Compressor c = new Lz4Compressor();
      java.io.ByteArrayOutputStream bos = new java.io.ByteArrayOutputStream(in.length / 2 + 64);
      putInt(bos, MAGIC);
      int flg = 0x40 | 0x20 | 0x08; // version 01, independent blocks, content size present
      int bd = 7 << 4; // 4 MiB max block
      byte[] desc = new byte[10];
      desc[0] = (byte) flg;
      desc[1] = (byte) bd;
      long size = in.length;
      for (int i = 0; i < 8; i++) {
        desc[2 + i] = (byte) (size >>> (8 * i));
      }
      bos.write(desc, 0, 10);
      bos.write((XxHash32.hash(desc, 0, 10) >>> 8) & 0xFF);
      byte[] buf = new byte[c.maxCompressedLength(BLOCK_MAX)];
      for (int off = 0; off < in.length; off += BLOCK_MAX) {
        int len = Math.min(BLOCK_MAX, in.length - off);
        int n = c.compress(in, off, len, buf, 0, buf.length);
        if (n >= len) {
          putInt(bos, len | 0x80000000);
          bos.write(in, off, len);
        } else {
          putInt(bos, n);
          bos.write(buf, 0, n);
        }
      }
      putInt(bos, 0);
      return bos.toByteArray();
    }

    static int decompress(byte[] in, byte[] out, String where) {
      if (in.length < 7 || getInt(in, 0) != MAGIC) {
        throw new FormatException(where + ": lz4 payload is not an LZ4 frame (bad magic)");
      }
      int flg = in[4] & 0xFF;
      if ((flg >>> 6) != 1) {
        throw new FormatException(where + ": unsupported LZ4 frame version");
      }
      boolean blockChecksum = (flg & 0x10) != 0;
      boolean contentSize = (flg & 0x08) != 0;
      boolean dictId = (flg & 0x01) != 0;
      int pos = 6 + (contentSize ? 8 : 0) + (dictId ? 4 : 0) + 1;
      Lz4Decompressor d = new Lz4Decompressor();
      int outPos = 0;
      while (true) {
        if (pos + 4 > in.length) {
          throw new FormatException(where + ": truncated LZ4 frame");
        }
        int bsize = getInt(in, pos);
        pos += 4;
        if (bsize == 0) {
          break;
        }
        boolean raw = (bsize & 0x80000000) != 0;
        int len = bsize & 0x7FFFFFFF;
        if (len > in.length - pos) {
          throw new FormatException(where + ": LZ4 block of " + len + " bytes runs past the payload end");
        }
        if (raw) {
          if (len > out.length - outPos) {
            throw new FormatException(where + ": lz4 payload decodes to more than " + out.length + " bytes");
          }
          System.arraycopy(in, pos, out, outPos, len);
          outPos += len;
        } else {
          outPos += d.decompress(in, pos, len, out, outPos, out.length - outPos);
        }
        pos += len + (blockChecksum ? 4 : 0);
      }
      return outPos;
    }

    private static void putInt(java.io.ByteArrayOutputStream b, int v) {
      b.write(v);
      b.write(v >>> 8);
      b.write(v >>> 16);
      b.write(v >>> 24);
    }

    private static int getInt(byte[] a, int p) {
      return (a[p] & 0xFF) | (a[p + 1] & 0xFF) << 8 | (a[p + 2] & 0xFF) << 16 | (a[p + 3] & 0xFF) << 24;
    }
  }

  /** xxHash32 with seed 0, used only for the LZ4 frame header checksum. */
  static final class XxHash32 {
    private static final int P1 = 0x9E3779B1;
    private static final int P2 = 0x85EBCA77;
    private static final int P3 = 0xC2B2AE3D;
    private static final int P4 = 0x27D4EB2F;
    private static final int P5 = 0x165667B1;

    private XxHash32() {}

    static int hash(byte[] b, int off, int len) {
      int end = off + len;
      int p = off;
      int h;
      if (len >= 16) {
        int v1 = P1 + P2;
        int v2 = P2;
        int v3 = 0;
        int v4 = -P1;
        while (p <= end - 16) {
          v1 = Integer.rotateLeft(v1 + le(b, p) * P2, 13) * P1;
          v2 = Integer.rotateLeft(v2 + le(b, p + 4) * P2, 13) * P1;
          v3 = Integer.rotateLeft(v3 + le(b, p + 8) * P2, 13) * P1;
          v4 = Integer.rotateLeft(v4 + le(b, p + 12) * P2, 13) * P1;
          p += 16;
        }
        h = Integer.rotateLeft(v1, 1) + Integer.rotateLeft(v2, 7) + Integer.rotateLeft(v3, 12) + Integer.rotateLeft(v4, 18);
      } else {
        h = P5;
      }
      h += len;
      while (p <= end - 4) {
        h = Integer.rotateLeft(h + le(b, p) * P3, 17) * P4;
        p += 4;
      }
      while (p < end) {
        h = Integer.rotateLeft(h + (b[p] & 0xFF) * P5, 11) * P1;
        p++;
      }
      h ^= h >>> 15;
      h *= P2;
      h ^= h >>> 13;
      h *= P3;
      h ^= h >>> 16;
      return h;
    }

    private static int le(byte[] a, int p) {
      return (a[p] & 0xFF) | (a[p + 1] & 0xFF) << 8 | (a[p + 2] & 0xFF) << 16 | (a[p + 3] & 0xFF) << 24;
    }
  }
}
