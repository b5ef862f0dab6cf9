package io.omearrow.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the repository's {@code testdata/} folder, which holds every fixture the tests read
 * (copied from shared/fixtures with their provenance and licences, see testdata/README.md).
 */
public final class TestData {
  private TestData() {}

  /** The repository root: Surefire passes it as {@code omearrow.repo.root}; otherwise walk up. */
  public static Path repoRoot() {
    String prop = System.getProperty("omearrow.repo.root");
    if (prop != null && Files.isDirectory(Path.of(prop, "testdata"))) {
      return Path.of(prop).toAbsolutePath();
    }
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isDirectory(dir.resolve("testdata")) && Files.exists(dir.resolve("pom.xml"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("cannot find the repository's testdata/ folder from " + Path.of("").toAbsolutePath());
  }

  /** A file or folder under testdata/, which must exist. */
  public static Path path(String relative) {
    Path p = repoRoot().resolve("testdata").resolve(relative);
    if (!Files.exists(p)) {
      throw new IllegalStateException("missing test fixture " + p);
    }
    return p;
  }
}
