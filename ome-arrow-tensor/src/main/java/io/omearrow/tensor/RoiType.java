package io.omearrow.tensor;

import io.omearrow.core.SelectionException;

/**
 * How the values of an N-d ROI ({@code roi_nd}) are read; minima inclusive, maxima exclusive:
 * <ul>
 *   <li>{@link #TWO_D} "2d": (ymin, xmin, ymax, xmax)</li>
 *   <li>{@link #TWO_D_TIMELAPSE} "2d_timelapse": (tmin, ymin, xmin, tmax, ymax, xmax)</li>
 *   <li>{@link #THREE_D} "3d": (zmin, ymin, xmin, zmax, ymax, xmax)</li>
 *   <li>{@link #FOUR_D} "4d": (tmin, zmin, ymin, xmin, tmax, zmax, ymax, xmax)</li>
 * </ul>
 */
public enum RoiType {
  TWO_D("2d", 4, false, false),
  TWO_D_TIMELAPSE("2d_timelapse", 6, true, false),
  THREE_D("3d", 6, false, true),
  FOUR_D("4d", 8, true, true);

  private final String label;
  private final int count;
  private final boolean time;
  private final boolean depth;

  RoiType(String label, int count, boolean time, boolean depth) {
    this.label = label;
    this.count = count;
    this.time = time;
    this.depth = depth;
  }

  /** The reference's name ("2d", "2d_timelapse", "3d", "4d"). */
  public String label() {
    return label;
  }

  /** How many values this type takes. */
  public int valueCount() {
    return count;
  }

  /** True when the values carry time bounds. */
  public boolean hasTime() {
    return time;
  }

  /** True when the values carry depth (z) bounds. */
  public boolean hasDepth() {
    return depth;
  }

  /** Parses a name (stripped, case-insensitive); unknown → {@code "Unsupported roi_type: 'x'."}. */
  public static RoiType fromName(String name) {
    String n = name == null ? "" : name.strip().toLowerCase(java.util.Locale.ROOT);
    for (RoiType t : values()) {
      if (t.label.equals(n)) {
        return t;
      }
    }
    throw new SelectionException("Unsupported roi_type: '" + name + "'.");
  }

  @Override
  public String toString() {
    return label;
  }
}
