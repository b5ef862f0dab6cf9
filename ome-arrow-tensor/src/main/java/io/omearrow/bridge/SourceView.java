package io.omearrow.bridge;

/**
 * A source seen through the hub: a borrowed {@link NDBuffer} view plus what keeps the source alive.
 *
 * @param view borrowed view (or an owned copy when {@code copied})
 * @param copied whether reading the source already copied (e.g. a DJL engine that copies out)
 * @param retain produces a fresh keep-alive for consumers that outlive the call (DLPack exports,
 *     Arrow wrappers): for Arrow sources it retains the buffer, for others it pins the object
 */
record SourceView(MemoryType type, NDBuffer view, boolean copied, KeepAlive retain) {
  interface KeepAlive {
    AutoCloseable acquire();
  }

  static KeepAlive pin(Object o) {
    return () -> new AutoCloseable() {
      @SuppressWarnings("unused")
      private final Object anchor = o;

      @Override
      public void close() {}
    };
  }
}
