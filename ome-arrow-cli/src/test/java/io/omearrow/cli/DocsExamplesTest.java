package io.omearrow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omearrow.testing.TestData;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block in README.md and docs/*.md is compiled and run: a block of
 * statements becomes the body of a {@code main} (with the imports below), a block that declares
 * a class is compiled as it is and its {@code main} run. Each runs in a fresh JVM whose working
 * directory is an empty temporary folder (so relative paths in examples are harmless), with the
 * test class path and the library's JVM flags, and must exit 0 within two minutes. Blocks meant
 * as fragments say so with {@code ```java fragment} and are only compiled.
 */
class DocsExamplesTest {
  static final String IMPORTS = """
      import io.omearrow.core.*;
      import io.omearrow.source.*;
      import io.omearrow.ipc.*;
      import io.omearrow.npy.*;
      import java.lang.foreign.*;
      import java.nio.file.*;
      import java.util.*;
      import org.apache.arrow.memory.*;
      """;
  static final List<String> OPTIONAL_PACKAGES = List.of("io.omearrow.tensor", "io.omearrow.dlpack", "io.omearrow.bridge",
      "io.omearrow.io.parquet", "io.omearrow.io.tiff", "io.omearrow.io.stack", "io.omearrow.io.mlarray", "io.omearrow.blosc2");
  static final Pattern BLOCK = Pattern.compile("```java( fragment)?\\n(.*?)```", Pattern.DOTALL);

  record Example(Path doc, int index, String code, boolean fragment) {
    String className() {
      return "Example_" + doc.getFileName().toString().replaceAll("[^A-Za-z0-9]", "_") + "_" + index;
    }
  }

  static List<Example> examples() throws IOException {
    Path root = TestData.repoRoot();
    List<Path> docs = new ArrayList<>();
    docs.add(root.resolve("README.md"));
    try (Stream<Path> s = Files.list(root.resolve("docs"))) {
      s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    List<Example> out = new ArrayList<>();
    for (Path d : docs) {
      Matcher m = BLOCK.matcher(Files.readString(d, StandardCharsets.UTF_8));
      int i = 0;
      while (m.find()) {
        out.add(new Example(d, i++, m.group(2), m.group(1) != null));
      }
    }
    return out;
  }

  static String imports() {
    StringBuilder sb = new StringBuilder(IMPORTS);
    for (String p : OPTIONAL_PACKAGES) {
      if (Package.getPackage(p) != null || DocsExamplesTest.class.getClassLoader().getDefinedPackage(p) != null || hasPackage(p)) {
        sb.append("import ").append(p).append(".*;\n");
      }
    }
    return sb.toString();
  }

  static boolean hasPackage(String p) {
    return DocsExamplesTest.class.getClassLoader().getResource(p.replace('.', '/')) != null;
  }

  static String source(Example e) {
    if (e.code().contains("class ") && e.code().contains("static void main")) {
      String body = e.code().replaceFirst("(public\\s+)?(final\\s+)?class\\s+\\w+", "final class " + e.className());
      return imports() + body;
    }
    return imports() + "public final class " + e.className() + " {\n  public static void main(String[] args) throws Exception {\n"
        + e.code() + "\n  }\n}\n";
  }

  @Test
  void theDocsHaveExamples() throws IOException {
    assertFalse(examples().isEmpty());
  }

  @TestFactory
  Stream<DynamicTest> everyExampleCompilesAndRuns(@TempDir Path tmp) throws IOException {
    return examples().stream().map(e -> DynamicTest.dynamicTest(e.doc().getFileName() + " example " + e.index(), () -> run(e, tmp)));
  }

  static void run(Example e, Path tmp) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(e.className()));
    Path src = dir.resolve(e.className() + ".java");
    Files.writeString(src, source(e));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    String cp = System.getProperty("java.class.path");
    java.io.ByteArrayOutputStream diag = new java.io.ByteArrayOutputStream();
    int rc = javac.run(null, diag, diag, "-proc:none", "-cp", cp, "-d", dir.toString(), src.toString());
    assertEquals(0, rc, e.doc().getFileName() + " example " + e.index() + " does not compile:\n" + diag + "\n" + source(e));
    if (e.fragment()) {
      return;
    }
    Path work = Files.createDirectories(dir.resolve("work"));
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+IgnoreUnrecognizedVMOptions", "--add-opens=java.base/java.nio=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow", "-cp", dir + File.pathSeparator + cp, e.className()));
    Path log = dir.resolve("out.txt");
    Process p = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean done = p.waitFor(2, TimeUnit.MINUTES);
    if (!done) {
      p.destroyForcibly();
    }
    String output = Files.readString(log);
    assertTrue(done, e.doc().getFileName() + " example " + e.index() + " did not finish:\n" + output);
    assertEquals(0, p.exitValue(), e.doc().getFileName() + " example " + e.index() + " failed:\n" + output + "\n" + source(e));
  }
}
