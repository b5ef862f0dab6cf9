package io.omearrow.io.mlarray;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.omearrow.testing.LeakCheckedAllocator;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Pixels move between Arrow buffers and .mla files through MemorySegment views, no heap copy of the image. */
@ExtendWith(LeakCheckedAllocator.class)
class ArrowBridgeTest {
  @TempDir
  Path tmp;

  static MemorySegment view(ArrowBuf b) {
    return MemorySegment.ofAddress(b.memoryAddress()).reinterpret(b.capacity());
  }

  @Test
  void arrowBufferToMlaAndBack(BufferAllocator alloc) {
    long[] shape = {7, 300, 200};
    long bytes = 7L * 300 * 200 * 4;
    Path p = tmp.resolve("arrow.mla");
    try (ArrowBuf src = alloc.buffer(bytes); ArrowBuf dst = alloc.buffer(bytes)) {
      for (long i = 0; i < bytes / 4; i++) {
        src.setFloat(i * 4, (float) (i % 1000) / 7f);
      }
      MlArray.save(p, view(src), shape, "<f4", MlArrayMeta.empty(), SaveOptions.defaults().withNthreads(2));
      try (MlArray a = MlArray.open(p)) {
        a.readRegion(new long[3], shape, view(dst), 2);
      }
      assertEquals(-1, view(src).asSlice(0, bytes).mismatch(view(dst).asSlice(0, bytes)));
    }
  }
}
