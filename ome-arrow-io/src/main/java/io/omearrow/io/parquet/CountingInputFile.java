package io.omearrow.io.parquet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * An {@link InputFile} that counts the bytes and read calls made through it: how the pushdown
 * tests prove that opening one row or one region reads only the pages it needs, and a cheap
 * diagnostic for users. Holds no resources of its own; streams it opens are closed by their user.
 */
public final class CountingInputFile implements InputFile {
  private final InputFile delegate;
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong reads = new AtomicLong();

  public CountingInputFile(InputFile delegate) {
    this.delegate = delegate;
  }

  /** Bytes read so far through every stream of this file. */
  public long bytesRead() {
    return bytes.get();
  }

  /** Read calls so far. */
  public long readCalls() {
    return reads.get();
  }

  /** Sets both counters back to zero. */
  public void reset() {
    bytes.set(0);
    reads.set(0);
  }

  @Override
  public long getLength() throws IOException {
    return delegate.getLength();
  }

  @Override
  public SeekableInputStream newStream() throws IOException {
    SeekableInputStream in = delegate.newStream();
    return new DelegatingSeekableInputStream(in) {
      @Override
      public long getPos() throws IOException {
        return in.getPos();
      }

      @Override
      public void seek(long newPos) throws IOException {
        in.seek(newPos);
      }

      @Override
      public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
          bytes.incrementAndGet();
        }
        reads.incrementAndGet();
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
          bytes.addAndGet(n);
        }
        reads.incrementAndGet();
        return n;
      }

      @Override
      public void readFully(byte[] b, int off, int len) throws IOException {
        in.readFully(b, off, len);
        bytes.addAndGet(len);
        reads.incrementAndGet();
      }

      @Override
      public void readFully(byte[] b) throws IOException {
        readFully(b, 0, b.length);
      }

      @Override
      public int read(ByteBuffer buf) throws IOException {
        int n = in.read(buf);
        if (n > 0) {
          bytes.addAndGet(n);
        }
        reads.incrementAndGet();
        return n;
      }

      @Override
      public void readFully(ByteBuffer buf) throws IOException {
        int n = buf.remaining();
        in.readFully(buf);
        bytes.addAndGet(n);
        reads.incrementAndGet();
      }
    };
  }
}
