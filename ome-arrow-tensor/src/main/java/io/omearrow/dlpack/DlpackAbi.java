package io.omearrow.dlpack;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * The DLPack C ABI on 64-bit platforms: struct layouts, field offsets and constants of
 * {@code dlpack.h} 1.x ({@code DLTensor}, the legacy {@code DLManagedTensor} and
 * {@code DLManagedTensorVersioned}). Holds no memory; offsets are computed once from the layouts
 * and match gcc's {@code offsetof} on x86-64 Linux.
 */
public final class DlpackAbi {
  private DlpackAbi() {}

  /** The DLPack major version this code speaks. */
  public static final int MAJOR_VERSION = 1;
  /** The minor version written into exported versioned tensors (strides are always filled). */
  public static final int MINOR_VERSION = 1;

  /** {@code flags} bit: the consumer must not write through the tensor. */
  public static final long FLAG_READ_ONLY = 1L;
  /** {@code flags} bit: the producer made a private copy for this export. */
  public static final long FLAG_IS_COPIED = 1L << 1;
  /** {@code flags} bit: sub-byte types are padded to whole bytes. */
  public static final long FLAG_IS_SUBBYTE_TYPE_PADDED = 1L << 2;

  /** DLDataTypeCode values. */
  public static final int CODE_INT = 0;
  public static final int CODE_UINT = 1;
  public static final int CODE_FLOAT = 2;
  public static final int CODE_BFLOAT = 4;
  public static final int CODE_BOOL = 6;

  public static final StructLayout VERSION = MemoryLayout.structLayout(
      JAVA_INT.withName("major"), JAVA_INT.withName("minor")).withName("DLPackVersion");
  public static final StructLayout DEVICE = MemoryLayout.structLayout(
      JAVA_INT.withName("device_type"), JAVA_INT.withName("device_id")).withName("DLDevice");
  public static final StructLayout DTYPE = MemoryLayout.structLayout(
      JAVA_BYTE.withName("code"), JAVA_BYTE.withName("bits"), JAVA_SHORT.withName("lanes")).withName("DLDataType");
  public static final StructLayout TENSOR = MemoryLayout.structLayout(
      ADDRESS.withName("data"), DEVICE.withName("device"), JAVA_INT.withName("ndim"), DTYPE.withName("dtype"),
      ADDRESS.withName("shape"), ADDRESS.withName("strides"), JAVA_LONG.withName("byte_offset")).withName("DLTensor");
  public static final StructLayout MANAGED_LEGACY = MemoryLayout.structLayout(
      TENSOR.withName("dl_tensor"), ADDRESS.withName("manager_ctx"), ADDRESS.withName("deleter"))
      .withName("DLManagedTensor");
  public static final StructLayout MANAGED_VERSIONED = MemoryLayout.structLayout(
      VERSION.withName("version"), ADDRESS.withName("manager_ctx"), ADDRESS.withName("deleter"),
      JAVA_LONG.withName("flags"), TENSOR.withName("dl_tensor")).withName("DLManagedTensorVersioned");

  // DLTensor field offsets relative to the DLTensor start.
  static final long T_DATA = TENSOR.byteOffset(groupElement("data"));
  static final long T_DEVICE_TYPE = TENSOR.byteOffset(groupElement("device"), groupElement("device_type"));
  static final long T_DEVICE_ID = TENSOR.byteOffset(groupElement("device"), groupElement("device_id"));
  static final long T_NDIM = TENSOR.byteOffset(groupElement("ndim"));
  static final long T_CODE = TENSOR.byteOffset(groupElement("dtype"), groupElement("code"));
  static final long T_BITS = TENSOR.byteOffset(groupElement("dtype"), groupElement("bits"));
  static final long T_LANES = TENSOR.byteOffset(groupElement("dtype"), groupElement("lanes"));
  static final long T_SHAPE = TENSOR.byteOffset(groupElement("shape"));
  static final long T_STRIDES = TENSOR.byteOffset(groupElement("strides"));
  static final long T_BYTE_OFFSET = TENSOR.byteOffset(groupElement("byte_offset"));

  static final long L_TENSOR = MANAGED_LEGACY.byteOffset(groupElement("dl_tensor"));
  static final long L_CTX = MANAGED_LEGACY.byteOffset(groupElement("manager_ctx"));
  static final long L_DELETER = MANAGED_LEGACY.byteOffset(groupElement("deleter"));

  static final long V_MAJOR = MANAGED_VERSIONED.byteOffset(groupElement("version"), groupElement("major"));
  static final long V_MINOR = MANAGED_VERSIONED.byteOffset(groupElement("version"), groupElement("minor"));
  static final long V_CTX = MANAGED_VERSIONED.byteOffset(groupElement("manager_ctx"));
  static final long V_DELETER = MANAGED_VERSIONED.byteOffset(groupElement("deleter"));
  static final long V_FLAGS = MANAGED_VERSIONED.byteOffset(groupElement("flags"));
  static final long V_TENSOR = MANAGED_VERSIONED.byteOffset(groupElement("dl_tensor"));

  /** Byte offset of the {@code DLTensor} inside a managed struct of the given kind. */
  public static long tensorOffset(boolean versioned) {
    return versioned ? V_TENSOR : L_TENSOR;
  }

  /** Byte offset of the {@code deleter} pointer inside a managed struct of the given kind. */
  public static long deleterOffset(boolean versioned) {
    return versioned ? V_DELETER : L_DELETER;
  }

  /** Byte offset of {@code manager_ctx} inside a managed struct of the given kind. */
  public static long contextOffset(boolean versioned) {
    return versioned ? V_CTX : L_CTX;
  }

  /** Byte offset of {@code flags} in the versioned struct. */
  public static long flagsOffset() {
    return V_FLAGS;
  }

  /** Size in bytes of a managed struct of the given kind (80 versioned, 64 legacy). */
  public static long managedSize(boolean versioned) {
    return versioned ? MANAGED_VERSIONED.byteSize() : MANAGED_LEGACY.byteSize();
  }
}
