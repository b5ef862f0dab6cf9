package io.omearrow.cli;

import io.omearrow.source.ImageFormats;
import io.omearrow.source.ImageSource;
import io.omearrow.source.OpenOptions;
import org.apache.arrow.memory.BufferAllocator;
import picocli.CommandLine.Option;

/** The options that pick an image inside an input (shared by info, convert, view, tiles). */
public final class SourceOptions {
  @Option(names = "--column", paramLabel = "NAME", description = "OME-Arrow struct column of a table (default: ome_arrow, then auto-detection)")
  String column;

  @Option(names = "--row", paramLabel = "N", defaultValue = "0", description = "row of a table, or image of a dataset (default 0)")
  long row;

  @Option(names = "--series", paramLabel = "N", defaultValue = "0", description = "image of a multi-image source such as an OME-TIFF (default 0)")
  int series;

  @Option(names = "--axes", paramLabel = "AXES", description = "axis letters of a .npy input, e.g. TCZYX or ZYX (default: by rank)")
  String axes;

  @Option(names = "--clamp-uint16", description = "ingest like the Python package: clip values to [0, 65535] and store uint16")
  boolean clampToUint16;

  /** The open options these flags describe. */
  public OpenOptions toOpenOptions() {
    return OpenOptions.defaults().withColumn(column).withRow(row).withSeries(series).withAxes(axes).withClampToUint16(clampToUint16);
  }

  /** Opens the input with the format its name selects. */
  public ImageSource open(String location, BufferAllocator allocator) {
    return ImageFormats.open(location, toOpenOptions(), allocator);
  }
}
