package io.omearrow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.omearrow.testing.Python;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's contract: outputs, exit codes, one-line errors. */
class CliTest {
  record Run(int code, String out, String err) {}

  static synchronized Run run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = OmeArrowCli.execute(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void infoOnAnIpcFileWrittenByPyarrow(@TempDir Path dir) throws Exception {
    Python.require("pyarrow", "numpy");
    Path f = dir.resolve("cells.arrow");
    Python.run("""
        import sys; sys.path.insert(0, sys.argv[1])
        import pyarrow as pa, reference_structs as r
        t = r.table("v2-list", r.sample_array(t=1, c=3, z=5, y=24, x=40), column="Image_FileName_OrigDNA_OMEArrow_ORIG")
        t = t.append_column("Metadata_Well", pa.array(["B02"]))
        with pa.ipc.new_file(sys.argv[2], t.schema) as w:
            w.write_table(t)
        """, Python.referenceModuleDir().toString(), f.toString()).check();
    Run r = run("info", "--json", f.toString());
    assertEquals(0, r.code(), r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertEquals("[1,3,5,24,40]", j.get("shape").toString());
    assertEquals("uint16", j.get("dtype").asText());
    assertEquals("Image_FileName_OrigDNA_OMEArrow_ORIG", j.get("column").asText());
    assertEquals("v2-list", j.get("schema").asText());
    assertEquals("list-chunks", j.get("encoding").asText());
    assertEquals(1, j.get("rows").asInt());
    assertEquals(0.5, j.get("physical_size").get("x").asDouble());
    assertEquals("µm", j.get("units").get("x").asText());
    assertEquals("[\"C0\",\"C1\",\"C2\"]", j.get("channels").toString());
    assertEquals("{\"z\":1,\"y\":8,\"x\":16}", j.get("chunk_grid").toString());
    Run human = run("info", f.toString());
    assertEquals(0, human.code());
    assertTrue(human.out().contains("shape (TCZYX): T=1 C=3 Z=5 Y=24 X=40"), human.out());
  }

  @Test
  void exitCodes(@TempDir Path dir) throws Exception {
    Run missing = run("info", dir.resolve("nope.arrow").toString());
    assertEquals(3, missing.code());
    assertEquals("ome-arrow info: No such file: " + dir.resolve("nope.arrow") + "\n", missing.err());
    Run unknown = run("info", "--bogus", "x.arrow");
    assertEquals(2, unknown.code());
    assertEquals("info: Unknown option: '--bogus' (see 'ome-arrow info --help')\n", unknown.err());
    Path txt = Files.writeString(dir.resolve("notes.txt"), "hello");
    Run noReader = run("info", txt.toString());
    assertEquals(3, noReader.code());
    assertTrue(noReader.err().startsWith("ome-arrow info: cannot read '" + txt + "': no reader for this kind of file"), noReader.err());
    assertEquals(1, noReader.err().lines().count());
  }

  @Test
  void convertNpyToArrowAndBackThroughInfo(@TempDir Path dir) throws Exception {
    Path npy = dir.resolve("stack.npy");
    short[] v = new short[2 * 16 * 16];
    for (int i = 0; i < v.length; i++) {
      v[i] = (short) (i * 3);
    }
    io.omearrow.npy.Npy.write(npy, new long[] {2, 16, 16}, io.omearrow.core.PixelType.UINT16, java.lang.foreign.MemorySegment.ofArray(v));
    Path arrow = dir.resolve("stack.arrow");
    Run c = run("convert", npy.toString(), arrow.toString(), "--encoding", "bytes", "--chunk", "1,8,8", "--chunk-compression", "zstd",
        "--pixel-type", "float32", "--quiet");
    assertEquals(0, c.code(), c.err());
    JsonNode j = new ObjectMapper().readTree(run("info", "--json", arrow.toString()).out());
    assertEquals("[1,1,2,16,16]", j.get("shape").toString());
    assertEquals("float32", j.get("dtype").asText());
    assertEquals("byte-chunks", j.get("encoding").asText());
    assertEquals("{\"z\":1,\"y\":8,\"x\":8}", j.get("chunk_grid").toString());
    Run bad = run("convert", npy.toString(), dir.resolve("x.arrow").toString(), "--chunk", "1,8");
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("--chunk needs three values Z,Y,X; got 2"), bad.err());
    assertTrue(Files.notExists(dir.resolve("x.arrow")));
  }

  @Test
  void demoRunsTheMainJobOnTheBundledSample(@TempDir Path dir) throws Exception {
    Run r = run("demo", "--out", dir.toString());
    assertEquals(0, r.code(), r.err() + r.out());
    for (String f : new String[] {"examplehuman-3ch.ome.tif", "sample-list.ome.parquet", "sample-bytes.ome.parquet", "sample.mla"}) {
      assertTrue(Files.size(dir.resolve(f)) > 0, f);
    }
    assertTrue(r.out().contains("opened OME-TIFF: TCZYX 1x3x1x512x512 uint8, channels [d0, d1, d2]"), r.out());
    assertTrue(r.out().contains("materialised ROI 128x96 of all channels: shape [3, 96, 128], 36864 bytes"), r.out());
    assertTrue(r.out().contains("iterated 16 shuffled 128x128 tiles with prefetch(4): 786432 bytes"), r.out());
    assertTrue(r.out().contains("DLPack export of tile (1, 2), channel 1: zero-copy, consumer checked 16384 values"), r.out());
    assertTrue(r.out().contains("checked: MLArray and byte-chunk Parquet hold exactly the TIFF's pixels"), r.out());
    try (var files = Files.list(dir)) {
      assertEquals(List.of(), files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList(), "temporary files left behind");
    }
  }
}
