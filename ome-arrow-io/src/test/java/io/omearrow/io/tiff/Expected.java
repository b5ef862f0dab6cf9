package io.omearrow.io.tiff;

import io.omearrow.testing.TestData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expected shape, dtype and SHA-256 checksums of a fixture, from testdata/generated/manifest.json
 * or from the test resource tiff-expected.json (computed with tifffile 2026.3.3 for the fixtures
 * that have no manifest). Both files are flat JSON objects of flat entries, read with a regex.
 */
public record Expected(long[] shape, String dtype, String sha256All, List<String> planeSha256) {

  public static Expected of(String relative) {
    try {
      String json;
      String key;
      if (relative.startsWith("generated/")) {
        json = Files.readString(TestData.path("generated/manifest.json"), StandardCharsets.UTF_8);
        key = relative.substring("generated/".length());
      } else {
        try (InputStream in = Expected.class.getResourceAsStream("/tiff-expected.json")) {
          json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        key = relative;
      }
      int at = json.indexOf("\"" + key + "\": {");
      if (at < 0) {
        throw new IllegalStateException("no expectations for " + relative);
      }
      String entry = json.substring(at, json.indexOf("\n }", at));
      String axes = str(entry, "axes");
      long[] raw = nums(array(entry, "shape"));
      long[] shape = {1, 1, 1, 1, 1};
      for (int i = 0; i < axes.length(); i++) {
        shape["TCZYX".indexOf(axes.charAt(i))] = raw[i];
      }
      List<String> planes = new ArrayList<>();
      Matcher m = Pattern.compile("\"([0-9a-f]{64})\"").matcher(array(entry, "plane_sha256"));
      while (m.find()) {
        planes.add(m.group(1));
      }
      return new Expected(shape, str(entry, "dtype"), str(entry, "sha256_all"), planes);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String str(String entry, String field) {
    Matcher m = Pattern.compile("\"" + field + "\": \"([^\"]*)\"").matcher(entry);
    if (!m.find()) {
      throw new IllegalStateException("no " + field);
    }
    return m.group(1);
  }

  private static String array(String entry, String field) {
    int a = entry.indexOf("\"" + field + "\": [");
    return entry.substring(a, entry.indexOf(']', a));
  }

  private static long[] nums(String array) {
    Matcher m = Pattern.compile("(\\d+)[,\\s]").matcher(array.substring(array.indexOf('[') + 1) + ",");
    List<Long> v = new ArrayList<>();
    while (m.find()) {
      v.add(Long.parseLong(m.group(1)));
    }
    return v.stream().mapToLong(Long::longValue).toArray();
  }
}
