package io.omearrow.dlpack;

import java.lang.foreign.MemorySegment;

/** What one live export holds: its native header and the keep-alive to release when it is deleted. */
record ExportRecord(long id, MemorySegment header, AutoCloseable keepAlive) {
  void releaseResources() throws Exception {
    if (keepAlive != null) {
      keepAlive.close();
    }
  }
}
