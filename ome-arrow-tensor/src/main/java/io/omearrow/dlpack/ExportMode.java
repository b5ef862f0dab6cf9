package io.omearrow.dlpack;

/** How a tensor is handed to a DLPack consumer. */
public enum ExportMode {
  /** The stored Arrow values buffer of one plane or chunk tile, no copy. */
  ARROW,
  /** A materialised, compact, 64-byte-aligned copy with the full shape ({@code IS_COPIED} set). */
  CONTIGUOUS,
  /** A zero-copy strided view of a stored plane's region (element strides, data at the first element). */
  STRIDED
}
