package io.omearrow.npy;

import io.omearrow.core.FormatException;
import io.omearrow.core.PixelType;
import io.omearrow.memory.AlignedBuffers;
import io.omearrow.source.AtomicOutput;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;

/**
 * NumPy {@code .npy} files, format versions 1.0, 2.0 and 3.0: reading any byte order and C or
 * Fortran order into a C-order little-endian {@link NpyArray}; writing version 1.0 (2.0 when the
 * header needs it), little-endian, C order, through a temporary file and a rename.
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private Npy() {}

  /** Header facts of a .npy file. */
  record Header(PixelType type, boolean bigEndian, boolean fortran, long[] shape, long dataOffset) {}

  /**
   * Reads a whole .npy file.
   *
   * @throws FormatException when the file is missing, not .npy, truncated, or its header lies
   */
  public static NpyArray read(Path path, BufferAllocator allocator) {
    if (!Files.isRegularFile(path)) {
      throw new FormatException("No such file: " + path);
    }
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ); Arena arena = Arena.ofConfined()) {
      long fileSize = ch.size();
      Header h = header(ch, fileSize, path);
      long n = 1;
      for (long s : h.shape) {
        n = Math.multiplyExact(n, s);
      }
      long bytes = Math.multiplyExact(n, (long) h.type.byteSize());
      if (fileSize - h.dataOffset != bytes) {
        throw new FormatException(path + ": .npy header declares shape " + java.util.Arrays.toString(h.shape) + " of " + h.type + " ("
            + bytes + " bytes) but the file holds " + (fileSize - h.dataOffset) + " data bytes");
      }
      ArrowBuf buf = AlignedBuffers.allocate(allocator, bytes);
      try {
        MemorySegment dst = MemorySegment.ofAddress(buf.memoryAddress()).reinterpret(bytes);
        if (bytes > 0) {
          MemorySegment src = ch.map(FileChannel.MapMode.READ_ONLY, h.dataOffset, bytes, arena);
          if (h.fortran && h.shape.length > 1) {
            fortranToC(src, dst, h.shape, h.type.byteSize());
          } else {
            MemorySegment.copy(src, 0, dst, 0, bytes);
          }
          if (h.bigEndian && h.type.byteSize() > 1) {
            swapInPlace(dst, h.type.byteSize());
          }
        }
        return new NpyArray(h.shape, h.type, buf);
      } catch (RuntimeException e) {
        buf.close();
        throw e;
      }
    } catch (ArithmeticException e) {
      throw new FormatException(path + ": .npy shape is too large", e);
    } catch (IOException e) {
      throw new FormatException("cannot read '" + path + "': " + e.getMessage(), e);
    }
  }

  static Header header(FileChannel ch, long fileSize, Path path) throws IOException {
    ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    ch.read(pre, 0);
    pre.flip();
    if (pre.remaining() < 10) {
      throw new FormatException(path + ": not a .npy file (too short)");
    }
    for (int i = 0; i < 6; i++) {
      if (pre.get(i) != MAGIC[i]) {
        throw new FormatException(path + ": not a .npy file (bad magic)");
      }
    }
    int major = pre.get(6);
    long headerLen;
    int preLen;
    if (major == 1) {
      headerLen = pre.getShort(8) & 0xFFFF;
      preLen = 10;
    } else if (major == 2 || major == 3) {
      if (pre.limit() < 12) {
        throw new FormatException(path + ": truncated .npy header");
      }
      headerLen = pre.getInt(8) & 0xFFFFFFFFL;
      preLen = 12;
    } else {
      throw new FormatException(path + ": unsupported .npy format version " + major);
    }
    if (preLen + headerLen > fileSize || headerLen > (1 << 24)) {
      throw new FormatException(path + ": .npy header length " + headerLen + " runs past the end of the file (" + fileSize + " bytes)");
    }
    ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
    ch.read(hb, preLen);
    String text = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    Matcher d = DESCR.matcher(text);
    Matcher f = FORTRAN.matcher(text);
    Matcher s = SHAPE.matcher(text);
    if (!d.find() || !f.find() || !s.find()) {
      throw new FormatException(path + ": malformed .npy header: " + text.strip());
    }
    String descr = d.group(1);
    boolean big = descr.startsWith(">");
    PixelType type;
    try {
      type = PixelType.fromName(descr.replaceFirst("^[<>|=]", "<").replace("<u1", "|u1").replace("<i1", "|i1"));
    } catch (FormatException e) {
      throw new FormatException(path + ": unsupported .npy dtype '" + descr + "'; supported: " + PixelType.names());
    }
    List<Long> dims = new ArrayList<>();
    for (String part : s.group(1).split(",")) {
      String p = part.strip();
      if (!p.isEmpty()) {
        long v;
        try {
          v = Long.parseLong(p.replace("L", ""));
        } catch (NumberFormatException e) {
          throw new FormatException(path + ": malformed .npy shape '" + s.group(1) + "'");
        }
        if (v < 0) {
          throw new FormatException(path + ": negative dimension in .npy shape '" + s.group(1) + "'");
        }
        dims.add(v);
      }
    }
    return new Header(type, big, f.group(1).equals("True"), dims.stream().mapToLong(Long::longValue).toArray(), preLen + headerLen);
  }

  private static void fortranToC(MemorySegment src, MemorySegment dst, long[] shape, int item) {
    int nd = shape.length;
    long[] fstride = new long[nd];
    long acc = 1;
    for (int i = 0; i < nd; i++) {
      fstride[i] = acc;
      acc *= shape[i];
    }
    long total = acc;
    long[] idx = new long[nd];
    for (long k = 0; k < total; k++) {
      long off = 0;
      for (int i = 0; i < nd; i++) {
        off += idx[i] * fstride[i];
      }
      MemorySegment.copy(src, off * item, dst, k * item, item);
      for (int i = nd - 1; i >= 0; i--) {
        if (++idx[i] < shape[i]) {
          break;
        }
        idx[i] = 0;
      }
    }
  }

  private static void swapInPlace(MemorySegment seg, int item) {
    long n = seg.byteSize() / item;
    switch (item) {
      case 2 -> {
        for (long i = 0; i < n; i++) {
          seg.set(ValueLayout.JAVA_SHORT_UNALIGNED, i * 2, Short.reverseBytes(seg.get(ValueLayout.JAVA_SHORT_UNALIGNED, i * 2)));
        }
      }
      case 4 -> {
        for (long i = 0; i < n; i++) {
          seg.set(ValueLayout.JAVA_INT_UNALIGNED, i * 4, Integer.reverseBytes(seg.get(ValueLayout.JAVA_INT_UNALIGNED, i * 4)));
        }
      }
      case 8 -> {
        for (long i = 0; i < n; i++) {
          seg.set(ValueLayout.JAVA_LONG_UNALIGNED, i * 8, Long.reverseBytes(seg.get(ValueLayout.JAVA_LONG_UNALIGNED, i * 8)));
        }
      }
      default -> throw new IllegalStateException("item size " + item);
    }
  }

  /** The header bytes (magic, version, length, dict, padding) for a C-order little-endian array. */
  static byte[] headerBytes(long[] shape, PixelType type) {
    StringBuilder sb = new StringBuilder();
    sb.append("{'descr': '").append(type.numpyDescr()).append("', 'fortran_order': False, 'shape': (");
    for (int i = 0; i < shape.length; i++) {
      sb.append(shape[i]);
      if (shape.length == 1 || i < shape.length - 1) {
        sb.append(i < shape.length - 1 ? ", " : ",");
      }
    }
    sb.append("), }");
    int major = 1;
    int pre = 10;
    int total = pre + sb.length() + 1;
    if (total + 64 > 65535) {
      major = 2;
      pre = 12;
      total = pre + sb.length() + 1;
    }
    int pad = (64 - total % 64) % 64;
    sb.append(" ".repeat(pad)).append('\n');
    byte[] dict = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer b = ByteBuffer.allocate(pre + dict.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).put((byte) major).put((byte) 0);
    if (major == 1) {
      b.putShort((short) dict.length);
    } else {
      b.putInt(dict.length);
    }
    b.put(dict);
    return b.array();
  }

  /**
   * Writes {@code data} (C order, little-endian, {@code shape} of {@code type}) as a .npy file,
   * atomically.
   */
  public static void write(Path path, long[] shape, PixelType type, MemorySegment data) {
    long n = 1;
    for (long s : shape) {
      if (s < 0) {
        throw new FormatException("cannot write '" + path + "': negative dimension in shape " + java.util.Arrays.toString(shape));
      }
      n *= s;
    }
    long bytes = n * type.byteSize();
    if (data.byteSize() < bytes) {
      throw new FormatException("cannot write '" + path + "': data holds " + data.byteSize() + " bytes, shape needs " + bytes);
    }
    byte[] header = headerBytes(shape, type);
    AtomicOutput.write(path, tmp -> {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer hb = ByteBuffer.wrap(header);
        while (hb.hasRemaining()) {
          ch.write(hb);
        }
        // Heap segments over short[]/float[]... cannot be viewed as ByteBuffers: stage those.
        byte[] stage = data.isNative() ? null : new byte[1 << 20];
        long off = 0;
        while (off < bytes) {
          int len = (int) Math.min(stage == null ? 1 << 30 : stage.length, bytes - off);
          ByteBuffer bb;
          if (stage == null) {
            bb = data.asSlice(off, len).asByteBuffer();
          } else {
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, off, stage, 0, len);
            bb = ByteBuffer.wrap(stage, 0, len);
          }
          while (bb.hasRemaining()) {
            ch.write(bb);
          }
          off += len;
        }
      }
    });
  }
}
