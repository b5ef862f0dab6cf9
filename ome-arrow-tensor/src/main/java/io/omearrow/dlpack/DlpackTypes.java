package io.omearrow.dlpack;

import io.omearrow.core.FormatException;
import io.omearrow.core.PixelType;

/** Maps {@link PixelType} to DLPack {@code DLDataType} (code, bits, lanes = 1) and back. Stateless. */
public final class DlpackTypes {
  private DlpackTypes() {}

  /** The pixel type for a DLPack dtype; bool (code 6, 8 bits) reads as uint8. */
  public static PixelType fromDlpack(int code, int bits, int lanes) {
    if (lanes != 1) {
      throw new FormatException("DLPack dtype with " + lanes + " lanes is not supported; only lanes = 1");
    }
    if (code == DlpackAbi.CODE_BOOL && bits == 8) {
      return PixelType.UINT8;
    }
    for (PixelType t : PixelType.values()) {
      if (t.dlpackCode() == code && t.bits() == bits) {
        return t;
      }
    }
    throw new FormatException("unsupported DLPack dtype (code " + code + ", bits " + bits
        + "); supported: int/uint 8-64, float 32/64, bool");
  }
}
