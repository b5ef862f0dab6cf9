package io.omearrow.tensor;

import io.omearrow.core.PixelConverter;
import io.omearrow.core.PixelType;
import java.util.Arrays;

/**
 * Everything a view is asked for, as given and not yet checked against an image: t/z/c
 * selections, one ROI form (roi, roi3d, roi_nd + roi_type, or tile), layout, dtype with its
 * conversion rule, and channel policy: the keyword arguments of the reference's
 * {@code TensorView(...)}. An immutable value; each {@code withX} returns a copy. It is resolved
 * (and every check of reference §4.3 runs, in the reference's order) by
 * {@link TensorView#of(io.omearrow.source.ImageSource, Selection)} or at
 * {@link LazyTensorView#collect()}.
 *
 * <p>Null means "not given": all indices for t/z/c, the full frame for the ROI, the reference's
 * default layout, the source's pixel type.
 */
public final class Selection {
  private static final Selection NONE = new Selection(null, null, null, null, null, null, null, null, null, null,
      PixelConverter.Rule.WRAP, ChannelPolicy.ERROR);

  private final IndexSelection t;
  private final IndexSelection z;
  private final IndexSelection c;
  private final Roi roi;
  private final int[] roi3d;
  private final int[] roiNd;
  private final String roiType;
  private final int[] tile;
  private final String layout;
  private final PixelType dtype;
  private final PixelConverter.Rule rule;
  private final ChannelPolicy channelPolicy;

  private Selection(IndexSelection t, IndexSelection z, IndexSelection c, Roi roi, int[] roi3d, int[] roiNd, String roiType,
      int[] tile, String layout, PixelType dtype, PixelConverter.Rule rule, ChannelPolicy channelPolicy) {
    this.t = t;
    this.z = z;
    this.c = c;
    this.roi = roi;
    this.roi3d = roi3d;
    this.roiNd = roiNd;
    this.roiType = roiType;
    this.tile = tile;
    this.layout = layout;
    this.dtype = dtype;
    this.rule = rule;
    this.channelPolicy = channelPolicy;
  }

  /** Nothing selected yet: the whole image, default layout, source dtype, channel policy error. */
  public static Selection all() {
    return NONE;
  }

  public IndexSelection t() {
    return t;
  }

  public IndexSelection z() {
    return z;
  }

  public IndexSelection c() {
    return c;
  }

  public Roi roi() {
    return roi;
  }

  public int[] roi3d() {
    return roi3d == null ? null : roi3d.clone();
  }

  public int[] roiNd() {
    return roiNd == null ? null : roiNd.clone();
  }

  public String roiType() {
    return roiType;
  }

  public int[] tile() {
    return tile == null ? null : tile.clone();
  }

  /** The layout string as given (null: the reference's default). */
  public String layout() {
    return layout;
  }

  /** The requested element type (null: the source's pixel type). */
  public PixelType dtype() {
    return dtype;
  }

  /** How values that do not fit {@link #dtype()} are converted (default WRAP, NumPy's astype). */
  public PixelConverter.Rule conversion() {
    return rule;
  }

  public ChannelPolicy channelPolicy() {
    return channelPolicy;
  }

  public Selection withT(IndexSelection s) {
    return new Selection(s, z, c, roi, roi3d, roiNd, roiType, tile, layout, dtype, rule, channelPolicy);
  }

  public Selection withZ(IndexSelection s) {
    return new Selection(t, s, c, roi, roi3d, roiNd, roiType, tile, layout, dtype, rule, channelPolicy);
  }

  public Selection withC(IndexSelection s) {
    return new Selection(t, z, s, roi, roi3d, roiNd, roiType, tile, layout, dtype, rule, channelPolicy);
  }

  /** Shortcut for {@code withT(IndexSelection.index(i))}. */
  public Selection t(int i) {
    return withT(IndexSelection.index(i));
  }

  /** Shortcut for {@code withZ(IndexSelection.index(i))}. */
  public Selection z(int i) {
    return withZ(IndexSelection.index(i));
  }

  /** Shortcut for {@code withC(IndexSelection.index(i))}. */
  public Selection c(int i) {
    return withC(IndexSelection.index(i));
  }

  public Selection withRoi(Roi r) {
    return new Selection(t, z, c, r, roi3d, roiNd, roiType, tile, layout, dtype, rule, channelPolicy);
  }

  /** roi3d = (x, y, z, w, h, d): roi (x, y, w, h) and z = z..z+d. */
  public Selection withRoi3d(int... xyzwhd) {
    return new Selection(t, z, c, roi, xyzwhd == null ? null : xyzwhd.clone(), roiNd, roiType, tile, layout, dtype, rule, channelPolicy);
  }

  /** roi_nd values; their meaning depends on {@link #withRoiType}. */
  public Selection withRoiNd(int... values) {
    return new Selection(t, z, c, roi, roi3d, values == null ? null : values.clone(), roiType, tile, layout, dtype, rule, channelPolicy);
  }

  /** roi_type name ("2d", "2d_timelapse", "3d", "4d"); null: inferred from the value count. */
  public Selection withRoiType(String type) {
    return new Selection(t, z, c, roi, roi3d, roiNd, type, tile, layout, dtype, rule, channelPolicy);
  }

  /** tile = (tile_y, tile_x) on the chunk grid. */
  public Selection withTile(int... tyTx) {
    return new Selection(t, z, c, roi, roi3d, roiNd, roiType, tyTx == null ? null : tyTx.clone(), layout, dtype, rule, channelPolicy);
  }

  /** Layout string (null or "" for the default). */
  public Selection withLayout(String l) {
    return new Selection(t, z, c, roi, roi3d, roiNd, roiType, tile, l, dtype, rule, channelPolicy);
  }

  /** Element type of the tensor (null: the source's), converted with the WRAP rule. */
  public Selection withDtype(PixelType d) {
    return new Selection(t, z, c, roi, roi3d, roiNd, roiType, tile, layout, d, rule, channelPolicy);
  }

  /** Element type and conversion rule (WRAP as NumPy's astype, or CLAMP to the target range). */
  public Selection withDtype(PixelType d, PixelConverter.Rule r) {
    return new Selection(t, z, c, roi, roi3d, roiNd, roiType, tile, layout, d, r == null ? PixelConverter.Rule.WRAP : r, channelPolicy);
  }

  public Selection withChannelPolicy(ChannelPolicy p) {
    return new Selection(t, z, c, roi, roi3d, roiNd, roiType, tile, layout, dtype, rule, p == null ? ChannelPolicy.ERROR : p);
  }

  @Override
  public String toString() {
    return "Selection[t=" + t + ", z=" + z + ", c=" + c + ", roi=" + roi + ", roi3d=" + Arrays.toString(roi3d) + ", roiNd="
        + Arrays.toString(roiNd) + ", roiType=" + roiType + ", tile=" + Arrays.toString(tile) + ", layout=" + layout + ", dtype="
        + dtype + ", conversion=" + rule + ", channelPolicy=" + channelPolicy + "]";
  }
}
