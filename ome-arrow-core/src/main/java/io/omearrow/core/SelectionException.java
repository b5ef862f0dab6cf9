package io.omearrow.core;

/**
 * A selection, region, layout or other argument that does not fit the image it is applied to
 * (the Python reference raises ValueError for these; messages are kept identical to it).
 */
public class SelectionException extends OmeArrowException {
  private static final long serialVersionUID = 1L;

  public SelectionException(String message) {
    super(message);
  }
}
