package io.omearrow.io.parquet;

import io.omearrow.core.FormatException;
import io.omearrow.memory.AlignedBuffers;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * Positional reads from a Parquet file: local paths through a {@link FileChannel} (positional,
 * lock-free reads; parquet's {@link LocalInputFile} goes through RandomAccessFile, which mallocs a
 * temporary native buffer for every multi-megabyte read), any parquet {@link InputFile} (Hadoop
 * URIs, counting wrappers) through one serialised stream. One instance may be shared by threads.
 */
final class Input implements AutoCloseable {
  private final InputFile file;
  private final SeekableInputStream stream;
  private final FileChannel channel;
  private final long length;
  private final String name;

  private Input(InputFile file, String name) throws IOException {
    this.file = file;
    this.name = name;
    this.length = file.getLength();
    this.stream = file.newStream();
    this.channel = null;
  }

  private Input(Path path, String name) throws IOException {
    this.file = new LocalInputFile(path);
    this.name = name;
    this.channel = FileChannel.open(path, StandardOpenOption.READ);
    this.length = channel.size();
    this.stream = null;
  }

  static Input open(InputFile file, String name) {
    try {
      return new Input(file, name);
    } catch (IOException e) {
      throw new FormatException("cannot read '" + name + "': " + e.getMessage(), e);
    }
  }

  /** Opens a local path or a Hadoop URI. */
  static Input open(String location) {
    if (Locations.isUri(location)) {
      return open(inputFile(location), location);
    }
    Path p = Path.of(location);
    if (!Files.isRegularFile(p)) {
      throw new FormatException("No such file: " + location);
    }
    try {
      return new Input(p, location);
    } catch (IOException e) {
      throw new FormatException("cannot read '" + location + "': " + e.getMessage(), e);
    }
  }

  /** The InputFile for a location: a local path, or a URI with a scheme through Hadoop. */
  static InputFile inputFile(String location) {
    if (Locations.isUri(location)) {
      try {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(URI.create(location));
        org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
        if (!p.getFileSystem(conf).exists(p)) {
          throw new FormatException("No such file: " + location);
        }
        return org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(p, conf);
      } catch (IOException | IllegalArgumentException e) {
        throw new FormatException("cannot open '" + location + "' through Hadoop's FileSystem: " + e.getMessage(), e);
      }
    }
    Path p = Path.of(location);
    if (!Files.isRegularFile(p)) {
      throw new FormatException("No such file: " + location);
    }
    return new LocalInputFile(p);
  }

  InputFile file() {
    return file;
  }

  long length() {
    return length;
  }

  String name() {
    return name;
  }

  /** Reads exactly {@code len} bytes at {@code pos}. */
  byte[] read(long pos, int len) {
    if (pos < 0 || len < 0 || pos + len > length) {
      throw new FormatException(name + ": read of " + len + " bytes at " + pos + " runs past the end of the " + length + "-byte file");
    }
    byte[] b = new byte[len];
    if (channel != null) {
      ByteBuffer bb = ByteBuffer.wrap(b);
      try {
        while (bb.hasRemaining()) {
          if (channel.read(bb, pos + bb.position()) < 0) {
            throw new FormatException(name + ": file ends before " + (pos + len) + " (it shrank while open?)");
          }
        }
      } catch (IOException e) {
        throw new FormatException(name + ": read of " + len + " bytes at " + pos + " failed: " + e.getMessage(), e);
      }
      return b;
    }
    synchronized (this) {
      try {
        stream.seek(pos);
        stream.readFully(b, 0, len);
      } catch (IOException e) {
        throw new FormatException(name + ": read of " + len + " bytes at " + pos + " failed: " + e.getMessage(), e);
      }
    }
    return b;
  }

  /**
   * Maps {@code len} bytes at {@code pos} of a local file read-only into {@code arena} (no copy,
   * no fresh memory to fault in: the pages are the page cache's), or returns null when the input
   * is not a local file. The mapping lives until the arena closes.
   */
  @SuppressWarnings("restricted") // reinterpret of the mapping's own address and length
  MemorySegment map(long pos, long len, Arena arena) {
    if (channel == null) {
      return null;
    }
    if (pos < 0 || len < 0 || pos + len > length) {
      throw new FormatException(name + ": read of " + len + " bytes at " + pos + " runs past the end of the " + length + "-byte file");
    }
    try {
      MemorySegment mapped = channel.map(FileChannel.MapMode.READ_ONLY, pos, len, arena);
      // The same memory as a plain native segment (still scoped to the arena): the decoders then
      // see one segment class whether a chunk was mapped or read into Arrow memory. Mixing the
      // two made C2 compile the page decoders bimorphic, and a lazy ROI after eager reads in one
      // JVM took 3x longer to decode.
      return MemorySegment.ofAddress(mapped.address()).reinterpret(len, arena, null);
    } catch (IOException | UnsupportedOperationException e) {
      return null; // a file system without mmap: the caller reads instead
    }
  }

  /**
   * Reads exactly {@code len} bytes at {@code pos} straight into a new Arrow buffer (native memory,
   * no heap copy, 64-byte aligned, huge pages from 4 MiB on) owned by the caller.
   */
  ArrowBuf readNative(long pos, long len, BufferAllocator allocator) {
    if (pos < 0 || len < 0 || pos + len > length) {
      throw new FormatException(name + ": read of " + len + " bytes at " + pos + " runs past the end of the " + length + "-byte file");
    }
    ArrowBuf buf = AlignedBuffers.allocate(allocator, Math.max(len, 1)); // filled below: no zeroing
    try {
      ByteBuffer bb = buf.nioBuffer(0, (int) len);
      if (channel != null) {
        while (bb.hasRemaining()) {
          if (channel.read(bb, pos + bb.position()) < 0) {
            throw new FormatException(name + ": file ends before " + (pos + len) + " (it shrank while open?)");
          }
        }
      } else {
        synchronized (this) {
          stream.seek(pos);
          stream.readFully(bb);
        }
      }
      return buf;
    } catch (IOException e) {
      buf.close();
      throw new FormatException(name + ": read of " + len + " bytes at " + pos + " failed: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      buf.close();
      throw e;
    }
  }

  @Override
  public void close() {
    try {
      if (channel != null) {
        channel.close();
        return;
      }
      stream.close();
    } catch (IOException ignored) {
      // read-only stream: nothing to flush
    }
  }
}
