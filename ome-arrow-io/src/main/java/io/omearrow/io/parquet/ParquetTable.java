package io.omearrow.io.parquet;

import io.omearrow.core.ColumnResolver;
import io.omearrow.core.FormatException;
import io.omearrow.core.OmeImage;
import io.omearrow.core.SelectionException;
import io.omearrow.source.SourceInfo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.KeyValue;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.PageType;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import org.apache.parquet.io.InputFile;

/**
 * A Parquet file opened as a table: its footer is read once, and rows are read a row group and
 * a column at a time (only the byte ranges of the requested column chunks are fetched), decoded
 * in bulk straight into Arrow vectors. Reads local paths through parquet's local I/O and
 * {@code hdfs://}, {@code s3a://}, {@code file://} URIs through Hadoop's FileSystem.
 *
 * <p>Memory: the table holds only the footer and a file handle; vectors it returns are allocated
 * from the caller's allocator and owned by the caller (an {@link OmeImage} from {@link #image}
 * owns its row group's column). Thread-safe for reads.
 */
public final class ParquetTable implements AutoCloseable {
  /** Column chunks at least this large are memory-mapped rather than read. */
  private static final long MAP_THRESHOLD = 1 << 20;
  private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

  private final Input input;
  private final String location;
  private final FileMetaData footer;
  private final long footerStart;
  private final List<Schemas.Column> columns;
  private final Schema schema;
  private final long[] groupStart;
  private final long rows;

  private ParquetTable(Input input, String location) {
    this.input = input;
    this.location = location;
    String where = "Parquet file '" + location + "'";
    long len = input.length();
    if (len < 12) {
      throw new FormatException(where + " is not a Parquet file: only " + len + " bytes");
    }
    byte[] tail = input.read(len - 8, 8);
    if (!java.util.Arrays.equals(tail, 4, 8, MAGIC, 0, 4) || !java.util.Arrays.equals(input.read(0, 4), MAGIC)) {
      throw new FormatException(where + " is not a Parquet file (no PAR1 magic at start and end; truncated?)");
    }
    int footerLen = (tail[0] & 0xFF) | (tail[1] & 0xFF) << 8 | (tail[2] & 0xFF) << 16 | (tail[3] & 0xFF) << 24;
    if (footerLen <= 0 || footerLen > len - 12) {
      throw new FormatException(where + ": footer length " + footerLen + " does not fit in the " + len + "-byte file (truncated or corrupt)");
    }
    this.footerStart = len - 8 - footerLen;
    try {
      this.footer = Util.readFileMetaData(new ByteArrayInputStream(input.read(footerStart, footerLen)));
    } catch (IOException | RuntimeException e) {
      throw new FormatException(where + ": corrupt footer (" + e.getMessage() + ")", e);
    }
    if (footer.getSchema() == null || footer.getSchema().isEmpty()) {
      throw new FormatException(where + ": footer has no schema");
    }
    Map<String, String> kv = new LinkedHashMap<>();
    List<Field> hints = List.of();
    if (footer.getKey_value_metadata() != null) {
      for (KeyValue k : footer.getKey_value_metadata()) {
        if (k.getKey().equals("ARROW:schema")) {
          hints = arrowHints(k.getValue());
        } else {
          kv.put(k.getKey(), k.getValue() == null ? "" : k.getValue());
        }
      }
    }
    this.columns = Schemas.read(footer.getSchema(), hints, where);
    List<Field> fields = new ArrayList<>();
    for (Schemas.Column c : columns) {
      if (c.node() != null) {
        fields.add(c.field());
      }
    }
    this.schema = new Schema(fields, kv);
    List<RowGroup> groups = footer.getRow_groups() == null ? List.of() : footer.getRow_groups();
    this.groupStart = new long[groups.size() + 1];
    for (int i = 0; i < groups.size(); i++) {
      long n = groups.get(i).getNum_rows();
      if (n < 0) {
        throw new FormatException(where + ": row group " + i + " declares " + n + " rows");
      }
      groupStart[i + 1] = groupStart[i] + n;
    }
    this.rows = groupStart[groups.size()];
    if (footer.getNum_rows() != rows) {
      throw new FormatException(where + ": footer declares " + footer.getNum_rows() + " rows but its row groups hold " + rows);
    }
  }

  /** Opens a local path or a Hadoop URI ({@code hdfs://}, {@code s3a://}, {@code file://}). */
  public static ParquetTable open(String location) {
    Input in = Input.open(location);
    try {
      return new ParquetTable(in, location);
    } catch (RuntimeException e) {
      in.close();
      throw e;
    }
  }

  /** Opens any parquet {@link InputFile} (for instance a {@link CountingInputFile}). */
  public static ParquetTable open(InputFile file, String location) {
    Input in = Input.open(file, location);
    try {
      return new ParquetTable(in, location);
    } catch (RuntimeException e) {
      in.close();
      throw e;
    }
  }

  private static List<Field> arrowHints(String b64) {
    try {
      byte[] bytes = Base64.getDecoder().decode(b64);
      Schema s = MessageSerializer.deserializeSchema(new ReadChannel(Channels.newChannel(new ByteArrayInputStream(bytes))));
      return s == null ? List.of() : s.getFields();
    } catch (IOException | RuntimeException e) {
      return List.of(); // a damaged ARROW:schema only loses type hints; the Parquet schema still reads
    }
  }

  public String location() {
    return location;
  }

  /** The Arrow schema of the readable columns, with the file's key/value metadata. */
  public Schema schema() {
    return schema;
  }

  /** The file's key/value metadata (without pyarrow's ARROW:schema). */
  public Map<String, String> metadata() {
    return schema.getCustomMetadata();
  }

  public long rowCount() {
    return rows;
  }

  public int rowGroupCount() {
    return groupStart.length - 1;
  }

  /** The first row of a row group. */
  public long rowGroupStart(int group) {
    return groupStart[group];
  }

  /** Rows of a row group. */
  public long rowGroupRows(int group) {
    return groupStart[group + 1] - groupStart[group];
  }

  /** The row group holding {@code row}. */
  public int rowGroupOf(long row) {
    ColumnResolver.checkRow(row, rows);
    int lo = 0;
    int hi = groupStart.length - 2;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (groupStart[mid] <= row) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  /** Resolves the OME-Arrow column as the Python reader does (reference §2.7). */
  public String resolveColumn(String requested, Consumer<String> warnings) {
    return ColumnResolver.resolve(schema.getFields(), requested, warnings);
  }

  Node node(String column) {
    for (Schemas.Column c : columns) {
      if (c.name().equals(column)) {
        if (c.node() == null) {
          throw new FormatException("Parquet file '" + location + "': column '" + column + "' cannot be read: " + c.unsupported());
        }
        return c.node();
      }
    }
    throw new SelectionException("Parquet file '" + location + "' has no column '" + column + "' (columns: "
        + columns.stream().map(Schemas.Column::name).toList() + ")");
  }

  /**
   * Reads the named columns of one row group into a new {@link VectorSchemaRoot} owned by the
   * caller. Only those columns' byte ranges are read.
   */
  public VectorSchemaRoot readRowGroup(int group, List<String> names, BufferAllocator allocator) {
    if (group < 0 || group >= rowGroupCount()) {
      throw new SelectionException("row group " + group + " out of range [0, " + rowGroupCount() + ")");
    }
    List<FieldVector> vectors = new ArrayList<>();
    try {
      for (String n : names) {
        vectors.add(readColumn(group, node(n), allocator));
      }
      VectorSchemaRoot root = new VectorSchemaRoot(vectors);
      root.setRowCount((int) rowGroupRows(group));
      return root;
    } catch (RuntimeException e) {
      vectors.forEach(FieldVector::close);
      throw e;
    }
  }

  /** Reads every readable column of the whole table, one root per row group, owned by the caller. */
  public List<VectorSchemaRoot> readAll(BufferAllocator allocator) {
    List<VectorSchemaRoot> out = new ArrayList<>();
    List<String> names = schema.getFields().stream().map(Field::getName).toList();
    try {
      for (int g = 0; g < rowGroupCount(); g++) {
        out.add(readRowGroup(g, names, allocator));
      }
      return out;
    } catch (RuntimeException e) {
      out.forEach(VectorSchemaRoot::close);
      throw e;
    }
  }

  /** Reads one (possibly pruned) column node of a row group. */
  FieldVector readColumn(int group, Node node, BufferAllocator allocator) {
    Map<Integer, LeafData> leaves = new HashMap<>();
    try {
      for (Node leaf : node.leaves()) {
        leaves.put(leaf.leafIndex, readLeaf(group, leaf, allocator));
      }
      return Assembler.build(node, leaves, allocator, rowGroupRows(group), "Parquet file '" + location + "' row group " + group);
    } finally {
      leaves.values().forEach(LeafData::close);
    }
  }

  /**
   * Reads row {@code row} as an OME-Arrow image: only the row group holding it and only the
   * resolved column's chunks are read.
   */
  public OmeImage image(long row, String column, BufferAllocator allocator, Consumer<String> warnings) {
    String col = resolveColumn(column, warnings);
    int g = rowGroupOf(row);
    FieldVector v = readColumn(g, node(col), allocator);
    if (!(v instanceof StructVector sv)) {
      v.close();
      throw new FormatException("Column '" + col + "' is not a Struct; got " + v.getField().getType());
    }
    return OmeImage.own(sv, (int) (row - groupStart[g]), sv, new SourceInfo(location, null, rows, col, null, 1));
  }

  ColumnMetaData chunkMeta(int group, Node leaf) {
    String where = "Parquet file '" + location + "' row group " + group + " column '" + leaf.dotted() + "'";
    RowGroup rg = footer.getRow_groups().get(group);
    if (rg.getColumns() == null || leaf.leafIndex >= rg.getColumns().size()) {
      throw new FormatException(where + ": column chunk missing from the footer");
    }
    ColumnChunk cc = rg.getColumns().get(leaf.leafIndex);
    ColumnMetaData md = cc.getMeta_data();
    if (md == null) {
      throw new FormatException(where + ": column chunk has no metadata (external or encrypted chunks are not supported)");
    }
    if (!md.getPath_in_schema().equals(leaf.path)) {
      throw new FormatException(where + ": footer names column path " + md.getPath_in_schema() + " here");
    }
    long start = chunkStart(md);
    if (start < 4 || md.getTotal_compressed_size() < 0 || start + md.getTotal_compressed_size() > footerStart) {
      throw new FormatException(where + ": footer places the column chunk at " + start + "+" + md.getTotal_compressed_size()
          + ", outside the data area [4, " + footerStart + ") (truncated file or lying footer)");
    }
    return md;
  }

  static long chunkStart(ColumnMetaData md) {
    long start = md.getData_page_offset();
    if (md.isSetDictionary_page_offset() && md.getDictionary_page_offset() > 0 && md.getDictionary_page_offset() < start) {
      start = md.getDictionary_page_offset();
    }
    return start;
  }

  LeafData readLeaf(int group, Node leaf, BufferAllocator allocator) {
    ColumnMetaData md = chunkMeta(group, leaf);
    String where = "Parquet file '" + location + "' row group " + group;
    long size = md.getTotal_compressed_size();
    if (size > Integer.MAX_VALUE - 16) {
      throw new FormatException(where + ": column chunk of " + size + " bytes is larger than this reader's 2 GiB limit");
    }
    AutoCloseable chunk = null;
    try {
      MemorySegment bytes = null;
      if (size >= MAP_THRESHOLD) {
        // large chunks are mapped: no buffer to allocate and fault in, no copy out of the page cache
        Arena arena = Arena.ofConfined();
        chunk = arena;
        bytes = input.map(chunkStart(md), size, arena);
      }
      if (bytes == null) {
        release(chunk);
        ArrowBuf buf = input.readNative(chunkStart(md), size, allocator);
        chunk = buf;
        bytes = PageDecoder.segment(buf).asSlice(0, size);
      }
      List<PageDecoder.RawPage> pages = new ArrayList<>();
      PageDecoder.RawPage dict = null;
      long pos = 0;
      long entries = 0;
      SegmentInput in = new SegmentInput(bytes);
      while (pos < size && entries < md.getNum_values()) {
        in.seek(pos);
        PageHeader h;
        try {
          h = Util.readPageHeader(in);
        } catch (IOException | RuntimeException e) {
          throw new FormatException(where + " column '" + leaf.dotted() + "': corrupt page header at offset " + (chunkStart(md) + pos), e);
        }
        long body = in.position();
        int comp = h.getCompressed_page_size();
        if (comp < 0 || body + comp > size) {
          throw new FormatException(where + " column '" + leaf.dotted() + "': page of " + comp + " bytes runs past its column chunk");
        }
        PageDecoder.RawPage p = new PageDecoder.RawPage(h, bytes, body);
        if (h.getType() == PageType.DICTIONARY_PAGE) {
          dict = p;
        } else if (h.getType() == PageType.DATA_PAGE) {
          pages.add(p);
          entries += h.getData_page_header().getNum_values();
        } else if (h.getType() == PageType.DATA_PAGE_V2) {
          pages.add(p);
          entries += h.getData_page_header_v2().getNum_values();
        }
        pos = body + comp;
      }
      if (entries != md.getNum_values()) {
        throw new FormatException(where + " column '" + leaf.dotted() + "': pages hold " + entries + " values, the footer declares "
            + md.getNum_values());
      }
      // the footer's count pre-sizes the level arrays only within what the chunk's bytes can hold
      long hint = Math.min(md.getNum_values(), 64L * size + 4096);
      LeafData d = PageDecoder.decode(leaf, md.getCodec(), dict, pages, allocator, hint, where);
      if (d.binSeg == null) {
        release(chunk); // fixed-width values were decoded into their own buffer
      } else {
        d.own(chunk); // binary values still point into the chunk
      }
      return d;
    } catch (RuntimeException e) {
      release(chunk);
      throw e;
    }
  }

  private static void release(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      throw new IllegalStateException("releasing a Parquet column chunk failed", e);
    }
  }

  /** A data or dictionary page located by walking headers, without reading page bodies. */
  record PageRef(long bodyOffset, PageHeader header, long firstEntry, int entries) {}

  /** Walks the page headers of a column chunk with small reads (page bodies are skipped). */
  List<PageRef> pageRefs(int group, Node leaf) {
    ColumnMetaData md = chunkMeta(group, leaf);
    String where = "Parquet file '" + location + "' row group " + group + " column '" + leaf.dotted() + "'";
    long pos = chunkStart(md);
    long end = pos + md.getTotal_compressed_size();
    long entries = 0;
    List<PageRef> out = new ArrayList<>();
    while (pos < end && entries < md.getNum_values()) {
      int want = (int) Math.min(end - pos, 64);
      PageHeader h = null;
      int used = 0;
      while (h == null) {
        byte[] b = input.read(pos, want);
        ByteArrayInputStream in = new ByteArrayInputStream(b);
        try {
          h = Util.readPageHeader(in);
          used = b.length - in.available();
        } catch (IOException | RuntimeException e) {
          if (want >= end - pos || want >= (1 << 20)) {
            throw new FormatException(where + ": corrupt page header at offset " + pos, e);
          }
          want = (int) Math.min(end - pos, want * 8L);
        }
      }
      long body = pos + used;
      if (h.getCompressed_page_size() < 0 || body + h.getCompressed_page_size() > end) {
        throw new FormatException(where + ": page of " + h.getCompressed_page_size() + " bytes runs past its column chunk");
      }
      int n = h.getType() == PageType.DATA_PAGE ? h.getData_page_header().getNum_values()
          : h.getType() == PageType.DATA_PAGE_V2 ? h.getData_page_header_v2().getNum_values() : 0;
      if (h.getType() == PageType.DICTIONARY_PAGE || n > 0) {
        out.add(new PageRef(body, h, entries, n));
      }
      entries += n;
      pos = body + h.getCompressed_page_size();
    }
    return out;
  }

  /** Reads and decodes the given pages of a leaf (plus its dictionary page when given). */
  LeafData readPages(int group, Node leaf, PageRef dict, List<PageRef> pages, BufferAllocator allocator) {
    return readPages(group, leaf, dict == null ? null : readBody(dict), pages, allocator);
  }

  /** The stored (compressed) body of a page, with its header. */
  PageDecoder.RawPage readBody(PageRef page) {
    return new PageDecoder.RawPage(page.header(),
        MemorySegment.ofArray(input.read(page.bodyOffset(), page.header().getCompressed_page_size())), 0);
  }

  /** As above with the dictionary page already read. */
  LeafData readPages(int group, Node leaf, PageDecoder.RawPage d, List<PageRef> pages, BufferAllocator allocator) {
    ColumnMetaData md = chunkMeta(group, leaf);
    List<PageDecoder.RawPage> raw = new ArrayList<>();
    for (PageRef p : pages) {
      raw.add(readBody(p));
    }
    return PageDecoder.decode(leaf, md.getCodec(), d, raw, allocator, "Parquet file '" + location + "' row group " + group);
  }

  @Override
  public void close() {
    input.close();
  }

  /** Page headers are parsed in place from the chunk's memory. */
  private static final class SegmentInput extends InputStream {
    private final MemorySegment seg;
    private long pos;

    SegmentInput(MemorySegment seg) {
      this.seg = seg;
    }

    void seek(long p) {
      pos = p;
    }

    long position() {
      return pos;
    }

    @Override
    public int read() {
      return pos < seg.byteSize() ? seg.get(ValueLayout.JAVA_BYTE, pos++) & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      long left = seg.byteSize() - pos;
      if (left <= 0) {
        return -1;
      }
      int n = (int) Math.min(len, left);
      MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, pos, b, off, n);
      pos += n;
      return n;
    }

    @Override
    public int available() {
      return (int) Math.min(Integer.MAX_VALUE, seg.byteSize() - pos);
    }
  }
}
