package io.omearrow.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.omearrow.core.Channel;
import io.omearrow.core.ChunkGrid;
import io.omearrow.core.ImageMetadata;
import io.omearrow.core.PhysicalSize;
import io.omearrow.core.PixelsMeta;
import io.omearrow.source.ImageSource;
import io.omearrow.source.SourceInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ome-arrow info}: describes an image without reading its pixels. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Describe an image (shape, dtype, physical sizes, channels, storage).")
public final class InfoCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "PATH", description = "input file, dataset directory or stack pattern")
  String path;

  @Mixin
  SourceOptions source;

  @Option(names = "--json", description = "print one JSON object")
  boolean json;

  @Override
  public Integer call() throws Exception {
    try (BufferAllocator allocator = new RootAllocator(); ImageSource src = source.open(path, allocator)) {
      Map<String, Object> d = describe(src);
      if (json) {
        System.out.println(new ObjectMapper().writeValueAsString(d));
      } else {
        System.out.print(human(path, d));
      }
    }
    return 0;
  }

  /** The fields of shared/CLI.md's {@code info --json}. */
  public static Map<String, Object> describe(ImageSource src) {
    ImageMetadata md = src.metadata();
    PixelsMeta p = md.pixels();
    SourceInfo info = src.info();
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("shape", List.of(p.sizeT(), p.sizeC(), p.sizeZ(), p.sizeY(), p.sizeX()));
    d.put("dtype", p.pixelType().numpyName());
    Map<String, Object> sizes = new LinkedHashMap<>();
    Map<String, Object> units = new LinkedHashMap<>();
    put(sizes, units, "x", p.physicalSizeX());
    put(sizes, units, "y", p.physicalSizeY());
    put(sizes, units, "z", p.physicalSizeZ());
    d.put("physical_size", sizes);
    d.put("units", units);
    List<String> names = new ArrayList<>();
    for (Channel c : p.channels()) {
      names.add(c.name());
    }
    d.put("channels", names);
    ChunkGrid g = md.chunkGrid();
    Map<String, Object> grid = null;
    if (g != null) {
      grid = new LinkedHashMap<>();
      grid.put("z", g.chunkZ());
      grid.put("y", g.chunkY());
      grid.put("x", g.chunkX());
    }
    d.put("chunk_grid", grid);
    d.put("encoding", info.encoding());
    d.put("rows", info.rows());
    d.put("column", info.column());
    d.put("schema", info.schema());
    d.put("series", info.series());
    d.put("id", md.id());
    d.put("name", md.name());
    return d;
  }

  private static void put(Map<String, Object> sizes, Map<String, Object> units, String axis, PhysicalSize s) {
    sizes.put(axis, s == null ? null : s.value());
    units.put(axis, s == null ? null : s.unit());
  }

  private static String human(String path, Map<String, Object> d) {
    @SuppressWarnings("unchecked")
    List<Integer> s = (List<Integer>) d.get("shape");
    StringBuilder sb = new StringBuilder();
    sb.append("file:          ").append(path).append('\n');
    sb.append("shape (TCZYX): T=").append(s.get(0)).append(" C=").append(s.get(1)).append(" Z=").append(s.get(2))
        .append(" Y=").append(s.get(3)).append(" X=").append(s.get(4)).append('\n');
    sb.append("dtype:         ").append(d.get("dtype")).append('\n');
    sb.append("physical size: ").append(d.get("physical_size")).append(' ').append(d.get("units")).append('\n');
    sb.append("channels:      ").append(d.get("channels")).append('\n');
    sb.append("chunk grid:    ").append(d.get("chunk_grid") == null ? "none" : d.get("chunk_grid")).append('\n');
    sb.append("encoding:      ").append(d.get("encoding"));
    if (d.get("schema") != null) {
      sb.append(" (schema ").append(d.get("schema")).append(", column ").append(d.get("column")).append(", ").append(d.get("rows")).append(" rows)");
    }
    sb.append('\n');
    if (!Integer.valueOf(1).equals(d.get("series"))) {
      sb.append("series:        ").append(d.get("series")).append('\n');
    }
    return sb.toString();
  }
}
