package io.omearrow.tensor;

import io.omearrow.core.Channel;
import io.omearrow.core.ImageMetadata;
import io.omearrow.core.OmeImage;
import io.omearrow.core.OmeImageBuilder;
import io.omearrow.core.PhysicalSize;
import io.omearrow.core.PixelType;
import io.omearrow.core.PixelsMeta;
import io.omearrow.source.ImageSource;
import io.omearrow.source.SourceInfo;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;

/** Test images: the reference's conftest fixture and arange arrays. */
final class TestImages {
  private TestImages() {}

  /** The reference fixture's two planes, channel-major (E in reference §8). */
  static final short[] E = {
      0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23,
      100, 101, 102, 103, 110, 111, 112, 113, 120, 121, 122, 123};

  static ImageMetadata exampleMetadata() {
    PixelsMeta p = new PixelsMeta("XYCT", PixelType.UINT16, 4, 3, 1, 2, 1, PhysicalSize.um(0.65), PhysicalSize.um(0.65),
        PhysicalSize.um(1.0), List.of(new Channel("C0", "DNA", 0.46f, 0.40f, "Epifluorescence", 0x0000FFFF),
            new Channel("C1", "Mito", 0.59f, 0.54f, "Epifluorescence", 0xFF0000FF)));
    return new ImageMetadata("ome.arrow", "1.0.0", "img-0001", "Example image", "image", Instant.parse("2025-01-01T12:00:00Z"), p, null);
  }

  /** example_correct_data with planes and one full-plane list chunk per channel (chunk 1×3×4). */
  static OmeImage example(BufferAllocator a) {
    return OmeImageBuilder.of(exampleMetadata()).chunkShape(1, 3, 4).fromArray(E.clone(), a);
  }

  /** The fixture with chunk_grid null and no chunks (planes only). */
  static OmeImage examplePlanesOnly(BufferAllocator a) {
    return OmeImageBuilder.of(exampleMetadata()).buildChunks(false).fromArray(E.clone(), a);
  }

  /** The fixture with no planes: byte chunks only. */
  static OmeImage exampleChunksOnly(BufferAllocator a) {
    return OmeImageBuilder.of(exampleMetadata()).encoding("bytes").chunkShape(1, 3, 4).fromArray(E.clone(), a);
  }

  /** arange(T*C*Z*Y*X) as uint16 TCZYX (list encoding, planes + chunks of the given shape or none). */
  static OmeImage arange(BufferAllocator a, int t, int c, int z, int y, int x, int[] chunk) {
    short[] v = new short[t * c * z * y * x];
    for (int i = 0; i < v.length; i++) {
      v[i] = (short) i;
    }
    OmeImageBuilder b = OmeImageBuilder.of(PixelType.UINT16, t, c, z, y, x);
    if (chunk == null) {
      b.buildChunks(false);
    } else {
      b.chunkShape(chunk[0], chunk[1], chunk[2]);
    }
    return b.fromArray(v, a);
  }

  static OmeImage arange(BufferAllocator a, int t, int c, int z, int y, int x) {
    return arange(a, t, c, z, y, x, null);
  }

  /** All values of a tensor as unsigned 16-bit ints (tensor must be uint16). */
  static int[] u16(Tensor tensor) {
    MemorySegment s = tensor.segment();
    int[] out = new int[(int) tensor.elementCount()];
    for (int i = 0; i < out.length; i++) {
      out[i] = Short.toUnsignedInt(s.get(ValueLayout.JAVA_SHORT_UNALIGNED, 2L * i));
    }
    return out;
  }

  /** Values of arange TCZYX at the given index lists, in TZCYX (or any) order given by a function. */
  static int[] u16(MemorySegment s, int n) {
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = Short.toUnsignedInt(s.get(ValueLayout.JAVA_SHORT_UNALIGNED, 2L * i));
    }
    return out;
  }

  /** An ImageSource that forwards to another and records which planes were read. */
  static final class CountingSource implements ImageSource {
    final ImageSource delegate;
    final Set<String> planesRead = ConcurrentHashMap.newKeySet();
    final AtomicInteger reads = new AtomicInteger();
    final AtomicInteger metadataCalls = new AtomicInteger();

    CountingSource(ImageSource delegate) {
      this.delegate = delegate;
    }

    @Override
    public ImageMetadata metadata() {
      metadataCalls.incrementAndGet();
      return delegate.metadata();
    }

    @Override
    public SourceInfo info() {
      return delegate.info();
    }

    @Override
    public void readRegion(int t, int c, int z, int x, int y, int w, int h, MemorySegment dst) {
      reads.incrementAndGet();
      planesRead.add(t + "," + c + "," + z);
      delegate.readRegion(t, c, z, x, y, w, h, dst);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
