package io.omearrow.dlpack;

import static java.lang.foreign.ValueLayout.ADDRESS;

import io.omearrow.memory.NativeHeap;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one deleter every export of this process carries, and the registry behind it.
 *
 * <p>A single upcall stub (allocated once in the global arena and never freed, because native code
 * may call it at any time) looks the struct address up in a registry of live exports, removes the
 * entry, releases what the export kept alive (Arrow references, copies, owners) and frees the
 * native header. Unknown or repeated addresses are counted and otherwise ignored, so a double call
 * is harmless. The deleter never throws: a failure is recorded in {@link #lastFailure()}. It may run
 * on any thread, including native threads the JVM has never seen. After JVM shutdown has begun it
 * deliberately leaks instead of touching Java state.
 */
@SuppressWarnings("restricted") // FFM is this class's purpose; run with --enable-native-access
public final class DlpackDeleter {
  private static final ConcurrentHashMap<Long, ExportRecord> LIVE = new ConcurrentHashMap<>();
  private static final AtomicLong FREED = new AtomicLong();
  private static final AtomicLong IGNORED = new AtomicLong();
  private static final AtomicReference<Throwable> LAST_FAILURE = new AtomicReference<>();
  private static volatile boolean shuttingDown;
  private static final MemorySegment STUB;

  static {
    try {
      var target = MethodHandles.lookup().findStatic(DlpackDeleter.class, "onDelete",
          MethodType.methodType(void.class, MemorySegment.class));
      STUB = Linker.nativeLinker().upcallStub(target, FunctionDescriptor.ofVoid(ADDRESS), Arena.global());
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
    try {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> shuttingDown = true, "dlpack-deleter-shutdown"));
    } catch (IllegalStateException ignored) {
      shuttingDown = true;
    }
  }

  private DlpackDeleter() {}

  /** The function pointer written into every exported struct. */
  public static MemorySegment stub() {
    return STUB;
  }

  /** Exports handed out and not yet deleted. */
  public static int liveCount() {
    return LIVE.size();
  }

  /** Exports freed so far (by a consumer's deleter call or by {@link ManagedTensor#close()}). */
  public static long freedCount() {
    return FREED.get();
  }

  /** Deleter calls with an unknown or already-freed address (ignored). */
  public static long ignoredCount() {
    return IGNORED.get();
  }

  /** The last exception swallowed inside the deleter, or null. */
  public static Throwable lastFailure() {
    return LAST_FAILURE.get();
  }

  /** True while an export with this struct address is live. */
  public static boolean isLive(long structAddress) {
    return LIVE.containsKey(structAddress);
  }

  static boolean isLive(ExportRecord r) {
    return LIVE.get(r.header().address()) == r;
  }

  static void register(ExportRecord r) {
    LIVE.put(r.header().address(), r);
  }

  /** Frees the export if it is still live and is this very record; used by {@link ManagedTensor#close()}. */
  static boolean release(ExportRecord r) {
    if (LIVE.remove(r.header().address(), r)) {
      finish(r);
      return true;
    }
    return false;
  }

  // The upcall target. Must never throw: an exception escaping an upcall ends the JVM.
  @SuppressWarnings("unused")
  private static void onDelete(MemorySegment self) {
    try {
      if (shuttingDown) {
        return;
      }
      ExportRecord r = LIVE.remove(self.address());
      if (r == null) {
        IGNORED.incrementAndGet();
        return;
      }
      finish(r);
    } catch (Throwable t) {
      try {
        LAST_FAILURE.set(t);
      } catch (Throwable ignored) {
        // nothing more can be done safely here
      }
    }
  }

  private static void finish(ExportRecord r) {
    try {
      r.releaseResources();
    } catch (Throwable t) {
      LAST_FAILURE.set(t);
    } finally {
      NativeHeap.free(r.header());
      FREED.incrementAndGet();
    }
  }
}
