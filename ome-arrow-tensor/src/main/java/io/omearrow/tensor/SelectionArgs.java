package io.omearrow.tensor;

import io.omearrow.core.FormatException;
import io.omearrow.core.PixelType;
import io.omearrow.core.SelectionException;

/**
 * A selection spelled as command-line text (the {@code view}/{@code tiles} options of the
 * {@code ome-arrow} command): SEL strings for t/z/c ({@code 2}, {@code -1}, {@code 1:5:2},
 * {@code 0,2,2}), comma lists for the ROI forms, and names for layout, dtype and channel policy.
 * Null fields mean "not given". {@link #toSelection()} parses everything, naming the option in
 * every error.
 */
public record SelectionArgs(
    String t, String z, String c, String roi, String roi3d, String roiNd, String roiType, String tile,
    String layout, String dtype, String channelPolicy) {

  /** Parses the text into a {@link Selection} (not yet checked against an image). */
  public Selection toSelection() {
    Selection s = Selection.all();
    if (t != null) {
      s = s.withT(IndexSelection.parse(t, "--t"));
    }
    if (z != null) {
      s = s.withZ(IndexSelection.parse(z, "--z"));
    }
    if (c != null) {
      s = s.withC(IndexSelection.parse(c, "--c"));
    }
    if (roi != null) {
      int[] v = ints(roi, "--roi");
      if (v.length != 4) {
        throw new SelectionException("--roi: expected X,Y,W,H (4 integers), got '" + roi + "'");
      }
      s = s.withRoi(Roi.of(v[0], v[1], v[2], v[3]));
    }
    if (roi3d != null) {
      s = s.withRoi3d(ints(roi3d, "--roi3d"));
    }
    if (roiNd != null) {
      s = s.withRoiNd(ints(roiNd, "--roi-nd"));
    }
    if (roiType != null) {
      s = s.withRoiType(roiType);
    }
    if (tile != null) {
      s = s.withTile(ints(tile, "--tile"));
    }
    if (layout != null) {
      s = s.withLayout(layout);
    }
    if (dtype != null) {
      try {
        s = s.withDtype(PixelType.fromName(dtype));
      } catch (FormatException e) {
        throw new SelectionException("--dtype: " + e.getMessage());
      }
    }
    if (channelPolicy != null) {
      s = s.withChannelPolicy(ChannelPolicy.parse(channelPolicy));
    }
    return s;
  }

  /**
   * Parses a comma list of integers such as {@code 1,2,3}.
   *
   * @param what the option name used in the error message
   */
  public static int[] ints(String text, String what) {
    String[] parts = text.strip().split(",", -1);
    int[] v = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        v[i] = Integer.parseInt(parts[i].strip());
      } catch (NumberFormatException e) {
        throw new SelectionException(what + ": expected comma-separated integers, got '" + text + "'");
      }
    }
    return v;
  }
}
