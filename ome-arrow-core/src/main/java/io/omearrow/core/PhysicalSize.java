package io.omearrow.core;

/**
 * A physical pixel size along one axis: value and unit (the Python default unit is "µm").
 */
public record PhysicalSize(double value, String unit) {
  /** The micrometre unit as the Python package writes it (U+00B5). */
  public static final String MICROMETER = "\u00b5m";

  public static PhysicalSize um(double value) {
    return new PhysicalSize(value, MICROMETER);
  }
}
