package io.omearrow.io.mlarray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omearrow.core.PhysicalSize;
import io.omearrow.core.PixelsMeta;
import io.omearrow.source.ImageFormats;
import io.omearrow.source.ImageSource;
import io.omearrow.source.OpenOptions;
import io.omearrow.source.WriteOptions;
import io.omearrow.testing.LeakCheckedAllocator;
import io.omearrow.testing.Python;
import io.omearrow.testing.TestData;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(LeakCheckedAllocator.class)
class MlArrayFormatTest {
  @TempDir
  Path tmp;

  @Test
  void mlaOpensThroughTheServiceLoaderWithAxesAndSpacing(BufferAllocator alloc) {
    String loc = TestData.path("mlarray/mla_default_f32_3d.mla").toString();
    assertInstanceOf(MlArrayFormat.class, ImageFormats.forReading(loc));
    try (ImageSource s = ImageFormats.open(loc, OpenOptions.defaults(), alloc)) {
      PixelsMeta p = s.pixels();
      assertEquals(List.of(1, 1, 40, 56, 48), List.of(p.sizeT(), p.sizeC(), p.sizeZ(), p.sizeY(), p.sizeX()));
      assertEquals(new PhysicalSize(2.5, "mm"), p.physicalSizeZ());
      assertEquals(new PhysicalSize(0.8, "mm"), p.physicalSizeX());
      assertEquals("mlarray", s.info().encoding());
    }
    try (ImageSource s = ImageFormats.open(TestData.path("mlarray/mla_channel_first_i16_4d.mla").toString(),
        OpenOptions.defaults(), alloc)) {
      // affine diag(1, 1, 1): spacing 1 from its column norms
      assertEquals(new PhysicalSize(1.0, "mm"), s.pixels().physicalSizeY());
      assertEquals(2, s.pixels().sizeC());
    }
  }

  @Test
  void writesAnImageThatReadsBackPlaneForPlane(BufferAllocator alloc) {
    Path out = tmp.resolve("w.mla");
    try (ImageSource in = MlArraySource.open(TestData.path("mlarray/mla_channel_first_i16_4d.mla"), null)) {
      List<String> warnings = ImageFormats.write(List.of(in), out.toString(), WriteOptions.defaults(), alloc);
      assertTrue(warnings.isEmpty(), warnings.toString());
      try (ImageSource back = ImageFormats.open(out.toString(), OpenOptions.defaults(), alloc);
          Arena arena = Arena.ofConfined()) {
        PixelsMeta p = in.pixels();
        assertEquals(p.shape().length, back.pixels().shape().length);
        assertEquals(java.util.Arrays.toString(p.shape()), java.util.Arrays.toString(back.pixels().shape()));
        MemorySegment a = arena.allocate(p.planeBytes());
        MemorySegment b = arena.allocate(p.planeBytes());
        for (int c = 0; c < p.sizeC(); c++) {
          for (int z = 0; z < p.sizeZ(); z++) {
            in.readPlane(0, c, z, a);
            back.readPlane(0, c, z, b);
            assertEquals(-1, a.mismatch(b), "plane c=" + c + " z=" + z);
          }
        }
        MlArray mla = ((MlArraySource) back).mlArray();
        assertEquals(List.of("channel", "spatial_z", "spatial_y", "spatial_x"), mla.meta().spatial().axisLabels());
        assertEquals(List.of(192, 192, 192), mla.meta().blosc2().patchSize());
      }
    }
  }

  @Test
  void pythonReadsTheWrittenImage(BufferAllocator alloc) {
    Python.require("blosc2", "numpy");
    Path out = tmp.resolve("p.mla");
    try (ImageSource in = MlArraySource.open(TestData.path("mlarray/mla_default_f32_3d.mla"), null)) {
      ImageFormats.write(List.of(in), out.toString(), WriteOptions.defaults(), alloc);
    }
    Python.Result r = Python.run("""
        import sys, gzip, pickle, hashlib, blosc2, numpy as np
        a = blosc2.open(sys.argv[1])
        m = pickle.loads(gzip.decompress(a.schunk.vlmeta['mlarray']))
        print(a.shape, a.dtype, hashlib.sha256(np.ascontiguousarray(a[...]).tobytes()).hexdigest(),
              m['spatial']['spacing'], m['spatial']['axis_labels'])
        """, out.toString()).check();
    assertEquals("(40, 56, 48) float32 8fd3a8b28a411618571f002ae2e114ea37d27d3049dbb248bb5feb940bd5f2f4 "
        + "[2.5, 0.8, 0.8] ['spatial_z', 'spatial_y', 'spatial_x']", r.stdout().strip());
  }
}
