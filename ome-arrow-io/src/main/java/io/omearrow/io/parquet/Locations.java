package io.omearrow.io.parquet;

import java.util.regex.Pattern;

/** Location helpers: local paths versus {@code scheme://} URIs handled by Hadoop. */
final class Locations {
  private static final Pattern URI = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://.*");

  private Locations() {}

  /** True for {@code scheme://...} locations (hdfs, s3a, file, ...). */
  static boolean isUri(String location) {
    return URI.matcher(location).matches();
  }
}
