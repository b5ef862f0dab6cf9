package io.omearrow.ipc;

import io.omearrow.core.OmeImage;
import io.omearrow.core.OmeImageBuilder;
import io.omearrow.source.ImageFormat;
import io.omearrow.source.ImageFormats;
import io.omearrow.source.ImageSource;
import io.omearrow.source.OpenOptions;
import io.omearrow.source.WriteOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The Arrow IPC format provider ({@code .arrow}, {@code .arrows}, {@code .feather}, {@code .ipc}):
 * one image per row of an OME-Arrow struct column.
 */
public final class ArrowIpcFormat implements ImageFormat {
  private static final List<String> SUFFIXES = List.of(".arrow", ".arrows", ".feather", ".ipc");

  @Override
  public String name() {
    return "arrow";
  }

  @Override
  public boolean canOpen(String location) {
    String n = ImageFormats.fileName(location);
    return SUFFIXES.stream().anyMatch(n::endsWith);
  }

  @Override
  public boolean canWrite(String location) {
    return canOpen(location);
  }

  @Override
  public ImageSource open(String location, OpenOptions options, BufferAllocator allocator) {
    OmeTable table = ArrowIpc.read(Path.of(location), allocator);
    try {
      return table.takeImage(options.column(), options.row());
    } catch (RuntimeException e) {
      table.close();
      throw e;
    }
  }

  @Override
  public List<String> write(List<? extends ImageSource> images, String location, WriteOptions options, BufferAllocator allocator) {
    List<OmeImage> built = new ArrayList<>();
    List<OmeImage> toWrite = new ArrayList<>();
    try {
      for (ImageSource src : images) {
        boolean reuse = src instanceof OmeImage img && options.pixelType() == null
            && (toWrite.isEmpty() || toWrite.get(0).vector().getField().getChildren().equals(img.vector().getField().getChildren()));
        if (reuse) {
          toWrite.add((OmeImage) src);
        } else {
          var md = src.metadata();
          if (options.pixelType() != null) {
            md = md.withPixels(md.pixels().withPixelType(options.pixelType()));
          }
          OmeImage img = OmeImageBuilder.of(md).options(options).fromSource(src, allocator);
          built.add(img);
          toWrite.add(img);
        }
      }
      ArrowIpc.write(Path.of(location), toWrite, options.column(), null, allocator);
      return List.of();
    } finally {
      built.forEach(OmeImage::close);
    }
  }
}
