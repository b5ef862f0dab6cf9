package io.omearrow.blosc2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omearrow.blosc2.internal.BitShuffle;
import io.omearrow.blosc2.internal.Shuffle;
import io.omearrow.testing.TestData;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkCodecTest {
  private static final String ARANGE_SHA = "02e21fa3c89fa7d7b61826918a8bd35d3127827b4ef3f3ee47ade5e64e3c2a80";

  private static byte[] arange() {
    ByteBuffer bb = ByteBuffer.allocate(4_000_000).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 1_000_000; i++) {
      bb.putInt(i);
    }
    return bb.array();
  }

  @ParameterizedTest
  @ValueSource(strings = {"blosc-blosclz-3.0.0.cdata", "blosc-lz4-3.0.0.cdata", "blosc-zstd-3.0.0.cdata"})
  void upstreamChunksDecodeToArange(String name) {
    byte[] chunk = Hashes.read(TestData.path("mlarray/upstream-c-blosc2/" + name));
    ChunkHeader h = Blosc2Codec.header(MemorySegment.ofArray(chunk));
    assertEquals(4_000_000, h.nbytes());
    assertEquals(ARANGE_SHA, Hashes.sha256(Blosc2Codec.decompress(chunk)));
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment dst = arena.allocate(4_000_000);
      assertEquals(4_000_000, Blosc2Codec.decompress(MemorySegment.ofArray(chunk), dst, 4));
      assertEquals(ARANGE_SHA, Hashes.sha256(dst));
    }
  }

  @Test
  void upstreamShuffleVectorsInvert() {
    byte[] shuffled = Hashes.read(TestData.path("mlarray/upstream-c-blosc2/shuffle-2.20.0.cdata.gz"));
    byte[] out = new byte[shuffled.length];
    Shuffle.unshuffle(4, shuffled, 0, out, 0, out.length);
    assertEquals(ARANGE_SHA, Hashes.sha256(out));
    byte[] again = new byte[out.length];
    Shuffle.shuffle(4, out, 0, again, 0, out.length);
    assertArrayEquals(shuffled, again);

    byte[] bits = Hashes.read(TestData.path("mlarray/upstream-c-blosc2/bitshuffle-2.20.0.cdata.gz"));
    BitShuffle.unshuffle(4, bits, 0, out, 0, out.length);
    assertEquals(ARANGE_SHA, Hashes.sha256(out));
    BitShuffle.shuffle(4, out, 0, again, 0, out.length);
    assertArrayEquals(bits, again);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 8, 12, 16})
  void shufflesInvertForOddLengths(int t) {
    Random r = new Random(t);
    for (int len : new int[] {0, 1, 7, 63, 64, 65, 1000, 4099}) {
      byte[] a = new byte[len];
      r.nextBytes(a);
      byte[] s = new byte[len];
      byte[] back = new byte[len];
      Shuffle.shuffle(t, a, 0, s, 0, len);
      Shuffle.unshuffle(t, s, 0, back, 0, len);
      assertArrayEquals(a, back, "shuffle t=" + t + " len=" + len);
      BitShuffle.shuffle(t, a, 0, s, 0, len);
      BitShuffle.unshuffle(t, s, 0, back, 0, len);
      assertArrayEquals(a, back, "bitshuffle t=" + t + " len=" + len);
    }
  }

  static Stream<Arguments> codecFilterMatrix() {
    List<Arguments> out = new ArrayList<>();
    Filter[][] pipelines = {
        {}, {Filter.SHUFFLE}, {Filter.BITSHUFFLE}, {Filter.DELTA, Filter.SHUFFLE}, {Filter.SHUFFLE, Filter.BYTEDELTA},
        {Filter.DELTA}, {Filter.DELTA, Filter.BITSHUFFLE}};
    for (Codec c : Codec.values()) {
      for (Filter[] p : pipelines) {
        for (SplitMode m : new SplitMode[] {SplitMode.AUTO, SplitMode.ALWAYS, SplitMode.NEVER}) {
          out.add(Arguments.of(c, p, m));
        }
      }
    }
    return out.stream();
  }

  /** Smooth int16-like data with noise: compressible but not trivially. */
  static byte[] sample(int n, int typesize, long seed) {
    Random r = new Random(seed);
    byte[] a = new byte[n];
    for (int i = 0; i + typesize <= n; i += typesize) {
      long v = 1000 + (long) (300 * Math.sin(i / 700.0)) + r.nextInt(8);
      for (int k = 0; k < typesize; k++) {
        a[i + k] = (byte) (v >>> (8 * k));
      }
    }
    return a;
  }

  @ParameterizedTest
  @MethodSource("codecFilterMatrix")
  void roundTripsEveryCodecAndFilter(Codec codec, Filter[] pipeline, SplitMode mode) {
    for (int typesize : new int[] {2, 4}) {
      byte[] data = sample(50_003 * typesize / 2, typesize, typesize);
      CompressionParams p = CompressionParams.of(codec, 5, typesize).withFilters(pipeline).withSplitMode(mode)
          .withBlocksize(8192);
      byte[] chunk = Blosc2Codec.compress(data, p);
      assertTrue(chunk.length < data.length, codec + " " + List.of(pipeline) + " should compress: " + chunk.length);
      assertArrayEquals(data, Blosc2Codec.decompress(chunk), codec + " " + List.of(pipeline) + " " + mode);
      byte[] mt = new byte[data.length];
      Blosc2Codec.decompress(MemorySegment.ofArray(chunk), MemorySegment.ofArray(mt), 3);
      assertArrayEquals(data, mt);
      byte[] part = new byte[10_000];
      Blosc2Codec.decompressRange(MemorySegment.ofArray(chunk), 12_345, part.length, MemorySegment.ofArray(part));
      assertArrayEquals(java.util.Arrays.copyOfRange(data, 12_345, 22_345), part);
    }
  }

  @Test
  void incompressibleAndTinyInputsAreMemcpyed() {
    byte[] noise = new byte[10_000];
    new Random(1).nextBytes(noise);
    byte[] c = Blosc2Codec.compress(noise, CompressionParams.mlarrayDefaults(1));
    assertTrue(Blosc2Codec.header(MemorySegment.ofArray(c)).memcpyed());
    assertEquals(noise.length + 32, c.length);
    assertArrayEquals(noise, Blosc2Codec.decompress(c));
    byte[] tiny = {1, 2, 3};
    assertArrayEquals(tiny, Blosc2Codec.decompress(Blosc2Codec.compress(tiny, CompressionParams.mlarrayDefaults(1))));
    byte[] empty = {};
    assertArrayEquals(empty, Blosc2Codec.decompress(Blosc2Codec.compress(empty, CompressionParams.mlarrayDefaults(1))));
  }

  @Test
  void zerosBecomeASpecialChunk() {
    byte[] zeros = new byte[100_000];
    byte[] c = Blosc2Codec.compress(zeros, CompressionParams.mlarrayDefaults(2));
    assertEquals(32, c.length);
    assertEquals(ChunkHeader.Special.ZEROS, Blosc2Codec.header(MemorySegment.ofArray(c)).special());
    assertArrayEquals(zeros, Blosc2Codec.decompress(c));
  }

  @Test
  void truncPrecZeroesLowMantissaBits() {
    ByteBuffer bb = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 1024; i++) {
      bb.putFloat((float) Math.PI * i);
    }
    CompressionParams p = CompressionParams.of(Codec.LZ4, 5, 4)
        .withFilters(List.of(Filter.NOSHUFFLE, Filter.NOSHUFFLE, Filter.NOSHUFFLE, Filter.NOSHUFFLE, Filter.TRUNC_PREC,
            Filter.SHUFFLE), List.of(0, 0, 0, 0, 10, 0));
    ByteBuffer back = ByteBuffer.wrap(Blosc2Codec.decompress(Blosc2Codec.compress(bb.array(), p)))
        .order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 1024; i++) {
      int bits = back.getInt(4 * i);
      assertEquals(0, bits & ((1 << 13) - 1), "13 low mantissa bits zeroed");
      assertEquals(Float.floatToIntBits((float) Math.PI * i) & ~((1 << 13) - 1), bits);
    }
  }

  @Test
  void lyingHeadersGiveClearErrors() {
    byte[] data = sample(40_000, 2, 3);
    byte[] chunk = Blosc2Codec.compress(data, CompressionParams.mlarrayDefaults(2).withBlocksize(4096));
    byte[] truncated = java.util.Arrays.copyOf(chunk, chunk.length - 10);
    Blosc2Exception e = assertThrows(Blosc2Exception.class, () -> Blosc2Codec.decompress(truncated));
    assertEquals("chunk: chunk declares " + chunk.length + " compressed bytes but only " + truncated.length
        + " are available (truncated file or corrupt header)", e.getMessage());

    byte[] bigger = chunk.clone();
    ByteBuffer.wrap(bigger).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 2_000_000_000);
    e = assertThrows(Blosc2Exception.class, () -> Blosc2Codec.decompress(bigger));
    assertEquals("chunk: block-start table of 488282 entries does not fit in the " + chunk.length + "-byte chunk "
        + "(corrupt header: nbytes 2000000000, blocksize 4096)", e.getMessage());

    // A genuine special chunk may declare a huge size in 32 bytes: the convenience call refuses to allocate.
    byte[] hugeZeros = Blosc2Codec.compress(new byte[64], CompressionParams.mlarrayDefaults(1));
    ByteBuffer.wrap(hugeZeros).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 2_000_000_000);
    e = assertThrows(Blosc2Exception.class, () -> Blosc2Codec.decompress(hugeZeros));
    assertEquals("chunk: declares 2000000000 uncompressed bytes, more than the allowed 1073741824; if the chunk "
        + "is genuine, decompress into a MemorySegment you allocate", e.getMessage());

    byte[] wrongSize = chunk.clone();
    ByteBuffer.wrap(wrongSize).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 40_002);
    e = assertThrows(Blosc2Exception.class, () -> Blosc2Codec.decompress(wrongSize));
    assertTrue(e.getMessage().contains("corrupt LZ4 data") || e.getMessage().contains("lies"), e.getMessage());

    byte[] badCodec = chunk.clone();
    badCodec[2] = (byte) ((badCodec[2] & 0x1F) | (6 << 5));
    e = assertThrows(Blosc2Exception.class, () -> Blosc2Codec.decompress(badCodec));
    assertEquals("chunk: unsupported compressor format code 6 in the chunk flags (supported: BloscLZ, LZ4/LZ4HC, "
        + "Zlib, Zstd; Snappy and plugin codecs are not)", e.getMessage());
  }
}
