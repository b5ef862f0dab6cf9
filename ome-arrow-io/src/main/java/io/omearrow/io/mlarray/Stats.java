package io.omearrow.io.mlarray;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * mlarray's intensity statistics; every field may be null.
 *
 * @param min minimum
 * @param max maximum
 * @param mean mean
 * @param median median
 * @param std standard deviation
 * @param percentileMin lower percentile value
 * @param percentileMax upper percentile value
 * @param percentileMean mean between the percentiles
 * @param percentileMedian median between the percentiles
 * @param percentileStd standard deviation between the percentiles
 * @param percentileMinKey the lower percentile (e.g. 0.5)
 * @param percentileMaxKey the upper percentile (e.g. 99.5)
 */
public record Stats(Double min, Double max, Double mean, Double median, Double std, Double percentileMin,
    Double percentileMax, Double percentileMean, Double percentileMedian, Double percentileStd,
    Double percentileMinKey, Double percentileMaxKey) {

  static final List<String> KEYS = List.of("min", "max", "mean", "median", "std", "percentile_min", "percentile_max",
      "percentile_mean", "percentile_median", "percentile_std", "percentile_min_key", "percentile_max_key");

  /** No statistics. */
  public static Stats empty() {
    return new Stats(null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /** Statistics with only min and max. */
  public static Stats ofRange(double min, double max) {
    return new Stats(min, max, null, null, null, null, null, null, null, null, null, null);
  }

  static Stats fromMapping(Object raw, String where) {
    if (raw == null) {
      return empty();
    }
    Map<String, Object> m = Values.map(raw, where, "stats");
    Values.onlyKeys(m, where, "stats", KEYS);
    Double[] v = new Double[KEYS.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = Values.num(m.get(KEYS.get(i)), where, "stats." + KEYS.get(i));
    }
    return new Stats(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11]);
  }

  Map<String, Object> toMapping(boolean full) {
    Double[] v = {min, max, mean, median, std, percentileMin, percentileMax, percentileMean, percentileMedian,
        percentileStd, percentileMinKey, percentileMaxKey};
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < v.length; i++) {
      Spatial.put(m, KEYS.get(i), v[i], full);
    }
    return m;
  }
}
