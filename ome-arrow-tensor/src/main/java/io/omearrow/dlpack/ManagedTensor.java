package io.omearrow.dlpack;

import io.omearrow.core.PixelType;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Java handle of one exported DLPack struct ({@code DLManagedTensorVersioned} or the legacy
 * {@code DLManagedTensor}). A struct is single-use: hand {@link #handOff()}'s pointer to exactly one
 * consumer, which becomes responsible for calling its deleter once. The exported memory (and the
 * Arrow buffers behind it, which the export retains) stays valid until that deleter runs, even when
 * the Java side has closed its own image or vectors first.
 *
 * <p>{@link #close()} frees an export that was never handed off (so forgotten exports do not leak);
 * after {@link #handOff()} it does nothing, because the consumer owns the struct. Thread-safe.
 */
public final class ManagedTensor implements AutoCloseable {
  private final ExportRecord record;
  private final boolean versioned;
  private final long flags;
  private final PixelType type;
  private final long[] shape;
  private final long[] strides;
  private final Device device;
  private final long dataAddress;
  private final AtomicBoolean handedOff = new AtomicBoolean();

  ManagedTensor(ExportRecord record, boolean versioned, long flags, PixelType type, long[] shape, long[] strides,
      Device device, long dataAddress) {
    this.record = record;
    this.versioned = versioned;
    this.flags = flags;
    this.type = type;
    this.shape = shape;
    this.strides = strides;
    this.device = device;
    this.dataAddress = dataAddress;
  }

  /** The struct pointer without giving up ownership (for inspection; do not pass it to a consumer). */
  public MemorySegment pointer() {
    return MemorySegment.ofAddress(record.header().address());
  }

  /** The struct address as a number. */
  public long address() {
    return record.header().address();
  }

  /**
   * Transfers ownership to a consumer and returns the struct pointer (a zero-length global
   * segment). The consumer must call the struct's deleter exactly once. Can be called once.
   *
   * @throws IllegalStateException if already handed off or closed
   */
  public MemorySegment handOff() {
    if (!DlpackDeleter.isLive(record) || !handedOff.compareAndSet(false, true)) {
      throw new IllegalStateException("DLPack export at 0x" + Long.toHexString(address())
          + " was already handed off or freed; export a fresh tensor per consumer");
    }
    return pointer();
  }

  /** True while the consumer has not yet called the deleter (and the export was not closed). */
  public boolean isLive() {
    return DlpackDeleter.isLive(record);
  }

  /** True for {@code DLManagedTensorVersioned}. */
  public boolean versioned() {
    return versioned;
  }

  /** The flags word (0 for the legacy struct). */
  public long flags() {
    return flags;
  }

  public boolean readOnly() {
    return (flags & DlpackAbi.FLAG_READ_ONLY) != 0;
  }

  public boolean copied() {
    return (flags & DlpackAbi.FLAG_IS_COPIED) != 0;
  }

  public PixelType type() {
    return type;
  }

  public long[] shape() {
    return shape.clone();
  }

  /** Element strides as written into the struct (never null). */
  public long[] strides() {
    return strides.clone();
  }

  public Device device() {
    return device;
  }

  /** Address of the first element ({@code data}; byte_offset is always 0). */
  public long dataAddress() {
    return dataAddress;
  }

  /** Frees the export unless it was handed off to a consumer. Idempotent. */
  @Override
  public void close() {
    if (!handedOff.get()) {
      DlpackDeleter.release(record);
    }
  }

  @Override
  public String toString() {
    return "ManagedTensor[" + (versioned ? "versioned" : "legacy") + ", " + type + java.util.Arrays.toString(shape)
        + ", strides " + java.util.Arrays.toString(strides) + ", " + device + ", flags " + flags + "]";
  }
}
