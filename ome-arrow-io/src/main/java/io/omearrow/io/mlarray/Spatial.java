package io.omearrow.io.mlarray;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * mlarray's spatial metadata: geometry of the spatial axes and the role of every axis.
 *
 * @param spacing voxel spacing per spatial axis, or null
 * @param origin world position of the first voxel per spatial axis, or null
 * @param direction spatial-axes direction cosines (sdims x sdims), or null
 * @param affine homogeneous (sdims+1)^2 matrix; exclusive with spacing/origin/direction
 * @param shape the array shape (refreshed from the array on open)
 * @param axisLabels one label per array axis ({@code spatial_z}, {@code channel}, ...), or null
 *     meaning every axis is spatial
 * @param coordSystem "RAS", "LPS", ... or null (newer than mlarray 0.0.53; written only when set)
 * @param axisUnits one unit string per axis, or null
 */
public record Spatial(List<Double> spacing, List<Double> origin, List<List<Double>> direction,
    List<List<Double>> affine, List<Long> shape, List<String> axisLabels, String coordSystem, List<String> axisUnits) {

  /** The labels mlarray counts as spatial. */
  public static final Set<String> SPATIAL_LABELS = Set.of("spatial", "spatial_x", "spatial_y", "spatial_z");

  static final List<String> KEYS = List.of("spacing", "origin", "direction", "affine", "shape", "axis_labels",
      "coord_system", "axis_units", "_num_spatial_axes", "_num_non_spatial_axes");

  /** Copies the lists. */
  public Spatial {
    spacing = spacing == null ? null : List.copyOf(spacing);
    origin = origin == null ? null : List.copyOf(origin);
    direction = direction == null ? null : direction.stream().map(List::copyOf).toList();
    affine = affine == null ? null : affine.stream().map(List::copyOf).toList();
    shape = shape == null ? null : List.copyOf(shape);
    axisLabels = axisLabels == null ? null : List.copyOf(axisLabels);
    axisUnits = axisUnits == null ? null : List.copyOf(axisUnits);
  }

  /** No spatial information. */
  public static Spatial empty() {
    return new Spatial(null, null, null, null, null, null, null, null);
  }

  /** A copy with another shape. */
  public Spatial withShape(List<Long> s) {
    return new Spatial(spacing, origin, direction, affine, s, axisLabels, coordSystem, axisUnits);
  }

  /** A copy with spacing. */
  public Spatial withSpacing(List<Double> s) {
    return new Spatial(s, origin, direction, affine, shape, axisLabels, coordSystem, axisUnits);
  }

  /** A copy with axis labels. */
  public Spatial withAxisLabels(List<String> labels) {
    return new Spatial(spacing, origin, direction, affine, shape, labels, coordSystem, axisUnits);
  }

  /** A copy with axis units. */
  public Spatial withAxisUnits(List<String> units) {
    return new Spatial(spacing, origin, direction, affine, shape, axisLabels, coordSystem, units);
  }

  /** Whether axis {@code i} is spatial (true for every axis when there are no labels). */
  public boolean isSpatial(int i) {
    return axisLabels == null || SPATIAL_LABELS.contains(axisLabels.get(i));
  }

  /** Number of spatial axes for an array of rank {@code ndims}. */
  public int spatialAxes(int ndims) {
    if (axisLabels == null) {
      return ndims;
    }
    int n = 0;
    for (String l : axisLabels) {
      n += SPATIAL_LABELS.contains(l) ? 1 : 0;
    }
    return n;
  }

  static Spatial fromMapping(Object raw, String where) {
    if (raw == null) {
      return empty();
    }
    Map<String, Object> m = Values.map(raw, where, "spatial");
    Values.onlyKeys(m, where, "spatial", KEYS);
    return new Spatial(Values.nums(m.get("spacing"), where, "spatial.spacing"),
        Values.nums(m.get("origin"), where, "spatial.origin"),
        Values.matrix(m.get("direction"), where, "spatial.direction"),
        Values.matrix(m.get("affine"), where, "spatial.affine"),
        Values.longs(m.get("shape"), where, "spatial.shape"),
        Values.strings(m.get("axis_labels"), where, "spatial.axis_labels"),
        Values.string(m.get("coord_system"), where, "spatial.coord_system"),
        Values.strings(m.get("axis_units"), where, "spatial.axis_units"));
  }

  /** Checks the rules mlarray applies on load, for an array of rank {@code ndims}. */
  void validate(int ndims, String where) {
    if (axisLabels != null && axisLabels.size() != ndims) {
      throw Values.bad(where, "spatial.axis_labels", "has " + axisLabels.size() + " entries for a " + ndims + "-D array");
    }
    int sd = spatialAxes(ndims);
    checkLen(spacing, sd, where, "spatial.spacing");
    checkLen(origin, sd, where, "spatial.origin");
    if (direction != null) {
      checkLen(direction, sd, where, "spatial.direction");
      for (List<Double> row : direction) {
        checkLen(row, sd, where, "spatial.direction row");
      }
    }
    if (affine != null) {
      if (spacing != null || origin != null || direction != null) {
        throw Values.bad(where, "spatial.affine", "cannot be combined with spacing, origin or direction "
            + "(mlarray raises ValueError); keep one of the two descriptions");
      }
      checkLen(affine, sd + 1, where, "spatial.affine");
      for (List<Double> row : affine) {
        checkLen(row, sd + 1, where, "spatial.affine row");
      }
    }
    if (shape != null && shape.size() != ndims) {
      throw Values.bad(where, "spatial.shape", "has " + shape.size() + " entries for a " + ndims + "-D array");
    }
  }

  private static void checkLen(List<?> l, int n, String where, String field) {
    if (l != null && l.size() != n) {
      throw Values.bad(where, field, "has " + l.size() + " entries, expected " + n + " (one per spatial axis)");
    }
  }

  Map<String, Object> toMapping(boolean full) {
    Map<String, Object> m = new LinkedHashMap<>();
    put(m, "spacing", spacing, full);
    put(m, "origin", origin, full);
    put(m, "direction", direction, full);
    put(m, "affine", affine, full);
    put(m, "shape", shape, full);
    put(m, "axis_labels", axisLabels, full);
    put(m, "coord_system", coordSystem, full);
    put(m, "axis_units", axisUnits, full);
    Integer ns = axisLabels == null ? null : spatialAxes(axisLabels.size());
    put(m, "_num_spatial_axes", ns, full);
    put(m, "_num_non_spatial_axes", ns == null ? null : axisLabels.size() - ns, full);
    return m;
  }

  static void put(Map<String, Object> m, String k, Object v, boolean full) {
    if (v != null || full) {
      m.put(k, v);
    }
  }
}
