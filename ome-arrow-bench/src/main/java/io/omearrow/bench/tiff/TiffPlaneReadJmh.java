package io.omearrow.bench.tiff;

import io.omearrow.core.ImageMetadata;
import io.omearrow.core.PixelType;
import io.omearrow.core.PixelsMeta;
import io.omearrow.io.tiff.OmeTiffWriter;
import io.omearrow.io.tiff.TiffSource;
import io.omearrow.source.ImageSource;
import io.omearrow.source.OpenOptions;
import io.omearrow.source.SourceInfo;
import io.omearrow.source.WriteOptions;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: time to read one 2048 x 2048 uint16 plane (8 MiB) from a TIFF written by our writer, per
 * codec/layout, and a 256 x 256 region of it (one tile). Run with
 * {@code java -cp ... org.openjdk.jmh.Main TiffPlaneReadJmh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"--enable-native-access=ALL-UNNAMED"})
public class TiffPlaneReadJmh {
  @Param({"none-strips", "zlib-tiles", "zstd-tiles"})
  public String layout;

  private Path file;
  private TiffSource source;
  private Arena arena;
  private MemorySegment plane;
  private int z;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    file = Files.createTempFile("tiff-jmh-", ".ome.tif");
    String codec = layout.substring(0, layout.indexOf('-'));
    WriteOptions w = WriteOptions.defaults().withCompression(codec);
    if (layout.endsWith("tiles")) {
      w = w.withTileSize(new int[] {256, 256});
    }
    OmeTiffWriter.write(List.of(new Gradient(4)), file, w);
    source = TiffSource.open(file, OpenOptions.defaults());
    arena = Arena.ofConfined();
    plane = arena.allocate(source.pixels().planeBytes(), 64);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    source.close();
    arena.close();
    Files.deleteIfExists(file);
  }

  @Benchmark
  public MemorySegment plane() {
    z = (z + 1) & 3;
    source.readPlane(0, 0, z, plane);
    return plane;
  }

  @Benchmark
  public MemorySegment tile() {
    z = (z + 1) & 3;
    source.readRegion(0, 0, z, 512, 768, 256, 256, plane);
    return plane;
  }

  /** 2048 x 2048 uint16 planes of a gradient with low-bit noise. */
  private static final class Gradient implements ImageSource {
    private final ImageMetadata meta;

    Gradient(int planes) {
      meta = ImageMetadata.of(PixelsMeta.of(PixelType.UINT16, 1, 1, planes, 2048, 2048));
    }

    @Override
    public ImageMetadata metadata() {
      return meta;
    }

    @Override
    public SourceInfo info() {
      return SourceInfo.of(null, "synthetic");
    }

    @Override
    public void readRegion(int t, int c, int z, int x, int y, int w, int h, MemorySegment dst) {
      ValueLayout.OfShort le = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
      for (int r = 0; r < h; r++) {
        for (int k = 0; k < w; k++) {
          int v = (x + k) * 5 + (y + r) * 3 + z * 97 + (((x + k) * 31 ^ (y + r) * 17) & 15);
          dst.set(le, 2L * ((long) r * w + k), (short) v);
        }
      }
    }

    @Override
    public void close() {}
  }
}
