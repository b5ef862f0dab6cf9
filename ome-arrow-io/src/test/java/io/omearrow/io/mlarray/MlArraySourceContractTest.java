package io.omearrow.io.mlarray;

import io.omearrow.source.ImageSource;
import io.omearrow.testing.ImageSourceContract;
import io.omearrow.testing.TestData;
import org.apache.arrow.memory.BufferAllocator;

/** The ImageSource contract on a 4-D channel-first mlarray fixture (labels channel, z, y, x). */
class MlArraySourceContractTest extends ImageSourceContract {
  @Override
  protected ImageSource open(BufferAllocator allocator) {
    return MlArraySource.open(TestData.path("mlarray/mla_channel_first_i16_4d.mla"), null);
  }

  @Override
  protected long[] expectedShape() {
    return new long[] {1, 2, 24, 40, 36};
  }

  @Override
  protected String expectedDtype() {
    return "int16";
  }

  @Override
  protected String expectedArraySha256() {
    return "f5d7058cc6c41476df8cc68d78dbc018f041286cd22666d729c49ef39bc2affe";
  }
}
