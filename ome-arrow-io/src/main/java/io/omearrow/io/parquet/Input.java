package io.omearrow.io.parquet;

import io.omearrow.core.FormatException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * Positional reads from a Parquet file: local paths through parquet's {@link LocalInputFile},
 * {@code scheme://} URIs (hdfs, s3a, file...) through Hadoop's FileSystem. Reads are serialised
 * on one stream, so one instance may be shared by threads.
 */
final class Input implements AutoCloseable {
  private final InputFile file;
  private final SeekableInputStream stream;
  private final long length;
  private final String name;

  private Input(InputFile file, String name) throws IOException {
    this.file = file;
    this.name = name;
    this.length = file.getLength();
    this.stream = file.newStream();
  }

  static Input open(InputFile file, String name) {
    try {
      return new Input(file, name);
    } catch (IOException e) {
      throw new FormatException("cannot read '" + name + "': " + e.getMessage(), e);
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

  @Override
  public void close() {
    try {
      stream.close();
    } catch (IOException ignored) {
      // read-only stream: nothing to flush
    }
  }
}
