package io.omearrow.bench;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.arrow.memory.BufferAllocator;

/**
 * What a benchmark run shares between cases: a work folder for generated files, the Arrow
 * allocator (owned by the harness, checked for leaks at the end), the run's size, and a cache of
 * generated inputs so two cases over the same file generate it once.
 */
public final class BenchContext {
  /** Makes a generated input at the given path. */
  @FunctionalInterface
  public interface Maker {
    void make(Path target) throws Exception;
  }

  private final Path workDir;
  private final BufferAllocator allocator;
  private final boolean quick;
  private final Map<String, Path> files = new ConcurrentHashMap<>();

  public BenchContext(Path workDir, BufferAllocator allocator, boolean quick) {
    this.workDir = workDir;
    this.allocator = allocator;
    this.quick = quick;
  }

  public Path workDir() {
    return workDir;
  }

  public BufferAllocator allocator() {
    return allocator;
  }

  /** True for {@code --quick} runs (fewer repetitions, same data sizes). */
  public boolean quick() {
    return quick;
  }

  /** The generated file named {@code name} under the work folder, made once by {@code maker}. */
  public Path file(String name, Maker maker) throws Exception {
    Path existing = files.get(name);
    if (existing != null) {
      return existing;
    }
    Path p = workDir.resolve(name);
    maker.make(p);
    files.put(name, p);
    return p;
  }
}
