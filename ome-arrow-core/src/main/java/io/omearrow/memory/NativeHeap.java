package io.omearrow.memory;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.omearrow.core.OmeArrowException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * libc {@code malloc}/{@code aligned_alloc}/{@code free} through downcalls, for blocks that must
 * be freeable from any thread without an arena handshake (DLPack headers, foreign Arrow
 * allocations). The caller owns every block it gets and must {@link #free} it exactly once.
 */
@SuppressWarnings("restricted") // FFM is this class's purpose; run with --enable-native-access
public final class NativeHeap {
  private static final Linker LINKER = Linker.nativeLinker();
  private static final MethodHandle MALLOC = LINKER.downcallHandle(
      LINKER.defaultLookup().findOrThrow("malloc"), FunctionDescriptor.of(ADDRESS, JAVA_LONG));
  private static final MethodHandle ALIGNED_ALLOC = LINKER.downcallHandle(
      LINKER.defaultLookup().findOrThrow("aligned_alloc"), FunctionDescriptor.of(ADDRESS, JAVA_LONG, JAVA_LONG));
  private static final MethodHandle FREE = LINKER.downcallHandle(
      LINKER.defaultLookup().findOrThrow("free"), FunctionDescriptor.ofVoid(ADDRESS));
  /** {@code madvise} exists only on POSIX systems; elsewhere huge-page advice is skipped. */
  private static final MethodHandle MADVISE = madvise();
  private static final int MADV_HUGEPAGE = 14;

  private NativeHeap() {}

  private static MethodHandle madvise() {
    if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
      return null;
    }
    Optional<MemorySegment> f = LINKER.defaultLookup().find("madvise");
    return f.map(a -> LINKER.downcallHandle(a, FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT),
        Linker.Option.critical(false))).orElse(null);
  }

  /** Allocates {@code size} bytes; the segment is global-scoped and sized. */
  public static MemorySegment malloc(long size) {
    try {
      MemorySegment p = (MemorySegment) MALLOC.invokeExact(size);
      if (p.address() == 0) {
        throw new OmeArrowException("native allocation of " + size + " bytes failed (malloc returned NULL)");
      }
      return p.reinterpret(size);
    } catch (OmeArrowException e) {
      throw e;
    } catch (Throwable t) {
      throw new OmeArrowException("malloc(" + size + ") failed: " + t, t);
    }
  }

  /** Allocates {@code size} bytes aligned to {@code alignment} (a power of two). */
  public static MemorySegment alignedAlloc(long alignment, long size) {
    if (Long.bitCount(alignment) != 1) {
      throw new IllegalArgumentException("alignment must be a power of two, got " + alignment);
    }
    long rounded = Math.max(alignment, (size + alignment - 1) / alignment * alignment);
    try {
      MemorySegment p = (MemorySegment) ALIGNED_ALLOC.invokeExact(alignment, rounded);
      if (p.address() == 0) {
        throw new OmeArrowException("native allocation of " + size + " bytes failed (aligned_alloc returned NULL)");
      }
      return p.reinterpret(size);
    } catch (OmeArrowException e) {
      throw e;
    } catch (Throwable t) {
      throw new OmeArrowException("aligned_alloc(" + size + ") failed: " + t, t);
    }
  }

  /**
   * Asks the kernel to back {@code [address, address + length)} with transparent huge pages
   * (Linux {@code MADV_HUGEPAGE}); the range must start on a page boundary. Advice only: returns
   * false where the system has no {@code madvise} or refuses, and nothing else changes.
   */
  public static boolean adviseHugePages(long address, long length) {
    if (MADVISE == null || length <= 0) {
      return false;
    }
    try {
      return (int) MADVISE.invokeExact(address, length, MADV_HUGEPAGE) == 0;
    } catch (Throwable t) {
      return false;
    }
  }

  /** Frees a block from {@link #malloc} or {@link #alignedAlloc}; NULL is ignored. */
  public static void free(MemorySegment block) {
    if (block.address() == 0) {
      return;
    }
    try {
      FREE.invokeExact(block);
    } catch (Throwable t) {
      throw new OmeArrowException("free failed: " + t, t);
    }
  }
}
