package io.omearrow.source;

import io.omearrow.core.FormatException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file or directory under a temporary name in the target's folder and renames it into
 * place only when the writer succeeded, so a failed or interrupted write never leaves a partial
 * output (or a damaged previous version) behind.
 */
public final class AtomicOutput {
  /** Writes the output at the temporary path it is given. */
  @FunctionalInterface
  public interface Writer {
    void write(Path temporary) throws IOException;
  }

  private AtomicOutput() {}

  /** Runs {@code writer} on a temporary sibling of {@code target}, then renames it to {@code target}. */
  public static void write(Path target, Writer writer) {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir != null && !Files.isDirectory(dir)) {
      throw new FormatException("cannot write '" + target + "': folder " + dir + " does not exist");
    }
    Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    try {
      writer.write(tmp);
      if (Files.isDirectory(abs) && Files.isDirectory(tmp)) {
        deleteTree(abs);
      }
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw new FormatException("cannot write '" + target + "': " + e, e);
    } catch (RuntimeException | Error e) {
      deleteQuietly(tmp);
      throw e;
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      deleteTree(p);
    } catch (IOException ignored) {
      // best effort: the temporary name starts with a dot and says what it is
    }
  }

  /** Deletes a file or a directory tree if it exists. */
  public static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      try (var s = Files.list(p)) {
        for (Path c : s.toList()) {
          deleteTree(c);
        }
      }
    }
    Files.deleteIfExists(p);
  }
}
