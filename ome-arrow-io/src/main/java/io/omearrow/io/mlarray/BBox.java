package io.omearrow.io.mlarray;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bounding boxes attached to an mlarray image.
 *
 * @param bboxes boxes, each one {@code [min, max]} pair per dimension, or null
 * @param scores one score per box, or null
 * @param labels one label (string or number) per box, or null
 */
public record BBox(List<List<List<Double>>> bboxes, List<Double> scores, List<Object> labels) {
  static final List<String> KEYS = List.of("bboxes", "scores", "labels");

  /** Copies the lists. */
  public BBox {
    bboxes = bboxes == null ? null : bboxes.stream().map(b -> b.stream().map(List::copyOf).toList()).toList();
    scores = scores == null ? null : List.copyOf(scores);
    labels = labels == null ? null : List.copyOf(labels);
  }

  /** No boxes. */
  public static BBox empty() {
    return new BBox(null, null, null);
  }

  static BBox fromMapping(Object raw, String where) {
    if (raw == null) {
      return empty();
    }
    Map<String, Object> m = Values.map(raw, where, "bbox");
    Values.onlyKeys(m, where, "bbox", KEYS);
    List<List<List<Double>>> boxes = null;
    if (m.get("bboxes") != null) {
      boxes = Values.list(m.get("bboxes"), where, "bbox.bboxes").stream()
          .map(b -> Values.matrix(b, where, "bbox.bboxes")).toList();
      for (List<List<Double>> b : boxes) {
        for (List<Double> pair : b) {
          if (pair.size() != 2) {
            throw Values.bad(where, "bbox.bboxes", "needs one [min, max] pair per dimension, got " + pair);
          }
        }
      }
    }
    List<Double> scores = Values.nums(m.get("scores"), where, "bbox.scores");
    List<Object> labels = null;
    if (m.get("labels") != null) {
      labels = List.copyOf(Values.list(m.get("labels"), where, "bbox.labels"));
      for (Object l : labels) {
        if (!(l instanceof String || (l instanceof Number && !(l instanceof Boolean)))) {
          throw Values.bad(where, "bbox.labels", "must hold strings or numbers, got " + Values.describe(l));
        }
      }
    }
    int n = boxes == null ? 0 : boxes.size();
    if (scores != null && scores.size() != n || labels != null && labels.size() != n) {
      throw Values.bad(where, "bbox", "scores and labels need one entry per box (" + n + " boxes)");
    }
    return new BBox(boxes, scores, labels);
  }

  Map<String, Object> toMapping(boolean full) {
    Map<String, Object> m = new LinkedHashMap<>();
    Spatial.put(m, "bboxes", bboxes, full);
    Spatial.put(m, "scores", scores, full);
    Spatial.put(m, "labels", labels, full);
    return m;
  }
}
