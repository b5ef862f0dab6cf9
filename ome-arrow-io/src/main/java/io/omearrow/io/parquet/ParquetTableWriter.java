package io.omearrow.io.parquet;

import io.omearrow.core.FormatException;
import io.omearrow.core.SelectionException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.CompressionCodec;
import org.apache.parquet.format.DataPageHeader;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FieldRepetitionType;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.KeyValue;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.PageType;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.Util;

/**
 * Streams Arrow rows into a Parquet file: rows are shredded into per-column buffers and written
 * out a row group at a time (when the group reaches {@code rowsPerGroup} rows or about
 * {@code groupBytes} bytes), in PLAIN-encoded version-1 data pages of about {@code pageBytes}
 * bytes each, compressed with the chosen codec. Pages are cut inside a row, so a single large
 * image still spreads over many small pages: that is what lets a reader fetch only the pages of
 * the chunks a region touches. The footer carries pyarrow's {@code ARROW:schema} so pyarrow
 * reads back the exact Arrow types (uint16 lists, large_binary payloads).
 *
 * <p>Memory: buffers one row group on the heap; the caller owns the vectors it passes in and
 * the output stream, which {@link #close()} finishes (footer) and closes.
 */
public final class ParquetTableWriter implements AutoCloseable {
  /** Writer settings: codec, page and row-group sizes. */
  public record Options(String compression, int pageBytes, int rowsPerGroup, long groupBytes) {
    public static Options defaults() {
      return new Options("zstd", 128 * 1024, 64, 128L << 20);
    }

    public Options withCompression(String c) {
      return new Options(c, pageBytes, rowsPerGroup, groupBytes);
    }

    public Options withPageBytes(int p) {
      return new Options(compression, p, rowsPerGroup, groupBytes);
    }

    public Options withRowsPerGroup(int r) {
      return new Options(compression, pageBytes, r, groupBytes);
    }
  }

  private static final String CREATED_BY = "ome-arrow-java version 0.1.0";

  private final OutputStream out;
  private final Schema schema;
  private final CompressionCodec codec;
  private final Options options;
  private final List<Node> nodes = new ArrayList<>();
  private final List<Node> leaves = new ArrayList<>();
  private final Map<Integer, Shredder.Sink> sinks = new HashMap<>();
  private final List<SchemaElement> elements = new ArrayList<>();
  private final List<RowGroup> groups = new ArrayList<>();
  private long pos;
  private int groupRows;
  private long totalRows;
  private boolean closed;

  private ParquetTableWriter(OutputStream out, Schema schema, Options options) {
    this.out = out;
    this.schema = new Schema(schema.getFields().stream().map(ParquetTableWriter::normalize).toList(), schema.getCustomMetadata());
    this.options = options;
    this.codec = Codecs.parse(options.compression());
    if (options.pageBytes() < 1024 || options.rowsPerGroup() < 1 || options.groupBytes() < 1) {
      throw new SelectionException("Parquet writer options out of range: " + options);
    }
    SchemaElement root = new SchemaElement("schema");
    root.setNum_children(schema.getFields().size());
    root.setRepetition_type(FieldRepetitionType.REQUIRED);
    elements.add(root);
    for (Field f : this.schema.getFields()) {
      Schemas.write(f, elements);
    }
    for (Schemas.Column c : Schemas.read(elements, this.schema.getFields(), "Parquet writer")) {
      if (c.node() == null) {
        throw new FormatException("cannot write column '" + c.name() + "': " + c.unsupported());
      }
      nodes.add(c.node());
      leaves.addAll(c.node().leaves());
    }
    for (Node l : leaves) {
      sinks.put(l.leafIndex, new Shredder.Sink(l));
    }
  }

  /** Names list items "item" as pyarrow does (Arrow Java's vectors call them "$data$"). */
  static Field normalize(Field f) {
    List<Field> kids = new ArrayList<>();
    boolean list = f.getType() instanceof org.apache.arrow.vector.types.pojo.ArrowType.List
        || f.getType() instanceof org.apache.arrow.vector.types.pojo.ArrowType.LargeList;
    for (Field c : f.getChildren()) {
      Field n = normalize(c);
      kids.add(list ? new Field("item", n.getFieldType(), n.getChildren()) : n);
    }
    return new Field(f.getName(), f.getFieldType(), kids);
  }

  /** Starts a file on {@code out} (which the writer closes) with this Arrow schema. */
  public static ParquetTableWriter create(OutputStream out, Schema schema, Options options) {
    ParquetTableWriter w = new ParquetTableWriter(out, schema, options);
    w.write(new byte[] {'P', 'A', 'R', '1'});
    return w;
  }

  private void write(byte[] b) {
    try {
      out.write(b);
      pos += b.length;
    } catch (IOException e) {
      throw new FormatException("writing Parquet failed: " + e.getMessage(), e);
    }
  }

  /** Appends rows [from, to) of a root whose columns match the schema by position. */
  public void write(VectorSchemaRoot root, int from, int to) {
    List<FieldVector> vectors = root.getFieldVectors();
    if (vectors.size() != nodes.size()) {
      throw new SelectionException("batch has " + vectors.size() + " columns, the file " + nodes.size());
    }
    for (int k = 0; k < nodes.size(); k++) {
      if (!vectors.get(k).getField().getType().equals(nodes.get(k).field.getType())) {
        throw new SelectionException("column " + k + " has type " + vectors.get(k).getField().getType() + ", the file "
            + nodes.get(k).field.getType());
      }
    }
    writeRows(vectors, from, to);
  }

  /** Appends rows [from, to) of vectors matching the schema's columns. */
  public void writeRows(List<? extends FieldVector> vectors, int from, int to) {
    for (int r = from; r < to; r++) {
      for (int k = 0; k < nodes.size(); k++) {
        Shredder.row(nodes.get(k), vectors.get(k), r, sinks);
      }
      groupRows++;
      if (groupRows >= options.rowsPerGroup() || bufferedBytes() >= options.groupBytes()) {
        flushGroup();
      }
    }
  }

  /** Appends one row taking, for column k, row {@code rowOf.applyAsInt(k)} of {@code vectors.get(k)}. */
  public void writeRow(List<? extends FieldVector> vectors, java.util.function.IntUnaryOperator rowOf) {
    for (int k = 0; k < nodes.size(); k++) {
      Shredder.row(nodes.get(k), vectors.get(k), rowOf.applyAsInt(k), sinks);
    }
    groupRows++;
    if (groupRows >= options.rowsPerGroup() || bufferedBytes() >= options.groupBytes()) {
      flushGroup();
    }
  }

  private long bufferedBytes() {
    long b = 0;
    for (Shredder.Sink s : sinks.values()) {
      b += s.valueBytes + s.entries / 4;
    }
    return b;
  }

  /** Writes the buffered rows as one row group. */
  public void flushGroup() {
    if (groupRows == 0) {
      return;
    }
    List<ColumnChunk> chunks = new ArrayList<>();
    long groupStart = pos;
    long total = 0;
    for (Node leaf : leaves) {
      ColumnChunk cc = writeChunk(sinks.get(leaf.leafIndex));
      chunks.add(cc);
      total += cc.getMeta_data().getTotal_compressed_size();
    }
    RowGroup rg = new RowGroup(chunks, total, groupRows);
    rg.setFile_offset(groupStart);
    rg.setTotal_compressed_size(total);
    groups.add(rg);
    totalRows += groupRows;
    groupRows = 0;
    sinks.values().forEach(Shredder.Sink::clear);
  }

  private ColumnChunk writeChunk(Shredder.Sink s) {
    Node leaf = s.leaf;
    long start = pos;
    long uncompressedTotal = 0;
    int pw = PageDecoder.physicalWidth(leaf.element.getType());
    boolean fixed = pw > 0;
    boolean bool = leaf.element.getType() == org.apache.parquet.format.Type.BOOLEAN;
    int e0 = 0;
    int v0 = 0;
    byte md = (byte) leaf.maxDef;
    while (e0 < s.entries) {
      // cut a page of about pageBytes of values (at least one entry)
      int e1 = e0;
      int v1 = v0;
      long bytes = 0;
      while (e1 < s.entries && (e1 == e0 || bytes < options.pageBytes())) {
        if (leaf.maxDef == 0 || s.def[e1] == md) {
          long vb = fixed ? pw : bool ? 1 : s.ends[v1] - (v1 == 0 ? 0 : s.ends[v1 - 1]);
          bytes += vb;
          v1++;
        }
        e1++;
      }
      uncompressedTotal += writePage(s, e0, e1, v0, v1, pw, bool);
      e0 = e1;
      v0 = v1;
    }
    ColumnMetaData meta = new ColumnMetaData(leaf.element.getType(), List.of(Encoding.PLAIN, Encoding.RLE), leaf.path, codec,
        s.entries, uncompressedTotal, pos - start, start);
    ColumnChunk cc = new ColumnChunk(start);
    cc.setMeta_data(meta);
    return cc;
  }

  private long valueOffset(Shredder.Sink s, int v, int pw, boolean bool) {
    if (pw > 0) {
      return (long) v * pw;
    }
    if (bool) {
      return v;
    }
    return v == 0 ? 0 : s.ends[v - 1];
  }

  /** Writes one V1 data page; returns its uncompressed size including the header. */
  private long writePage(Shredder.Sink s, int e0, int e1, int v0, int v1, int pw, boolean bool) {
    Node leaf = s.leaf;
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (leaf.maxRep > 0) {
      lengthPrefixed(body, s.rep, e0, e1, Rle.bitWidth(leaf.maxRep));
    }
    if (leaf.maxDef > 0) {
      lengthPrefixed(body, s.def, e0, e1, Rle.bitWidth(leaf.maxDef));
    }
    long a = valueOffset(s, v0, pw, bool);
    long b = valueOffset(s, v1, pw, bool);
    if (bool) {
      byte[] packed = new byte[(v1 - v0 + 7) / 8];
      for (int i = v0; i < v1; i++) {
        if (s.values[i] != 0) {
          packed[(i - v0) >>> 3] |= (byte) (1 << ((i - v0) & 7));
        }
      }
      body.writeBytes(packed);
    } else {
      body.write(s.values, (int) a, (int) (b - a));
    }
    byte[] raw = body.toByteArray();
    byte[] comp = Codecs.compress(codec, raw, 0, raw.length);
    PageHeader h = new PageHeader(PageType.DATA_PAGE, raw.length, comp.length);
    h.setData_page_header(new DataPageHeader(e1 - e0, Encoding.PLAIN, Encoding.RLE, Encoding.RLE));
    ByteArrayOutputStream hb = new ByteArrayOutputStream(64);
    try {
      Util.writePageHeader(h, hb);
    } catch (IOException e) {
      throw new FormatException("writing a Parquet page header failed: " + e.getMessage(), e);
    }
    write(hb.toByteArray());
    write(comp);
    return hb.size() + raw.length;
  }

  private static void lengthPrefixed(ByteArrayOutputStream body, byte[] levels, int e0, int e1, int bw) {
    ByteArrayOutputStream l = new ByteArrayOutputStream();
    Rle.encodeLevels(levels, e0, e1, bw, l);
    int n = l.size();
    body.write(n);
    body.write(n >>> 8);
    body.write(n >>> 16);
    body.write(n >>> 24);
    body.writeBytes(l.toByteArray());
  }

  /** Rows written so far (flushed or buffered). */
  public long rows() {
    return totalRows + groupRows;
  }

  /** Flushes the last row group, writes the footer and closes the stream. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      flushGroup();
      FileMetaData fmd = new FileMetaData(1, elements, totalRows, groups);
      fmd.setCreated_by(CREATED_BY);
      List<KeyValue> kv = new ArrayList<>();
      Map<String, String> meta = schema.getCustomMetadata() == null ? Map.of() : schema.getCustomMetadata();
      for (Map.Entry<String, String> e : meta.entrySet()) {
        KeyValue k = new KeyValue(e.getKey());
        k.setValue(e.getValue());
        kv.add(k);
      }
      KeyValue arrow = new KeyValue("ARROW:schema");
      arrow.setValue(arrowSchema(schema));
      kv.add(arrow);
      fmd.setKey_value_metadata(kv);
      ByteArrayOutputStream fb = new ByteArrayOutputStream();
      Util.writeFileMetaData(fmd, fb);
      write(fb.toByteArray());
      int n = fb.size();
      write(new byte[] {(byte) n, (byte) (n >>> 8), (byte) (n >>> 16), (byte) (n >>> 24)});
      write("PAR1".getBytes(StandardCharsets.US_ASCII));
      out.close();
    } catch (IOException e) {
      throw new FormatException("writing the Parquet footer failed: " + e.getMessage(), e);
    }
  }

  /** Closes the stream without a footer (the caller then discards the partial file). */
  public void abort() {
    closed = true;
    try {
      out.close();
    } catch (IOException ignored) {
      // the partial output is deleted by the caller
    }
  }

  static String arrowSchema(Schema schema) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    MessageSerializer.serialize(new WriteChannel(Channels.newChannel(bos)), schema);
    return Base64.getEncoder().encodeToString(bos.toByteArray());
  }

  /** Schema-level metadata with the OME-Arrow keys plus the caller's entries. */
  public static Map<String, String> omeMetadata(Map<String, String> extra) {
    Map<String, String> m = new LinkedHashMap<>(io.omearrow.core.OmeSchema.fileMetadata());
    if (extra != null) {
      m.putAll(extra);
    }
    return m;
  }
}
