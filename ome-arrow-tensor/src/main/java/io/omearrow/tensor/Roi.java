package io.omearrow.tensor;

/**
 * A 2-D region of interest in pixels: origin (x, y), width w and height h. A plain value; it is
 * checked against an image only when a view is built (the reference's messages:
 * {@code "roi width and height must be positive"}, {@code "roi origin must be non-negative"},
 * {@code "roi is out of bounds"}).
 */
public record Roi(int x, int y, int w, int h) {

  /** The region x..x+w, y..y+h. */
  public static Roi of(int x, int y, int w, int h) {
    return new Roi(x, y, w, h);
  }

  /** Number of pixels. */
  public long area() {
    return (long) w * h;
  }

  /** [x, y, w, h]. */
  public int[] toArray() {
    return new int[] {x, y, w, h};
  }
}
