package io.omearrow.io.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omearrow.core.FormatException;
import io.omearrow.core.OmeImage;
import io.omearrow.core.SelectionException;
import io.omearrow.source.OpenOptions;
import io.omearrow.source.WriteOptions;
import io.omearrow.testing.LeakCheckedAllocator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.Util;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Damaged and hostile input: a clear error each, no OOM, no hang. */
@ExtendWith(LeakCheckedAllocator.class)
class BadInputTest {
  @TempDir
  Path dir;

  Path good(BufferAllocator a, String codec) {
    Path p = dir.resolve("good-" + codec + ".parquet");
    try (OmeImage img = WriteRoundTripTest.image(a, 1, 1, 2, 30, 40)) {
      ParquetImages.write(List.of(img), p.toString(), WriteOptions.defaults().withCompression(codec), a);
    }
    return p;
  }

  static String message(Runnable r) {
    return assertThrows(FormatException.class, r::run).getMessage();
  }

  void read(Path p, BufferAllocator a) {
    try (OmeImage img = ParquetImages.read(p.toString(), OpenOptions.defaults(), a, w -> { })) {
      PyarrowFilesTest.checkAllPixels(img, 0);
    }
  }

  @Test
  void missingTruncatedAndNonParquetFiles(BufferAllocator a) throws Exception {
    assertEquals("No such file: " + dir.resolve("nope.parquet"), message(() -> read(dir.resolve("nope.parquet"), a)));
    byte[] bytes = Files.readAllBytes(good(a, "zstd"));
    Path cut = dir.resolve("cut.parquet");
    Files.write(cut, Arrays.copyOf(bytes, bytes.length - 100));
    assertTrue(message(() -> read(cut, a)).contains("is not a Parquet file (no PAR1 magic at start and end; truncated?)"));
    Path text = dir.resolve("text.parquet");
    Files.writeString(text, "hello, this is not parquet at all");
    assertTrue(message(() -> read(text, a)).contains("not a Parquet file"));
    Path tiny = dir.resolve("tiny.parquet");
    Files.write(tiny, new byte[] {'P', 'A', 'R', '1'});
    assertTrue(message(() -> read(tiny, a)).contains("only 4 bytes"));
  }

  /** Rewrites the footer of a file after {@code edit} changed it. */
  Path withFooter(Path src, String name, java.util.function.Consumer<FileMetaData> edit) throws Exception {
    byte[] b = Files.readAllBytes(src);
    int len = (b[b.length - 8] & 0xFF) | (b[b.length - 7] & 0xFF) << 8 | (b[b.length - 6] & 0xFF) << 16 | (b[b.length - 5] & 0xFF) << 24;
    int start = b.length - 8 - len;
    FileMetaData fmd = Util.readFileMetaData(new ByteArrayInputStream(b, start, len));
    edit.accept(fmd);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(b, 0, start);
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    Util.writeFileMetaData(fmd, f);
    out.write(f.toByteArray());
    int n = f.size();
    out.write(new byte[] {(byte) n, (byte) (n >>> 8), (byte) (n >>> 16), (byte) (n >>> 24), 'P', 'A', 'R', '1'});
    Path p = dir.resolve(name);
    Files.write(p, out.toByteArray());
    return p;
  }

  @Test
  void aFooterThatLiesAboutSizes(BufferAllocator a) throws Exception {
    Path g = good(a, "zstd");
    Path huge = withFooter(g, "huge.parquet", f -> f.getRow_groups().get(0).getColumns().get(20).getMeta_data()
        .setTotal_compressed_size(1L << 40));
    assertTrue(message(() -> read(huge, a)).contains("outside the data area"), message(() -> read(huge, a)));
    Path values = withFooter(g, "values.parquet", f -> f.getRow_groups().get(0).getColumns().get(20).getMeta_data().setNum_values(1L << 33));
    assertTrue(message(() -> read(values, a)).contains("the footer declares 8589934592"), message(() -> read(values, a)));
    Path rows = withFooter(g, "rows.parquet", f -> {
      f.getRow_groups().get(0).setNum_rows(5);
      f.setNum_rows(5);
    });
    assertTrue(message(() -> read(rows, a)).contains("the footer declares 5"), message(() -> read(rows, a)));
  }

  @Test
  void aPageThatDecompressesToTheWrongLength(BufferAllocator a) throws Exception {
    for (String codec : List.of("zstd", "snappy", "none")) {
      Path g = good(a, codec);
      byte[] b = Files.readAllBytes(g);
      // the first page header follows the magic; enlarge its declared uncompressed size by one
      ByteArrayInputStream in = new ByteArrayInputStream(b, 4, b.length - 4);
      PageHeader h = Util.readPageHeader(in);
      int used = b.length - 4 - in.available();
      h.setUncompressed_page_size(h.getUncompressed_page_size() + 1);
      ByteArrayOutputStream nh = new ByteArrayOutputStream();
      Util.writePageHeader(h, nh);
      assertEquals(used, nh.size(), "header size unchanged");
      System.arraycopy(nh.toByteArray(), 0, b, 4, used);
      Path bad = dir.resolve("page-" + codec + ".parquet");
      Files.write(bad, b);
      String m = message(() -> read(bad, a));
      assertTrue(m.contains("declares") || m.contains("decompress"), codec + ": " + m);
    }
  }

  @Test
  void aDictionaryIndexBeyondTheDictionary(BufferAllocator a) throws Exception {
    Path g = dir.resolve("list.parquet");
    try (OmeImage img = WriteRoundTripTest.image(a, 1, 1, 2, 30, 40)) {
      ParquetImages.write(List.of(img), g.toString(), WriteOptions.defaults().withEncoding("list").withBuildChunks(false)
          .withCompression("none"), a);
    }
    long headerAt;
    int n;
    try (ParquetTable t = ParquetTable.open(g.toString())) {
      Node pixels = t.node("ome_arrow").leaves().stream().filter(l -> l.path.contains("pixels") && l.path.contains("planes")).findFirst().orElseThrow();
      var md = t.chunkMeta(0, pixels);
      assertTrue(md.isSetDictionary_page_offset(), "the writer dictionary-encodes 16-bit pixels");
      headerAt = md.getDictionary_page_offset();
    }
    byte[] b = Files.readAllBytes(g);
    ByteArrayInputStream in = new ByteArrayInputStream(b, (int) headerAt, b.length - (int) headerAt);
    PageHeader h = Util.readPageHeader(in);
    int used = b.length - (int) headerAt - in.available();
    n = h.getDictionary_page_header().getNum_values();
    assertTrue(n >= 128, "test image has " + n + " distinct values");
    // half the dictionary: the same varint length, and the upper half of the indices now point past it
    h.getDictionary_page_header().setNum_values(n / 2);
    ByteArrayOutputStream nh = new ByteArrayOutputStream();
    Util.writePageHeader(h, nh);
    assertEquals(used, nh.size(), "header size unchanged");
    System.arraycopy(nh.toByteArray(), 0, b, (int) headerAt, used);
    Path bad = dir.resolve("dict-index.parquet");
    Files.write(bad, b);
    String m = message(() -> read(bad, a));
    assertTrue(m.contains("dictionary index") && m.contains("out of range [0, " + n / 2 + ")"), m);
  }

  @Test
  void rightNamesWrongTypes(BufferAllocator a) throws Exception {
    List<Field> kids = new java.util.ArrayList<>();
    for (String n : io.omearrow.core.OmeSchema.REQUIRED_FIELDS) {
      kids.add(new Field(n, FieldType.nullable(n.equals("planes") ? new ArrowType.Int(32, true) : ArrowType.Utf8.INSTANCE), null));
    }
    Field col = new Field("ome_arrow", FieldType.nullable(ArrowType.Struct.INSTANCE), kids);
    Path p = dir.resolve("wrong-types.parquet");
    try (VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(List.of(col)), a)) {
      root.allocateNew();
      StructVector s = (StructVector) root.getVector("ome_arrow");
      s.setIndexDefined(0);
      ((VarCharVector) s.getChild("type")).setSafe(0, "ome.arrow".getBytes());
      ((IntVector) s.getChild("planes")).setSafe(0, 3);
      root.setRowCount(1);
      try (OutputStream out = Files.newOutputStream(p); ParquetTableWriter w = ParquetTableWriter.create(out, root.getSchema(),
          ParquetTableWriter.Options.defaults())) {
        w.write(root, 0, 1);
      }
    }
    String m = message(() -> read(p, a));
    assertTrue(m.contains("pixels_meta"), m);
  }

  @Test
  void aChunkWhoseExtentLeavesTheImage(BufferAllocator a) {
    Path raw = dir.resolve("extent-raw.parquet");
    try (OmeImage img = io.omearrow.core.OmeImageBuilder.of(io.omearrow.core.PixelType.UINT16, 1, 1, 1, 8, 8).chunkShape(1, 4, 4)
        .fromArray(new short[64], a)) {
      StructVector items = (StructVector) ((ListVector) img.vector().getChild("chunks")).getDataVector();
      ((IntVector) items.getChild("x")).set(1, 6);
      try (OutputStream out = Files.newOutputStream(raw); ParquetTableWriter w = ParquetTableWriter.create(out,
          new Schema(List.of(img.vector().getField()), ParquetTableWriter.omeMetadata(java.util.Map.of())), ParquetTableWriter.Options.defaults())) {
        w.writeRows(List.of(img.vector()), 0, 1);
      }
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    String eager = message(() -> read(raw, a));
    assertTrue(eager.contains("chunks[1] extent out of range: x+shape_x=10 > sx=8"), eager);
    String lazy = message(() -> ParquetImages.open(raw.toString(), OpenOptions.defaults(), a, w -> { }).close());
    assertTrue(lazy.contains("chunks[1] extent out of range"), lazy);
  }

  @Test
  void rowAndColumnOutOfRange(BufferAllocator a) {
    Path g = good(a, "zstd");
    SelectionException e = assertThrows(SelectionException.class,
        () -> ParquetImages.open(g.toString(), OpenOptions.defaults().withRow(5), a, w -> { }));
    assertEquals("row_index 5 out of range [0, 1).", e.getMessage());
    List<String> warnings = new java.util.ArrayList<>();
    try (OmeImage img = ParquetImages.read(g.toString(), OpenOptions.defaults().withColumn("nope"), a, warnings::add)) {
      assertEquals(List.of("Requested column 'nope' was not usable or not found. Auto-detected OME-Arrow column 'ome_arrow'."), warnings);
    }
  }
}
