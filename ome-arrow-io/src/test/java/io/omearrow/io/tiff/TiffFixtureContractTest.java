package io.omearrow.io.tiff;

import io.omearrow.source.ImageFormats;
import io.omearrow.source.ImageSource;
import io.omearrow.source.OpenOptions;
import io.omearrow.testing.ImageSourceContract;
import io.omearrow.testing.TestData;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.junit.jupiter.api.Nested;

/**
 * Runs core's {@link ImageSourceContract} over every TIFF fixture in testdata, opened through the
 * ImageFormats registry, against the manifest's (or tifffile's) plane checksums.
 */
class TiffFixtureContractTest {

  abstract static class Fixture extends ImageSourceContract {
    private final String relative;
    private final Expected expected;

    Fixture(String relative) {
      this.relative = relative;
      this.expected = Expected.of(relative);
    }

    @Override
    protected ImageSource open(BufferAllocator allocator) {
      return ImageFormats.open(TestData.path(relative).toString(), OpenOptions.defaults(), allocator);
    }

    @Override
    protected long[] expectedShape() {
      return expected.shape();
    }

    @Override
    protected String expectedDtype() {
      return expected.dtype();
    }

    @Override
    protected List<String> expectedPlaneSha256() {
      return expected.planeSha256();
    }

    @Override
    protected String expectedArraySha256() {
      return expected.sha256All();
    }
  }

  @Nested class TiledZlibPredictorU16 extends Fixture { TiledZlibPredictorU16() { super("generated/tiled_zlib_predictor_u16.ome.tif"); } }
  @Nested class StripsU8 extends Fixture { StripsU8() { super("generated/strips_u8.ome.tif"); } }
  @Nested class BigTiffF32 extends Fixture { BigTiffF32() { super("generated/bigtiff_f32.ome.tif"); } }
  @Nested class BigEndianI16 extends Fixture { BigEndianI16() { super("generated/bigendian_i16.ome.tif"); } }
  @Nested class LzmaU32 extends Fixture { LzmaU32() { super("generated/lzma_u32.ome.tif"); } }
  @Nested class F64Tiled extends Fixture { F64Tiled() { super("generated/f64_tiled.ome.tif"); } }
  @Nested class RgbContig extends Fixture { RgbContig() { super("generated/rgb_contig.tif"); } }
  @Nested class RgbPlanarU16 extends Fixture { RgbPlanarU16() { super("generated/rgb_planar_u16.tif"); } }
  @Nested class MultipageU16 extends Fixture { MultipageU16() { super("generated/multipage_u16.tif"); } }
  @Nested class SingleChannel extends Fixture { SingleChannel() { super("ome-artificial-5d-datasets/single-channel.ome.tiff"); } }
  @Nested class MultiChannel extends Fixture { MultiChannel() { super("ome-artificial-5d-datasets/multi-channel.ome.tiff"); } }
  @Nested class ZSeries extends Fixture { ZSeries() { super("ome-artificial-5d-datasets/z-series.ome.tiff"); } }
  @Nested class TimeSeries extends Fixture { TimeSeries() { super("ome-artificial-5d-datasets/time-series.ome.tif"); } }
  @Nested class MultiChannelZSeries extends Fixture { MultiChannelZSeries() { super("ome-artificial-5d-datasets/multi-channel-z-series.ome.tiff"); } }
  @Nested class MultiChannelTimeSeries extends Fixture { MultiChannelTimeSeries() { super("ome-artificial-5d-datasets/multi-channel-time-series.ome.tiff"); } }
  @Nested class FourDSeries extends Fixture { FourDSeries() { super("ome-artificial-5d-datasets/4D-series.ome.tiff"); } }
  @Nested class ExampleHuman0 extends Fixture { ExampleHuman0() { super("examplehuman/AS_09125_050116030001_D03f00d0.tif"); } }
  @Nested class ExampleHuman1 extends Fixture { ExampleHuman1() { super("examplehuman/AS_09125_050116030001_D03f00d1.tif"); } }
  @Nested class ExampleHuman2 extends Fixture { ExampleHuman2() { super("examplehuman/AS_09125_050116030001_D03f00d2.tif"); } }
}
