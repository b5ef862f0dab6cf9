package io.omearrow.core;

import io.omearrow.testing.ImageSourceContract;
import io.omearrow.source.ImageSource;
import java.lang.foreign.MemorySegment;
import org.apache.arrow.memory.BufferAllocator;
import org.junit.jupiter.api.Nested;

/** OmeImage passes the ImageSource contract in each encoding. */
class OmeImageContractTest {
  static OmeImage build(String encoding, ChunkCompression cc, BufferAllocator a) {
    byte[] data = RoundTripTest.image(PixelType.UINT16, 2 * 2 * 3 * 45 * 61, 7);
    return OmeImageBuilder.of(PixelType.UINT16, 2, 2, 3, 45, 61).encoding(encoding).chunkShape(2, 16, 16).chunkCompression(cc)
        .fromSegment(MemorySegment.ofArray(data), a);
  }

  abstract static class Base extends ImageSourceContract {
    @Override
    protected long[] expectedShape() {
      return new long[] {2, 2, 3, 45, 61};
    }

    @Override
    protected String expectedDtype() {
      return "uint16";
    }
  }

  @Nested
  class ListChunks extends Base {
    @Override
    protected ImageSource open(BufferAllocator a) {
      return build("list", ChunkCompression.NONE, a);
    }
  }

  @Nested
  class ZstdBytes extends Base {
    @Override
    protected ImageSource open(BufferAllocator a) {
      return build("bytes", ChunkCompression.ZSTD, a);
    }
  }
}
