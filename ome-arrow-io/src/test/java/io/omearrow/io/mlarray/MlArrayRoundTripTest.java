package io.omearrow.io.mlarray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.omearrow.blosc2.Codec;
import io.omearrow.blosc2.CompressionParams;
import io.omearrow.blosc2.internal.MsgPack;
import io.omearrow.testing.Python;
import io.omearrow.testing.TestData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MlArrayRoundTripTest {
  @TempDir
  Path tmp;

  static byte[] ramp(long n, int itemsize) {
    ByteBuffer b = ByteBuffer.allocate((int) (n * itemsize)).order(ByteOrder.LITTLE_ENDIAN);
    for (long i = 0; i < n; i++) {
      switch (itemsize) {
        case 1 -> b.put((byte) (i * 7));
        case 2 -> b.putShort((short) (i % 5000 + (i / 300) % 17));
        case 4 -> b.putFloat((float) Math.sin(i / 50.0) * 100);
        default -> b.putDouble(i * 0.5);
      }
    }
    return b.array();
  }

  static MlArrayMeta richMeta() {
    Map<String, Object> source = new LinkedHashMap<>();
    source.put("Modality", "CT");
    source.put("ids", List.of(1L, 2L, 3L));
    source.put("nested", Map.of("k", 2.5));
    return MlArrayMeta.empty()
        .withSource(source)
        .withSpatial(new Spatial(List.of(2.5, 0.8, 0.8), List.of(-10.0, 5.0, 0.0),
            List.of(List.of(1.0, 0.0, 0.0), List.of(0.0, 1.0, 0.0), List.of(0.0, 0.0, 1.0)), null, null,
            List.of("spatial_z", "spatial_y", "spatial_x"), "LPS", List.of("mm", "mm", "mm")))
        .withStats(Stats.ofRange(-3.0, 99.5))
        .withBbox(new BBox(List.of(List.of(List.of(1.0, 2.0), List.of(3.0, 4.0), List.of(5.0, 6.0))), List.of(0.9),
            List.of("lesion")))
        .withIsSeg(false);
  }

  @Test
  void saveThenOpenGivesSamePixelsAndMetadata() {
    long[] shape = {20, 70, 90};
    byte[] data = ramp(20 * 70 * 90, 2);
    Path p = tmp.resolve("a.mla");
    MlArrayMeta meta = richMeta();
    MlArray.save(p, MemorySegment.ofArray(data), shape, "<u2", meta, SaveOptions.defaults());
    try (MlArray a = MlArray.open(p)) {
      assertArrayEquals(shape, a.shape());
      assertEquals("<u2", a.dtype());
      byte[] back = new byte[data.length];
      a.readAll(MemorySegment.ofArray(back));
      assertArrayEquals(data, back);
      assertEquals(meta.source(), a.meta().source());
      assertEquals(meta.spatial().withShape(List.of(20L, 70L, 90L)), a.meta().spatial());
      assertEquals(meta.stats(), a.meta().stats());
      assertEquals(meta.bbox(), a.meta().bbox());
      assertEquals(Boolean.FALSE, a.meta().isSeg());
      ChunkHeuristic.Geometry g = ChunkHeuristic.compute(shape, new int[] {192, 192, 192}, new boolean[] {true, true, true}, 2);
      assertArrayEquals(g.chunks(), a.chunks());
      assertArrayEquals(g.blocks(), a.blocks());
      assertEquals(List.of(192, 192, 192), a.meta().blosc2().patchSize());
      Path copy = tmp.resolve("copy.mla");
      a.save(copy);
      try (MlArray b = MlArray.load(copy)) {
        byte[] again = new byte[data.length];
        b.readAll(MemorySegment.ofArray(again));
        assertArrayEquals(data, again);
        assertEquals(a.meta(), b.meta());
      }
    }
  }

  @Test
  void createWritesRegionsAndLeavesTheRestUninitialized() {
    Path p = tmp.resolve("c.mla");
    long[] shape = {10, 300, 260};
    SaveOptions opt = SaveOptions.defaults().withChunksAndBlocks(new int[] {5, 128, 128}, new int[] {5, 32, 32});
    byte[] patch = ramp(2 * 50 * 40, 4);
    try (MlArrayWriter w = MlArray.create(p, shape, "<f4", MlArrayMeta.empty(), opt)) {
      w.write(new long[] {3, 100, 120}, new long[] {5, 150, 160}, MemorySegment.ofArray(patch));
      w.write(new long[] {3, 100, 120}, new long[] {5, 150, 160}, MemorySegment.ofArray(patch));
    }
    try (MlArray a = MlArray.open(p)) {
      int uninit = 0;
      for (int i = 0; i < a.array().frame().nchunks(); i++) {
        uninit += a.array().frame().chunkOffset(i) == 0x8400000000000000L ? 1 : 0;
      }
      assertEquals(2 * 3 * 3 - 4, uninit, "only the four chunks the region touches are stored");
      byte[] got = new byte[patch.length];
      a.readRegion(new long[] {3, 100, 120}, new long[] {5, 150, 160}, MemorySegment.ofArray(got));
      assertArrayEquals(patch, got);
      byte[] zeros = new byte[4 * 4];
      a.readRegion(new long[] {9, 299, 256}, new long[] {10, 300, 260}, MemorySegment.ofArray(zeros));
      assertArrayEquals(new byte[16], zeros);
      assertEquals(null, a.meta().blosc2().patchSize());
      assertEquals(List.of(5, 128, 128), a.meta().blosc2().chunkSize());
    }
  }

  @Test
  void pickleNamingAForeignClassIsRefusedWithoutRunningIt() throws IOException {
    // pickle protocol 2 of os.system('echo pwned') built by hand: PROTO, GLOBAL 'os\nsystem', args, REDUCE.
    ByteArrayOutputStream pk = new ByteArrayOutputStream();
    pk.writeBytes(new byte[] {(byte) 0x80, 2});
    pk.writeBytes("cos\nsystem\n".getBytes());
    pk.writeBytes(new byte[] {'X', 10, 0, 0, 0});
    pk.writeBytes("echo pwned".getBytes());
    pk.writeBytes(new byte[] {(byte) 0x85, 'R', '.'});
    MlArrayException e = assertThrows(MlArrayException.class, () -> Pickle.loads(pk.toByteArray(), "evil"));
    assertEquals("evil: the metadata pickle names os.system, which is not on the whitelist (mlarray.meta._FrozenList/"
        + "_FrozenDict, numpy.dtype, numpy scalar); refusing to load it. Nothing was executed. Re-save the file with "
        + "plain metadata values.", e.getMessage());

    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
      z.write(pk.toByteArray());
    }
    e = assertThrows(MlArrayException.class,
        () -> MlArrayMeta.decodeVlmeta(MsgPack.encode(gz.toByteArray()), 2, "x.mla"));
    assertTrue(e.getMessage().startsWith("x.mla: \"mlarray\" metadata: the metadata pickle names os.system"),
        e.getMessage());
  }

  @Test
  void badMetadataAndShapesGiveClearErrors() {
    MlArrayException e = assertThrows(MlArrayException.class,
        () -> MlArrayMeta.fromMapping(Map.of("spatial", Map.of("spacingg", List.of(1.0))), "m.mla"));
    assertEquals("m.mla: metadata field 'spatial' has unknown key 'spacingg' (mlarray accepts [spacing, origin, "
        + "direction, affine, shape, axis_labels, coord_system, axis_units, _num_spatial_axes, _num_non_spatial_axes])",
        e.getMessage());
    MlArrayMeta twoSpacings = MlArrayMeta.empty().withSpatial(Spatial.empty().withSpacing(List.of(1.0, 2.0)));
    e = assertThrows(MlArrayException.class, () -> MlArray.save(tmp.resolve("b.mla"),
        MemorySegment.ofArray(new byte[8]), new long[] {2, 2, 2}, "|u1", twoSpacings, SaveOptions.defaults()));
    assertEquals(tmp.resolve("b.mla") + ": metadata field 'spatial.spacing' has 2 entries, expected 3 (one per "
        + "spatial axis)", e.getMessage());
    e = assertThrows(MlArrayException.class, () -> MlArray.save(tmp.resolve("b.npy"),
        MemorySegment.ofArray(new byte[8]), new long[] {2, 2, 2}, "|u1", null, SaveOptions.defaults()));
    assertTrue(e.getMessage().endsWith("mlarray files must end in .mla (as Python's MLArray.save requires)"));
    e = assertThrows(MlArrayException.class, () -> MlArray.save(tmp.resolve("c.mla"),
        MemorySegment.ofArray(new byte[8]), new long[] {Long.MAX_VALUE / 2, 4}, "<f8", null,
        SaveOptions.defaults().withChunksAndBlocks(new int[] {64, 4}, new int[] {8, 4})));
    assertTrue(e.getMessage().contains("overflows a 64-bit size (absurd shape)"), e.getMessage());
    assertTrue(Files.notExists(tmp.resolve("c.mla")));
  }

  @Test
  void corruptFilesFailWithTheFileName() throws IOException {
    byte[] good = Files.readAllBytes(TestData.path("mlarray/mla_default_f32_3d.mla"));
    Path cut = tmp.resolve("cut.mla");
    Files.write(cut, java.util.Arrays.copyOf(good, good.length / 2));
    MlArrayException e = assertThrows(MlArrayException.class, () -> MlArray.open(cut));
    assertEquals(cut + ": header says the frame is " + good.length + " bytes but only " + good.length / 2
        + " are present (truncated file or corrupt header)", e.getMessage());
  }

  @Test
  void pythonBlosc2OpensOurFilesWithSamePixelsAndMetadata() throws IOException {
    Python.require("blosc2", "numpy");
    Path p = tmp.resolve("py.mla");
    long[] shape = {3, 40, 50};
    byte[] data = ramp(3 * 40 * 50, 4);
    Files.write(tmp.resolve("py.raw"), data);
    MlArrayMeta meta = richMeta().withSpatial(new Spatial(null, null, null, null, null,
        List.of("channel", "spatial_y", "spatial_x"), null, null));
    MlArray.save(p, MemorySegment.ofArray(data), shape, "<f4", meta,
        SaveOptions.defaults().withParams(CompressionParams.mlarrayDefaults(4).withCodec(Codec.LZ4HC)));
    String expected;
    try (MlArray a = MlArray.open(p)) {
      expected = new ObjectMapper().writeValueAsString(a.meta().toMapping(false));
    }
    Path json = tmp.resolve("expected.json");
    Files.writeString(json, expected);
    Python.Result r = Python.run("""
        import sys, json, gzip, pickle, blosc2, numpy as np
        a = blosc2.open(sys.argv[1])
        raw = np.frombuffer(open(sys.argv[2], 'rb').read(), dtype='<f4').reshape(3, 40, 50)
        assert a.shape == (3, 40, 50) and a.dtype == np.dtype('<f4'), (a.shape, a.dtype)
        assert np.array_equal(a[...], raw)
        assert np.array_equal(a[1, 5:20, 7:33], raw[1, 5:20, 7:33])
        meta = pickle.loads(gzip.decompress(a.schunk.vlmeta['mlarray']))
        want = json.load(open(sys.argv[3]))
        assert meta == want, (meta, want)
        assert list(a.chunks) == meta['blosc2']['chunk_size'] and list(a.blocks) == meta['blosc2']['block_size']
        assert a.schunk.cparams.codec == blosc2.Codec.LZ4HC and a.schunk.cparams.clevel == 8
        print('ok', a.chunks, a.blocks)
        """, p.toString(), tmp.resolve("py.raw").toString(), json.toString()).check();
    assertTrue(r.stdout().startsWith("ok (3, 40, 50)"), r.stdout());
  }
}
