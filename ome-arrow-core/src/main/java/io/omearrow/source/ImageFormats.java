package io.omearrow.source;

import io.omearrow.core.FormatException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The registry of {@link ImageFormat} providers on the class path: picks the format for a
 * location by its name and opens or writes it.
 */
public final class ImageFormats {
  private static volatile List<ImageFormat> formats;

  private ImageFormats() {}

  /** Every registered format, in class-path order. */
  public static List<ImageFormat> all() {
    List<ImageFormat> f = formats;
    if (f == null) {
      List<ImageFormat> found = new ArrayList<>();
      ServiceLoader.load(ImageFormat.class, ImageFormats.class.getClassLoader()).forEach(found::add);
      formats = f = List.copyOf(found);
    }
    return f;
  }

  /** The format that reads the location. */
  public static ImageFormat forReading(String location) {
    for (ImageFormat f : all()) {
      if (f.canOpen(location)) {
        return f;
      }
    }
    throw new FormatException("cannot read '" + location + "': no reader for this kind of file (readers: "
        + all().stream().map(ImageFormat::name).toList() + "); check the file name and suffix");
  }

  /** The format that writes the location. */
  public static ImageFormat forWriting(String location) {
    for (ImageFormat f : all()) {
      if (f.canWrite(location)) {
        return f;
      }
    }
    throw new FormatException("cannot write '" + location + "': no writer for this suffix (writers: "
        + all().stream().filter(x -> x.canWrite("x." + x.name())).map(ImageFormat::name).toList() + ")");
  }

  /** Opens a location with the format its name selects. */
  public static ImageSource open(String location, OpenOptions options, BufferAllocator allocator) {
    return forReading(location).open(location, options, allocator);
  }

  /** Writes images with the format the target's name selects; returns the writer's warnings. */
  public static List<String> write(List<? extends ImageSource> images, String location, WriteOptions options, BufferAllocator allocator) {
    return forWriting(location).write(images, location, options, allocator);
  }

  /** The lower-case file name of a location (its last path element). */
  public static String fileName(String location) {
    String s = location;
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    int i = s.lastIndexOf('/');
    return (i >= 0 ? s.substring(i + 1) : s).toLowerCase(java.util.Locale.ROOT);
  }
}
