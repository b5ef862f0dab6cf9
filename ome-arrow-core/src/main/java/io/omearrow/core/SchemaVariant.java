package io.omearrow.core;

/**
 * The OME-Arrow struct layouts the Python package has written, oldest first. Readers accept all
 * of them; writers choose {@link #V2_LIST} or {@link #V2_BYTES}.
 */
public enum SchemaVariant {
  /** v0.0.2/v0.0.3: 8 fields, planes only. */
  V0("v0"),
  /** {@code OME_ARROW_STRUCT}: 11 fields, planes and/or chunks with {@code list<uint16>} pixels. */
  V2_LIST("v2-list"),
  /** {@code OME_ARROW_BYTE_STRUCT} before the {@code compression} field (chunks carry dtype + pixel_bytes). */
  V2_BYTES_UNCOMPRESSED("v2-bytes"),
  /** {@code OME_ARROW_BYTE_STRUCT}: chunks carry dtype, compression and pixel_bytes. */
  V2_BYTES("v2-bytes");

  private final String label;

  SchemaVariant(String label) {
    this.label = label;
  }

  /** The short name the CLI prints ({@code "v0"}, {@code "v2-list"}, {@code "v2-bytes"}). */
  public String label() {
    return label;
  }

  /** True for the byte-chunk layouts. */
  public boolean isBytes() {
    return this == V2_BYTES || this == V2_BYTES_UNCOMPRESSED;
  }
}
