package io.omearrow.blosc2;

/**
 * The one exception type of this module: a chunk, frame or array that cannot be read or written.
 *
 * <p>Messages name the source (file or "chunk"), the byte offset when one is known, what was wrong
 * and, where there is one, what to do about it. Corrupt input always ends in this exception, never
 * in an {@link OutOfMemoryError} from a declared size or an endless loop.
 */
public final class Blosc2Exception extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exception with a complete message. */
  public Blosc2Exception(String message) {
    super(message);
  }

  /** An exception with a complete message and the lower-level cause. */
  public Blosc2Exception(String message, Throwable cause) {
    super(message, cause);
  }
}
