package io.omearrow.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omearrow.ipc.ArrowIpc;
import io.omearrow.ipc.OmeTable;
import io.omearrow.testing.LeakCheckedAllocator;
import io.omearrow.testing.Python;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Files written by pyarrow in every layout the Python package has used read correctly here, and
 * files written here carry exactly the reference's struct types when pyarrow reads them.
 */
@ExtendWith(LeakCheckedAllocator.class)
class PyArrowInteropTest {
  static final String WRITE = """
      import sys; sys.path.insert(0, sys.argv[1])
      import pyarrow as pa, reference_structs as r
      variant, out, comp = sys.argv[2], sys.argv[3], (sys.argv[4] if sys.argv[4] != "none" else None)
      kw = {"compression": comp} if variant == "v2-bytes" else {}
      t = r.table(variant, r.sample_array(), **kw)
      with pa.ipc.new_file(out, t.schema) as w:
          w.write_table(t)
      """;

  /** The array reference_structs.sample_array() makes, recomputed here. */
  static short[] sample(int n, int seed) {
    short[] a = new short[n];
    for (int i = 0; i < n; i++) {
      a[i] = (short) (((long) i * 7919 + seed) % 65521);
    }
    return a;
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"v0, none, V0", "v2-list, none, V2_LIST", "v2-bytes-old, none, V2_BYTES_UNCOMPRESSED", "v2-bytes, none, V2_BYTES",
      "v2-bytes, zstd, V2_BYTES", "v2-bytes, lz4, V2_BYTES"})
  void readsEveryReferenceLayout(String variant, String comp, SchemaVariant expected, BufferAllocator allocator, @TempDir Path dir) {
    Python.require("pyarrow", "numpy", "imagecodecs");
    Path file = dir.resolve("ref.arrow");
    Python.run(WRITE, Python.referenceModuleDir().toString(), variant, file.toString(), comp).check();
    try (OmeTable table = ArrowIpc.read(file, allocator); OmeImage img = table.image(null, 0); Arena arena = Arena.ofConfined()) {
      assertEquals(expected, img.variant());
      PixelsMeta p = img.pixels();
      assertArrayEquals(new long[] {2, 2, 3, 20, 30}, p.shape());
      assertEquals(PixelType.UINT16, p.pixelType());
      assertEquals("ref", img.metadata().id());
      assertEquals(0.5, p.physicalSizeX().value());
      assertEquals("µm", p.physicalSizeX().unit());
      assertEquals(2, p.channels().size());
      assertEquals(Channel.of(1, null), p.channels().get(1));
      assertEquals(variant.equals("v0") ? null : ChunkGrid.of(1, 8, 16), img.metadata().chunkGrid());
      short[] want = sample(2 * 2 * 3 * 20 * 30, 1);
      MemorySegment plane = arena.allocate(p.planeBytes());
      for (int t = 0; t < 2; t++) {
        for (int c = 0; c < 2; c++) {
          for (int z = 0; z < 3; z++) {
            img.readPlane(t, c, z, plane);
            short[] got = plane.toArray(ValueLayout.JAVA_SHORT);
            int off = (int) (p.planeIndex(t, c, z) * p.planePixels());
            assertArrayEquals(java.util.Arrays.copyOfRange(want, off, off + 600), got, "plane " + t + c + z);
          }
        }
      }
    }
  }

  @Test
  void ourFilesCarryTheReferenceStructTypes(BufferAllocator allocator, @TempDir Path dir) {
    Python.require("pyarrow", "numpy", "imagecodecs");
    short[] data = sample(2 * 2 * 3 * 20 * 30, 1);
    Path list = dir.resolve("list.arrow");
    Path bytes = dir.resolve("bytes.arrow");
    PixelsMeta pm = PixelsMeta.of(PixelType.UINT16, 2, 2, 3, 20, 30);
    try (OmeImage a = OmeImageBuilder.of(ImageMetadata.of(pm)).chunkShape(1, 8, 16).fromArray(data, allocator);
        OmeImage b = OmeImageBuilder.of(ImageMetadata.of(pm)).encoding("bytes").chunkShape(1, 8, 16)
            .chunkCompression(ChunkCompression.ZSTD).fromArray(data, allocator)) {
      ArrowIpc.write(list, List.of(a), null, null, allocator);
      ArrowIpc.write(bytes, List.of(b), null, null, allocator);
    }
    String check = """
        import sys; sys.path.insert(0, sys.argv[1])
        import numpy as np, pyarrow as pa, reference_structs as r
        want = r.sample_array()
        for path, typ in ((sys.argv[2], r.OME_ARROW_STRUCT), (sys.argv[3], r.OME_ARROW_BYTE_STRUCT)):
            t = pa.ipc.open_file(path).read_all()
            assert t.schema.field("ome_arrow").type == typ, (path, t.schema.field("ome_arrow").type)
            assert t.schema.metadata[b"ome.arrow.type"] == b"ome.arrow"
            rec = t.column("ome_arrow")[0].as_py()
            out = np.zeros(want.shape, dtype=np.uint16)
            for ch in rec["chunks"]:
                if "pixel_bytes" in ch:
                    raw = ch["pixel_bytes"]
                    if ch["compression"] == "zstd":
                        import imagecodecs
                        raw = imagecodecs.zstd_decode(raw)
                    vals = np.frombuffer(raw, dtype=ch["dtype"])
                else:
                    vals = np.asarray(ch["pixels"], dtype=np.uint16)
                out[ch["t"], ch["c"], ch["z"]:ch["z"]+ch["shape_z"], ch["y"]:ch["y"]+ch["shape_y"], ch["x"]:ch["x"]+ch["shape_x"]] = \\
                    vals.reshape(ch["shape_z"], ch["shape_y"], ch["shape_x"])
            assert (out == want).all(), path
            if typ == r.OME_ARROW_STRUCT:
                assert len(rec["planes"]) == 12 and rec["planes"][0]["pixels"][:3] == want[0, 0, 0].reshape(-1)[:3].tolist()
        print("OK")
        """;
    Python.Result r = Python.run(check, Python.referenceModuleDir().toString(), list.toString(), bytes.toString());
    assertTrue(r.check().stdout().contains("OK"), r.stdout());
  }
}
