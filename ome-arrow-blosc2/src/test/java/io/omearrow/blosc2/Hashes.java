package io.omearrow.blosc2;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

/** Test helpers: SHA-256 and fixture loading. */
final class Hashes {
  private Hashes() {}

  static String sha256(byte[] data) {
    return sha256(MemorySegment.ofArray(data));
  }

  static String sha256(MemorySegment seg) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (long pos = 0; pos < seg.byteSize(); pos += buf.length) {
        int n = (int) Math.min(buf.length, seg.byteSize() - pos);
        MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, pos, buf, 0, n);
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] read(Path p) {
    try {
      if (p.toString().endsWith(".gz")) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
          return in.readAllBytes();
        }
      }
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
