package io.omearrow.io.stack;

import io.omearrow.source.ImageFormat;
import io.omearrow.source.ImageSource;
import io.omearrow.source.OpenOptions;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The stack-pattern provider: any location holding {@code <}, {@code >} or {@code *} is a
 * multi-file pattern ({@link StackPattern}) opened as one {@link StackSource}, with the
 * reference's defaults (unknown placeholders are C, series are T). It does not write.
 */
public final class StackPatternFormat implements ImageFormat {
  @Override
  public String name() {
    return "stack";
  }

  @Override
  public boolean canOpen(String location) {
    return StackPattern.isPattern(location);
  }

  /** Opens the pattern; the files' own sources take their buffers from {@code allocator} and close them after each read. */
  @Override
  public ImageSource open(String location, OpenOptions options, BufferAllocator allocator) {
    return StackSource.open(location, options, allocator);
  }
}
