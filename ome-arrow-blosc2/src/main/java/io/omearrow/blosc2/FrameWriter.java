package io.omearrow.blosc2;

import io.omearrow.blosc2.internal.MsgPack;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes one contiguous frame to a file, streaming: the header (with its fixed metalayers) first,
 * then chunks as they are appended, and on {@link #close()} the offsets index and the trailer
 * with the vlmeta values; finally the header's sizes are patched. Memory held: one offset per
 * chunk plus the vlmeta values.
 *
 * <pre>{@code
 * try (FrameWriter w = FrameWriter.create(path, params, chunkBytes, Map.of("b2nd", meta.encode()))) {
 *   w.append(chunkData);              // compressed with params
 *   w.vlmeta("mlarray", msgpackDoc);  // stored in the trailer
 * }
 * }</pre>
 *
 * <p>Not thread-safe. The frame is only valid after {@code close()} returns.
 */
public final class FrameWriter implements AutoCloseable {
  private final Path path;
  private final FileChannel ch;
  private final CompressionParams params;
  private final int chunksize;
  private final long headerLen;
  private final List<Long> offsets = new ArrayList<>();
  private final Map<String, byte[]> vlmeta = new LinkedHashMap<>();
  private long cbytes;
  private long nbytes;
  private boolean closed;

  private FrameWriter(Path path, FileChannel ch, CompressionParams params, int chunksize, byte[] header) {
    this.path = path;
    this.ch = ch;
    this.params = params;
    this.chunksize = chunksize;
    this.headerLen = header.length;
  }

  /**
   * Creates (or truncates) {@code path} and writes the frame header.
   *
   * @param params how appended data is compressed; also recorded in the header, which
   *     python-blosc2 reuses for later writes
   * @param chunksize uncompressed bytes of every chunk (the last may be shorter), or 0 for
   *     variable-size chunks
   * @param metalayers fixed metalayers (at most 16, names of at most 31 bytes), e.g. {@code "b2nd"}
   */
  public static FrameWriter create(Path path, CompressionParams params, int chunksize, Map<String, byte[]> metalayers) {
    if (metalayers.size() > 16) {
      throw new IllegalArgumentException("at most 16 metalayers, got " + metalayers.size());
    }
    byte[] header = header(params, chunksize, metalayers);
    try {
      FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.READ);
      FrameWriter w = new FrameWriter(path, ch, params, chunksize, header);
      w.writeAt(0, header);
      return w;
    } catch (IOException e) {
      throw new Blosc2Exception(path + ": cannot create the frame file: " + e.getMessage(), e);
    }
  }

  private static byte[] header(CompressionParams p, int chunksize, Map<String, byte[]> metalayers) {
    ByteBuffer b = ByteBuffer.allocate(87).order(ByteOrder.BIG_ENDIAN);
    b.put((byte) 0x9E).put((byte) 0xA8).put(Frame.MAGIC);
    b.put((byte) 0xD2).putInt(0); // header_len, patched below
    b.put((byte) 0xCF).putLong(0); // frame_len, patched on close
    b.put((byte) 0xA4).put((byte) (chunksize == 0 ? 0x13 : 0x12)).put((byte) 0)
        .put((byte) ((p.clevel() << 4) | p.codec().id())).put((byte) (p.splitMode().value() - 1));
    b.put((byte) 0xD3).putLong(0); // nbytes
    b.put((byte) 0xD3).putLong(0); // cbytes
    b.put((byte) 0xD2).putInt(p.typesize());
    b.put((byte) 0xD2).putInt(p.blocksize());
    b.put((byte) 0xD2).putInt(chunksize);
    b.put((byte) 0xD1).putShort((short) p.nthreads());
    b.put((byte) 0xD1).putShort((short) p.nthreads());
    b.put((byte) 0xC3); // has vlmeta; python-blosc2 always writes true
    b.put((byte) 0xD8).put((byte) 6);
    for (Filter f : p.filters()) {
      b.put((byte) f.id());
    }
    b.put((byte) p.codec().id()).put((byte) 0);
    for (int m : p.filtersMeta()) {
      b.put((byte) m);
    }
    b.put((byte) 0).put((byte) 0);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(b.array());
    out.writeBytes(namedBins(metalayers, 87, true));
    byte[] all = out.toByteArray();
    ByteBuffer.wrap(all).order(ByteOrder.BIG_ENDIAN).putInt(11, all.length);
    return all;
  }

  /**
   * Encodes a metalayer section: {@code 93, CD idx, DE n, {name, D2 offset}..., DC n, {C6 len
   * bytes}...}. Offsets are positions relative to the origin the reader uses (frame start for the
   * header, trailer start for the trailer); {@code sectionStart} is the section's own position there.
   */
  private static byte[] namedBins(Map<String, byte[]> entries, long sectionStart, boolean idxCountsArray) {
    List<byte[]> names = new ArrayList<>();
    int entriesLen = 0;
    for (String k : entries.keySet()) {
      byte[] n = k.getBytes(StandardCharsets.UTF_8);
      if (n.length > 31) {
        throw new IllegalArgumentException("metalayer name '" + k + "' is longer than 31 bytes");
      }
      names.add(n);
      entriesLen += 1 + n.length + 5;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int idxSize = 3 + 3 + entriesLen + (idxCountsArray ? 1 : 0);
    out.write(0x93);
    out.write(0xCD);
    writeBe(out, idxSize, 2);
    out.write(0xDE);
    writeBe(out, entries.size(), 2);
    long valuePos = sectionStart + 1 + 3 + 3 + entriesLen + 3;
    int i = 0;
    for (byte[] v : entries.values()) {
      byte[] n = names.get(i++);
      out.write(0xA0 | n.length);
      out.writeBytes(n);
      out.write(0xD2);
      writeBe(out, valuePos, 4);
      valuePos += 5 + v.length;
    }
    out.write(0xDC);
    writeBe(out, entries.size(), 2);
    for (byte[] v : entries.values()) {
      out.write(0xC6);
      writeBe(out, v.length, 4);
      out.writeBytes(v);
    }
    return out.toByteArray();
  }

  private static void writeBe(ByteArrayOutputStream out, long v, int n) {
    for (int i = n - 1; i >= 0; i--) {
      out.write((int) (v >>> (8 * i)));
    }
  }

  private void writeAt(long pos, byte[] data) throws IOException {
    ByteBuffer bb = ByteBuffer.wrap(data);
    while (bb.hasRemaining()) {
      pos += ch.write(bb, pos);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException(path + ": frame writer is closed");
    }
  }

  /** Compresses {@code data} with this writer's parameters and appends it as the next chunk. */
  public void append(MemorySegment data) {
    byte[] c = Blosc2Codec.compress(data, params);
    if (c.length == ChunkHeader.EXTENDED_SIZE && (c[31] & 0x70) == 0x10) {
      appendSpecial(ChunkHeader.Special.ZEROS, data.byteSize());
    } else {
      appendCompressed(c);
    }
  }

  /** Appends an already compressed chunk (its header is validated). */
  public void appendCompressed(byte[] chunk) {
    checkOpen();
    ChunkHeader h = ChunkHeader.read(MemorySegment.ofArray(chunk), path + ": appended chunk " + offsets.size());
    if (h.cbytes() != chunk.length) {
      throw new IllegalArgumentException("appended chunk is " + chunk.length + " bytes but its header says "
          + h.cbytes());
    }
    checkSize(h.nbytes());
    try {
      writeAt(headerLen + cbytes, chunk);
    } catch (IOException e) {
      throw new Blosc2Exception(path + ": cannot write chunk " + offsets.size() + ": " + e.getMessage(), e);
    }
    offsets.add(cbytes);
    cbytes += chunk.length;
    nbytes += h.nbytes();
  }

  /** Appends a chunk that is stored only as a special offset (zeros, NaN or uninitialized). */
  public void appendSpecial(ChunkHeader.Special kind, long chunkNbytes) {
    checkOpen();
    int code = switch (kind) {
      case ZEROS -> 1;
      case NAN -> 2;
      case UNINIT -> 4;
      default -> throw new IllegalArgumentException(kind + " cannot be stored as a special offset");
    };
    if (chunksize == 0) {
      throw new IllegalArgumentException("special chunks need a fixed chunksize");
    }
    checkSize(chunkNbytes);
    offsets.add((long) (0x80 | code) << 56);
    nbytes += chunkNbytes;
  }

  private void checkSize(long n) {
    if (chunksize > 0 && n != chunksize) {
      throw new IllegalArgumentException("chunk " + offsets.size() + " holds " + n + " bytes; every chunk of this "
          + "frame must hold chunksize = " + chunksize + " bytes");
    }
  }

  /** Sets a variable-length metalayer; the value is compressed into the trailer on close. */
  public void vlmeta(String key, byte[] value) {
    checkOpen();
    if (key.getBytes(StandardCharsets.UTF_8).length > 31) {
      throw new IllegalArgumentException("vlmeta name '" + key + "' is longer than 31 bytes");
    }
    vlmeta.put(key, value.clone());
  }

  /** Number of chunks appended so far. */
  public int nchunks() {
    return offsets.size();
  }

  /** Writes the offsets index and trailer, patches the header and closes the file. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try (ch) {
      ByteBuffer idx = ByteBuffer.allocate(8 * offsets.size()).order(ByteOrder.LITTLE_ENDIAN);
      for (long o : offsets) {
        idx.putLong(o);
      }
      byte[] index = Blosc2Codec.compress(idx.array(),
          CompressionParams.of(Codec.LZ4, 5, 8).withSplitMode(SplitMode.NEVER));
      long pos = headerLen + cbytes;
      writeAt(pos, index);
      pos += index.length;
      Map<String, byte[]> values = new LinkedHashMap<>();
      CompressionParams vp = CompressionParams.of(Codec.ZSTD, 5, 1).withFilters().withSplitMode(SplitMode.NEVER);
      for (Map.Entry<String, byte[]> e : vlmeta.entrySet()) {
        values.put(e.getKey(), Blosc2Codec.compress(e.getValue(), vp));
      }
      ByteArrayOutputStream t = new ByteArrayOutputStream();
      t.write(0x94);
      t.write(0x01);
      t.writeBytes(namedBins(values, 2, false));
      int trailerLen = t.size() + 5 + 18;
      t.write(0xCE);
      writeBe(t, trailerLen, 4);
      t.write(0xD8);
      t.write(0);
      t.writeBytes(new byte[16]);
      writeAt(pos, t.toByteArray());
      long frameLen = pos + t.size();
      ByteBuffer patch = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN);
      writeAt(16, patch.putLong(0, frameLen).array().clone());
      writeAt(30, patch.putLong(0, nbytes).array().clone());
      writeAt(39, patch.putLong(0, cbytes).array().clone());
      ch.truncate(frameLen);
    } catch (IOException e) {
      throw new Blosc2Exception(path + ": cannot finish the frame: " + e.getMessage(), e);
    }
  }

  static byte[] msgpackBin(byte[] v) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MsgPack.writeBinHeader(out, v.length);
    out.writeBytes(v);
    return out.toByteArray();
  }
}
