package io.omearrow.dlpack;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.omearrow.core.FormatException;
import io.omearrow.core.OmeArrowException;
import io.omearrow.core.PixelType;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Takes ownership of someone else's DLPack struct and exposes it as an {@link ImportedTensor}
 * without copying. The struct is validated first (version, device, dtype, ndim, shape, strides,
 * byte_offset); a struct that fails validation has its deleter called at once and a
 * {@link FormatException} is thrown, so the producer never leaks. Stateless apart from a cache of
 * deleter downcall handles.
 */
public final class DlpackImporter {
  /** Largest accepted ndim (well above any microscopy tensor, guards against garbage structs). */
  public static final int MAX_NDIM = 32;
  private static final ConcurrentHashMap<Long, MethodHandle> DELETERS = new ConcurrentHashMap<>();
  private static final FunctionDescriptor DELETER_DESC = FunctionDescriptor.ofVoid(ADDRESS);

  private DlpackImporter() {}

  /** Imports a {@code DLManagedTensorVersioned*} (DLPack 1.x). */
  public static ImportedTensor importVersioned(MemorySegment pointer) {
    return take(pointer, true);
  }

  /** Imports a legacy {@code DLManagedTensor*}; its data is treated as writable (no flags exist). */
  public static ImportedTensor importLegacy(MemorySegment pointer) {
    return take(pointer, false);
  }

  /** Imports by address; {@code versioned} says which struct it is (the capsule name tells a Python consumer). */
  public static ImportedTensor take(long address, boolean versioned) {
    return take(MemorySegment.ofAddress(address), versioned);
  }

  private static ImportedTensor take(MemorySegment pointer, boolean versioned) {
    if (pointer == null || pointer.address() == 0) {
      throw new FormatException("DLPack pointer is NULL");
    }
    MemorySegment m = pointer.reinterpret(DlpackAbi.managedSize(versioned));
    long deleter = m.get(JAVA_LONG, DlpackAbi.deleterOffset(versioned));
    try {
      return read(m, versioned, deleter);
    } catch (RuntimeException e) {
      callDeleter(deleter, m.address());
      throw e;
    }
  }

  private static ImportedTensor read(MemorySegment m, boolean versioned, long deleter) {
    long flags = 0;
    int minor = 0;
    if (versioned) {
      int major = m.get(JAVA_INT, DlpackAbi.V_MAJOR);
      minor = m.get(JAVA_INT, DlpackAbi.V_MINOR);
      if (major != DlpackAbi.MAJOR_VERSION) {
        throw new FormatException("DLPack tensor has version " + major + "." + minor + "; only major version "
            + DlpackAbi.MAJOR_VERSION + " is supported (the tensor was released through its deleter)");
      }
      flags = m.get(JAVA_LONG, DlpackAbi.V_FLAGS);
      if ((flags & DlpackAbi.FLAG_IS_SUBBYTE_TYPE_PADDED) != 0) {
        throw new FormatException("DLPack tensor uses padded sub-byte types, which are not supported");
      }
    }
    long t = DlpackAbi.tensorOffset(versioned);
    long data = m.get(JAVA_LONG, t + DlpackAbi.T_DATA);
    Device device = new Device(m.get(JAVA_INT, t + DlpackAbi.T_DEVICE_TYPE), m.get(JAVA_INT, t + DlpackAbi.T_DEVICE_ID));
    if (!device.isHostAccessible() && device.type() != Device.CUDA) {
      throw new FormatException("DLPack tensor lives on " + device + "; supported devices: kDLCPU, kDLCUDAHost, "
          + "kDLCUDAManaged, kDLCUDA");
    }
    int ndim = m.get(JAVA_INT, t + DlpackAbi.T_NDIM);
    if (ndim < 0 || ndim > MAX_NDIM) {
      throw new FormatException("DLPack tensor has ndim " + ndim + "; expected 0.." + MAX_NDIM);
    }
    int code = Byte.toUnsignedInt(m.get(JAVA_BYTE, t + DlpackAbi.T_CODE));
    int bits = Byte.toUnsignedInt(m.get(JAVA_BYTE, t + DlpackAbi.T_BITS));
    int lanes = Short.toUnsignedInt(m.get(JAVA_SHORT, t + DlpackAbi.T_LANES));
    PixelType type = DlpackTypes.fromDlpack(code, bits, lanes);
    long shapePtr = m.get(JAVA_LONG, t + DlpackAbi.T_SHAPE);
    long stridesPtr = m.get(JAVA_LONG, t + DlpackAbi.T_STRIDES);
    long byteOffset = m.get(JAVA_LONG, t + DlpackAbi.T_BYTE_OFFSET);
    long[] shape = new long[ndim];
    if (ndim > 0) {
      if (shapePtr == 0) {
        throw new FormatException("DLPack tensor has ndim " + ndim + " but a NULL shape");
      }
      MemorySegment s = MemorySegment.ofAddress(shapePtr).reinterpret(8L * ndim);
      for (int i = 0; i < ndim; i++) {
        shape[i] = s.getAtIndex(JAVA_LONG, i);
        if (shape[i] < 0) {
          throw new FormatException("DLPack tensor shape " + Arrays.toString(shape) + " has a negative dimension");
        }
      }
    }
    long[] strides;
    if (ndim > 0 && stridesPtr != 0) {
      strides = MemorySegment.ofAddress(stridesPtr).reinterpret(8L * ndim).toArray(JAVA_LONG);
    } else {
      if (ndim > 0 && versioned && minor >= 2) {
        throw new FormatException("DLPack " + DlpackAbi.MAJOR_VERSION + "." + minor
            + " tensor has NULL strides; strides are required since 1.2");
      }
      strides = StridedCopy.compactStrides(shape);
    }
    if (byteOffset < 0) {
      throw new FormatException("DLPack tensor has a byte_offset beyond 2^63: " + Long.toUnsignedString(byteOffset));
    }
    long count;
    long[] range;
    try {
      count = StridedCopy.elementCount(shape);
      range = StridedCopy.offsetRange(shape, strides);
      Math.multiplyExact(range[1] - range[0] + 1, (long) type.byteSize());
    } catch (ArithmeticException e) {
      throw new FormatException("DLPack tensor shape " + Arrays.toString(shape) + " with strides "
          + Arrays.toString(strides) + " overflows 64-bit sizes");
    }
    if (data == 0 && count > 0) {
      throw new FormatException("DLPack tensor of " + count + " elements has a NULL data pointer");
    }
    boolean readOnly = (flags & DlpackAbi.FLAG_READ_ONLY) != 0;
    return new ImportedTensor(m, versioned, deleter, flags, readOnly, device, type, shape, strides,
        data + byteOffset, range);
  }

  /** Calls a foreign deleter once; failures become an {@link OmeArrowException}. */
  static void callDeleter(long deleter, long structAddress) {
    if (deleter == 0) {
      return;
    }
    MethodHandle h = DELETERS.computeIfAbsent(deleter,
        d -> Linker.nativeLinker().downcallHandle(MemorySegment.ofAddress(d), DELETER_DESC));
    try {
      h.invokeExact(MemorySegment.ofAddress(structAddress));
    } catch (Throwable e) {
      throw new OmeArrowException("DLPack deleter at 0x" + Long.toHexString(deleter) + " failed: " + e, e);
    }
  }
}
