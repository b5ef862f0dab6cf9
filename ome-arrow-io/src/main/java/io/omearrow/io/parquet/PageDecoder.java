package io.omearrow.io.parquet;

import io.omearrow.core.FormatException;
import io.omearrow.memory.AlignedBuffers;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.parquet.format.CompressionCodec;
import org.apache.parquet.format.DataPageHeader;
import org.apache.parquet.format.DataPageHeaderV2;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.PageType;
import org.apache.parquet.format.Type;

/**
 * Decodes Parquet data pages of one leaf column in bulk: decompression, RLE/bit-packed levels,
 * PLAIN and dictionary values, straight into an Arrow buffer at the Arrow width (int32 pixels
 * are narrowed to uint16 on the way). Page versions 1 and 2 are read; the value encodings are
 * those pyarrow writes by default (PLAIN, PLAIN_DICTIONARY, RLE_DICTIONARY).
 */
final class PageDecoder {
  private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
  private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
  private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;
  private static final java.lang.invoke.VarHandle INT_LE =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

  /**
   * One page as stored: its header and its (compressed) body at {@code buf[off..]}; the segment
   * is native (a column chunk read into Arrow memory) or a heap array, owned by whoever read it.
   */
  record RawPage(PageHeader header, MemorySegment buf, long off) {}

  private record Decoded(MemorySegment data, long valuesPos, long valuesEnd, Encoding encoding, int entries, int levelStart, int nonNull) {}

  private PageDecoder() {}

  /** Arrow bytes per value of a leaf (0 for null, -1 for bits, -2 for variable width). */
  static int arrowWidth(ArrowType t) {
    return switch (t) {
      case ArrowType.Int i -> i.getBitWidth() / 8;
      case ArrowType.Timestamp ts -> 8;
      case ArrowType.FloatingPoint f -> f.getPrecision() == org.apache.arrow.vector.types.FloatingPointPrecision.SINGLE ? 4 : 8;
      case ArrowType.Null n -> 0;
      case ArrowType.Bool b -> -1;
      default -> -2;
    };
  }

  static int physicalWidth(Type t) {
    return switch (t) {
      case INT32, FLOAT -> 4;
      case INT64, DOUBLE -> 8;
      default -> -1;
    };
  }

  static LeafData decode(Node leaf, CompressionCodec codec, RawPage dict, List<RawPage> pages, BufferAllocator allocator, String where) {
    return decode(leaf, codec, dict, pages, allocator, 1024, where);
  }

  /** As above; {@code entriesHint} pre-sizes the level arrays (a bound checked by the caller). */
  static LeafData decode(Node leaf, CompressionCodec codec, RawPage dict, List<RawPage> pages, BufferAllocator allocator, long entriesHint,
      String where) {
    String w = where + " column '" + leaf.dotted() + "'";
    LeafData out = new LeafData(leaf);
    try {
      Type physical = leaf.element.getType();
      int aw = arrowWidth(leaf.field.getType());
      Dictionary dictionary = dict == null || aw == 0 ? null : readDictionary(leaf, codec, dict, physical, aw, w);
      List<Decoded> decoded = new ArrayList<>(pages.size());
      int hint = (int) Math.max(16, Math.min(entriesHint, Integer.MAX_VALUE - 16));
      Levels rep = leaf.maxRep > 0 ? new Levels(leaf.maxRep, hint) : null;
      Levels def = leaf.maxDef > 0 ? new Levels(leaf.maxDef, hint) : null;
      int entries = 0;
      long nonNull = 0;
      int repWidth = Rle.bitWidth(leaf.maxRep);
      int defWidth = Rle.bitWidth(leaf.maxDef);
      for (RawPage p : pages) {
        PageHeader h = p.header();
        int n;
        MemorySegment data;
        long pos;
        Encoding enc;
        long end;
        int nonNullInPage = -1;
        if (h.getType() == PageType.DATA_PAGE) {
          DataPageHeader dh = h.getData_page_header();
          n = dh.getNum_values();
          enc = dh.getEncoding();
          checkEntries(n, h.getUncompressed_page_size(), entries, w);
          if (codec == CompressionCodec.UNCOMPRESSED && p.buf().isNative()) {
            // decode in place: no copy of uncompressed pages
            if (h.getCompressed_page_size() != h.getUncompressed_page_size()) {
              throw new FormatException(w + ": uncompressed page is " + h.getCompressed_page_size() + " bytes but declares "
                  + h.getUncompressed_page_size());
            }
            data = p.buf();
            pos = p.off();
            end = p.off() + h.getCompressed_page_size();
          } else {
            data = nativeBody(codec, p.buf(), p.off(), h.getCompressed_page_size(), h.getUncompressed_page_size(), out, allocator, w);
            pos = 0;
            end = data.byteSize();
          }
          if (leaf.maxRep > 0) {
            int len = lengthPrefix(data, pos, end, w);
            Rle.decodeLevels(data, pos + 4, pos + 4 + len, repWidth, rep, n, w);
            pos += 4 + len;
          }
          if (leaf.maxDef > 0) {
            int len = lengthPrefix(data, pos, end, w);
            nonNullInPage = Rle.decodeLevels(data, pos + 4, pos + 4 + len, defWidth, def, n, w);
            pos += 4 + len;
          }
        } else if (h.getType() == PageType.DATA_PAGE_V2) {
          DataPageHeaderV2 dh = h.getData_page_header_v2();
          n = dh.getNum_values();
          enc = dh.getEncoding();
          checkEntries(n, h.getUncompressed_page_size(), entries, w);
          int rl = dh.getRepetition_levels_byte_length();
          int dl = dh.getDefinition_levels_byte_length();
          int comp = h.getCompressed_page_size();
          if (rl < 0 || dl < 0 || rl + dl > comp || rl + dl > h.getUncompressed_page_size()) {
            throw new FormatException(w + ": page v2 level lengths " + rl + "+" + dl + " exceed the page size");
          }
          if (leaf.maxRep > 0) {
            Rle.decodeLevels(p.buf(), p.off(), p.off() + rl, repWidth, rep, n, w);
          }
          if (leaf.maxDef > 0) {
            nonNullInPage = Rle.decodeLevels(p.buf(), p.off() + rl, p.off() + rl + dl, defWidth, def, n, w);
          }
          boolean compressed = !dh.isSetIs_compressed() || dh.isIs_compressed();
          int vlen = comp - rl - dl;
          int ulen = h.getUncompressed_page_size() - rl - dl;
          data = nativeBody(compressed ? codec : CompressionCodec.UNCOMPRESSED, p.buf(), p.off() + rl + dl, vlen, ulen, out, allocator, w);
          pos = 0;
          end = data.byteSize();
        } else {
          continue;
        }
        int nn = leaf.maxDef > 0 ? nonNullInPage : n;
        decoded.add(new Decoded(data, pos, end, enc, n, entries, nn));
        entries += n;
        nonNull += nn;
      }
      out.entries = entries;
      out.rep = rep;
      out.def = def;
      out.values = (int) nonNull;
      if (aw == 0) {
        return out;
      }
      if (aw == -2) {
        out.binSeg = new MemorySegment[out.values];
        out.binOff = new long[out.values];
        out.binLen = new int[out.values];
      } else {
        long bytes = aw == -1 ? (nonNull + 7) / 8 : nonNull * aw;
        // aligned, huge-page-advised and not zeroed: every byte is written below (bits excepted)
        out.fixed = AlignedBuffers.allocate(allocator, Math.max(bytes, 8));
        if (aw == -1) {
          out.fixed.setZero(0, out.fixed.capacity()); // bits are or-ed in; wider values are all written
        }
      }
      int vi = 0;
      for (Decoded d : decoded) {
        decodeValues(d, out, vi, physical, aw, dictionary, w);
        vi += d.nonNull();
      }
      if (aw != -2) {
        out.releaseOwned(); // fixed-width values were copied out of the pages
      }
      return out;
    } catch (RuntimeException e) {
      out.close();
      throw e;
    }
  }

  /**
   * A page body (or the value section of a v2 page) in native memory, so that the decoders only
   * ever see native segments: compressed bodies are decompressed into a buffer {@code out} owns,
   * uncompressed heap bodies (pages read on their own) are copied into one, uncompressed native
   * bodies are used where they lie.
   */
  private static MemorySegment nativeBody(CompressionCodec codec, MemorySegment buf, long off, int len, int ulen, LeafData out,
      BufferAllocator allocator, String w) {
    if (codec == CompressionCodec.UNCOMPRESSED) {
      MemorySegment body = Codecs.decompress(codec, buf, off, len, ulen, w); // checks the sizes; a slice, no copy
      if (body.isNative()) {
        return body;
      }
      ArrowBuf b = AlignedBuffers.allocate(allocator, Math.max(1, len));
      out.own(b);
      MemorySegment copy = segment(b).asSlice(0, len);
      MemorySegment.copy(body, 0, copy, 0, len);
      return copy;
    }
    ArrowBuf b = Codecs.decompressNative(codec, buf, off, len, ulen, allocator, w);
    out.own(b);
    return segment(b).asSlice(0, ulen);
  }

  private static void checkEntries(int n, int uncompressed, int entries, String w) {
    // a real page spends at least one bit per 64 entries even with long RLE runs of nulls
    if (n < 0 || (long) n > 64L * Math.max(uncompressed, 0) + 4096 || (long) entries + n > Integer.MAX_VALUE - 16) {
      throw new FormatException(w + ": page declares " + n + " values for " + uncompressed + " bytes");
    }
  }

  private static int lengthPrefix(MemorySegment data, long pos, String w) {
    return lengthPrefix(data, pos, data.byteSize(), w);
  }

  private static int lengthPrefix(MemorySegment data, long pos, long end, String w) {
    if (pos + 4 > end) {
      throw new FormatException(w + ": page too short for its level data");
    }
    int len = data.get(INT, pos);
    if (len < 0 || pos + 4 + len > end) {
      throw new FormatException(w + ": level data length " + len + " runs past the page end");
    }
    return len;
  }

  /** Dictionary values at the Arrow width (fixed) or as offsets into the page (binary). */
  private record Dictionary(int size, byte[] fixed, short[] fixed16, MemorySegment bin, long[] off, int[] len) {}

  private static Dictionary readDictionary(Node leaf, CompressionCodec codec, RawPage p, Type physical, int aw, String w) {
    PageHeader h = p.header();
    if (h.getType() != PageType.DICTIONARY_PAGE) {
      throw new FormatException(w + ": expected a dictionary page, found " + h.getType());
    }
    int n = h.getDictionary_page_header().getNum_values();
    MemorySegment data = Codecs.decompress(codec, p.buf(), p.off(), h.getCompressed_page_size(), h.getUncompressed_page_size(), w);
    if (n < 0) {
      throw new FormatException(w + ": negative dictionary size");
    }
    if (aw == -2) {
      if (n > data.byteSize() / 4) {
        throw new FormatException(w + ": dictionary page holds " + data.byteSize() + " bytes, too few for " + n + " values");
      }
      long[] off = new long[n];
      int[] len = new int[n];
      long pos = 0;
      for (int i = 0; i < n; i++) {
        int l = lengthPrefix(data, pos, w);
        off[i] = pos + 4;
        len[i] = l;
        pos += 4 + l;
      }
      return new Dictionary(n, null, null, data, off, len);
    }
    int pw = physicalWidth(physical);
    if (pw < 0 || aw < 0) {
      throw new FormatException(w + ": dictionary encoding of " + physical + " is not supported");
    }
    if ((long) n * pw > data.byteSize()) {
      throw new FormatException(w + ": dictionary page holds " + data.byteSize() + " bytes, too few for " + n + " values");
    }
    byte[] fixed = new byte[n * aw];
    convert(data, 0, pw, MemorySegment.ofArray(fixed), 0, aw, n);
    short[] fixed16 = null;
    if (aw == 2 && n <= 65536) {
      // padded to the widest 16-bit index: the index decoder looks up before it checks
      fixed16 = new short[65536];
      MemorySegment.copy(fixed, 0, MemorySegment.ofArray(fixed16), ValueLayout.JAVA_BYTE, 0, fixed.length);
    }
    return new Dictionary(n, fixed, fixed16, null, null, null);
  }

  /** Converts n values from physical width pw to Arrow width aw (narrowing int32 to 8/16 bits). */
  static void convert(MemorySegment src, long srcPos, int pw, MemorySegment dst, long dstPos, int aw, int n) {
    if (pw == aw) {
      MemorySegment.copy(src, srcPos, dst, dstPos, (long) n * aw);
      return;
    }
    if (pw == 4 && aw == 2) {
      if (src.isNative() || !(src.heapBase().orElse(null) instanceof byte[] arr)) {
        for (int i = 0; i < n; i++) {
          dst.set(SHORT, dstPos + 2L * i, (short) src.get(INT, srcPos + 4L * i));
        }
      } else {
        // heap pages: plain array reads are cheaper than heap-segment accesses
        int base = (int) srcPos;
        for (int i = 0; i < n; i++) {
          dst.set(SHORT, dstPos + 2L * i, (short) (int) INT_LE.get(arr, base + 4 * i));
        }
      }
    } else if (pw == 4 && aw == 1) {
      for (int i = 0; i < n; i++) {
        dst.set(ValueLayout.JAVA_BYTE, dstPos + i, (byte) src.get(INT, srcPos + 4L * i));
      }
    } else {
      throw new FormatException("cannot convert " + pw + "-byte Parquet values to " + aw + "-byte Arrow values");
    }
  }

  private static void decodeValues(Decoded d, LeafData out, int vi, Type physical, int aw, Dictionary dict, String w) {
    int k = d.nonNull();
    if (k == 0) {
      return;
    }
    MemorySegment data = d.data();
    long pos = d.valuesPos();
    long end = d.valuesEnd();
    Encoding enc = d.encoding();
    if (enc == Encoding.PLAIN_DICTIONARY || enc == Encoding.RLE_DICTIONARY) {
      if (dict == null) {
        throw new FormatException(w + ": dictionary-encoded page without a dictionary page");
      }
      if (pos >= end) {
        throw new FormatException(w + ": dictionary page body is empty");
      }
      int bw = data.get(ValueLayout.JAVA_BYTE, pos) & 0xFF;
      if (aw == -2) {
        int[] idx = new int[k];
        Rle.decodeInts(data, pos + 1, end, bw, idx, k, w);
        int size = dict.size();
        for (int i = 0; i < k; i++) {
          if (idx[i] < 0 || idx[i] >= size) {
            throw new FormatException(w + ": dictionary index " + idx[i] + " out of range [0, " + size + ")");
          }
          out.binSeg[vi + i] = dict.bin();
          out.binOff[vi + i] = dict.off()[idx[i]];
          out.binLen[vi + i] = dict.len()[idx[i]];
        }
        return;
      }
      if (aw < 1) {
        throw new FormatException(w + ": dictionary encoding of this type is not supported");
      }
      // indices are decoded and looked up in one pass, straight into the Arrow buffer
      Rle.decodeDictionary(data, pos + 1, end, bw, k, MemorySegment.ofArray(dict.fixed()), dict.fixed16(), dict.size(), aw,
          segment(out.fixed),
          (long) vi * aw, w);
      return;
    }
    if (enc != Encoding.PLAIN) {
      throw new FormatException(w + ": value encoding " + enc + " is not supported (supported: PLAIN, PLAIN_DICTIONARY, RLE_DICTIONARY)");
    }
    if (aw == -2) {
      // values stay in the page memory: the assembler copies each once into the Arrow data buffer
      for (int i = 0; i < k; i++) {
        int l = lengthPrefix(data, pos, end, w);
        out.binSeg[vi + i] = data;
        out.binOff[vi + i] = pos + 4;
        out.binLen[vi + i] = l;
        pos += 4 + l;
      }
      return;
    }
    if (aw == -1) {
      if (pos + (k + 7) / 8 > end) {
        throw new FormatException(w + ": page holds fewer boolean values than its levels declare");
      }
      for (int i = 0; i < k; i++) {
        if ((data.get(ValueLayout.JAVA_BYTE, pos + (i >>> 3)) >>> (i & 7) & 1) != 0) {
          long bit = (long) vi + i;
          out.fixed.setByte(bit >>> 3, out.fixed.getByte(bit >>> 3) | (1 << (bit & 7)));
        }
      }
      return;
    }
    int pw = physicalWidth(physical);
    if (pos + (long) k * pw > end) {
      throw new FormatException(w + ": page holds " + (end - pos) + " value bytes, fewer than the " + (long) k * pw
          + " its levels declare");
    }
    convert(data, pos, pw, segment(out.fixed), (long) vi * aw, aw, k);
  }

  static MemorySegment segment(ArrowBuf b) {
    return MemorySegment.ofAddress(b.memoryAddress()).reinterpret(b.capacity());
  }
}
