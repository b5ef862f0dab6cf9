package io.omearrow.tensor;

import io.omearrow.core.ChunkGrid;
import io.omearrow.core.PixelsMeta;
import io.omearrow.core.SelectionException;

/**
 * A selection checked against an image: the t, z and c index lists and the 2-D ROI. Built by
 * {@link #of}, which runs the reference's checks in its order: roi_nd, roi3d, index
 * normalisation, roi/tile conflict, tile, final ROI bounds.
 */
record Resolved(int[] t, int[] z, int[] c, Roi roi) {

  static Resolved of(PixelsMeta p, ChunkGrid grid, Selection s) {
    IndexSelection t = s.t();
    IndexSelection z = s.z();
    Roi roi = s.roi();
    int[] tile = s.tile();
    int[] nd = s.roiNd();
    if (nd != null) {
      if (roi != null || s.roi3d() != null || tile != null) {
        throw new SelectionException("Provide only one of roi_nd, roi3d, roi, or tile.");
      }
      RoiType type;
      if (s.roiType() == null) {
        type = switch (nd.length) {
          case 4 -> RoiType.TWO_D;
          case 8 -> RoiType.FOUR_D;
          case 6 -> throw new SelectionException("roi_nd with 6 values is ambiguous; provide roi_type ('2d_timelapse' or '3d').");
          default -> throw new SelectionException("roi_nd must have length 4, 6, or 8.");
        };
      } else {
        type = RoiType.fromName(s.roiType());
        if (nd.length != type.valueCount()) {
          throw new SelectionException("roi_type='" + type.label() + "' requires " + type.valueCount() + " values.");
        }
      }
      int half = nd.length / 2;
      int k = 0;
      if (type.hasTime()) {
        if (t != null) {
          throw new SelectionException("Provide either t or roi_nd time bounds, not both.");
        }
        int tmin = nd[k];
        int tmax = nd[k + half];
        if (tmin < 0 || tmax > p.sizeT() || tmax <= tmin) {
          throw new SelectionException("roi_nd time bounds are out of range.");
        }
        t = IndexSelection.slice(tmin, tmax);
        k++;
      }
      if (type.hasDepth()) {
        if (z != null) {
          throw new SelectionException("Provide either z or roi_nd depth bounds, not both.");
        }
        int zmin = nd[k];
        int zmax = nd[k + half];
        if (zmin < 0 || zmax > p.sizeZ() || zmax <= zmin) {
          throw new SelectionException("roi_nd depth bounds are out of range.");
        }
        z = IndexSelection.slice(zmin, zmax);
        k++;
      }
      int ymin = nd[k];
      int xmin = nd[k + 1];
      int h = nd[k + half] - ymin;
      int w = nd[k + 1 + half] - xmin;
      if (w <= 0 || h <= 0) {
        throw new SelectionException("roi_nd spatial bounds must satisfy max > min.");
      }
      roi = Roi.of(xmin, ymin, w, h);
    } else if (s.roiType() != null) {
      throw new SelectionException("roi_type requires roi_nd.");
    }
    int[] r3 = s.roi3d();
    if (r3 != null) {
      if (roi != null || tile != null) {
        throw new SelectionException("Provide only one of roi3d, roi, or tile.");
      }
      if (z != null) {
        throw new SelectionException("Provide either z or roi3d, not both.");
      }
      if (r3.length != 6) {
        throw new SelectionException("roi3d must be (x, y, z, w, h, d)");
      }
      if (r3[5] <= 0) {
        throw new SelectionException("roi3d depth must be positive");
      }
      if (r3[2] < 0) {
        throw new SelectionException("roi3d z origin must be non-negative");
      }
      if ((long) r3[2] + r3[5] > p.sizeZ()) {
        throw new SelectionException("roi3d depth is out of bounds");
      }
      roi = Roi.of(r3[0], r3[1], r3[3], r3[4]);
      z = IndexSelection.slice(r3[2], r3[2] + r3[5]);
    }
    int[] ts = (t == null ? IndexSelection.all() : t).resolve("t", p.sizeT());
    int[] zs = (z == null ? IndexSelection.all() : z).resolve("z", p.sizeZ());
    int[] cs = (s.c() == null ? IndexSelection.all() : s.c()).resolve("c", p.sizeC());
    if (tile != null) {
      if (roi != null) {
        throw new SelectionException("Provide either roi or tile, not both.");
      }
      if (tile.length != 2) {
        throw new SelectionException("tile must be (tile_y, tile_x)");
      }
      if (grid == null) {
        throw new SelectionException("tile selection requires chunk_grid metadata");
      }
      if (grid.chunkX() <= 0 || grid.chunkY() <= 0) {
        throw new SelectionException("chunk_grid chunk sizes must be positive");
      }
      if (tile[0] < 0 || tile[1] < 0) {
        throw new SelectionException("tile indices must be non-negative");
      }
      long x = (long) tile[1] * grid.chunkX();
      long y = (long) tile[0] * grid.chunkY();
      if (x >= p.sizeX() || y >= p.sizeY()) {
        throw new SelectionException("tile indices out of bounds");
      }
      roi = Roi.of((int) x, (int) y, (int) Math.min(grid.chunkX(), p.sizeX() - x), (int) Math.min(grid.chunkY(), p.sizeY() - y));
    }
    if (roi == null) {
      roi = Roi.of(0, 0, p.sizeX(), p.sizeY());
    }
    p.checkRegion(roi.x(), roi.y(), roi.w(), roi.h());
    return new Resolved(ts, zs, cs, roi);
  }
}
