package io.omearrow.dlpack;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.omearrow.testing.Python;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPython embedded in the test JVM through FFM, so Python consumers (NumPy, PyTorch, pyarrow) can
 * take our DLPack pointers in the same process. libpython is found from the configured interpreter
 * ({@link Python#executable()}: sysconfig LIBDIR/LDLIBRARY) and loaded with RTLD_GLOBAL so
 * extension modules resolve its symbols; the interpreter's site-packages go on sys.path.
 * Initialised once per JVM and never finalised. {@link #unavailableReason()} explains a skip.
 */
public final class EmbeddedPython {
  private static final int RTLD_NOW = 2;
  private static final int RTLD_GLOBAL = 0x100;
  private static final Object LOCK = new Object();
  private static String reason;
  private static MethodHandle runSimple;
  private static MethodHandle gilEnsure;
  private static MethodHandle gilRelease;
  private static boolean initialised;

  private EmbeddedPython() {}

  /** Null when Python is usable, else why not. */
  public static String unavailableReason() {
    synchronized (LOCK) {
      if (!initialised) {
        initialised = true;
        try {
          reason = init();
        } catch (Throwable t) {
          reason = "embedding CPython failed: " + t;
        }
      }
      return reason;
    }
  }

  private static String init() throws Throwable {
    Python.Result r = Python.run("import sys, sysconfig, os\n"
        + "print(os.path.join(sysconfig.get_config_var('LIBDIR') or '', sysconfig.get_config_var('LDLIBRARY') or ''))\n"
        + "print(sys.base_prefix)\nprint(os.pathsep.join(p for p in sys.path if p))\n"
        + "print(sysconfig.get_config_var('Py_ENABLE_SHARED'))");
    if (r.exitCode() != 0) {
      return "Python interpreter '" + Python.executable() + "' did not run: " + r.stderr().strip();
    }
    String[] lines = r.stdout().strip().split("\n");
    Path lib = Path.of(lines[0].strip());
    if (!"1".equals(lines[3].strip()) || !Files.isRegularFile(lib)) {
      return "Python '" + Python.executable() + "' has no shared libpython (" + lib + "; Py_ENABLE_SHARED="
          + lines[3].strip() + "); build it with --enable-shared or install Debian's libpython3.x";
    }
    Linker linker = Linker.nativeLinker();
    SymbolLookup libc = linker.defaultLookup();
    MethodHandle dlopen = linker.downcallHandle(libc.findOrThrow("dlopen"), FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
    MethodHandle setenv = linker.downcallHandle(libc.findOrThrow("setenv"),
        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    Arena g = Arena.global();
    MemorySegment handle = (MemorySegment) dlopen.invokeExact(g.allocateFrom(lib.toString()), RTLD_NOW | RTLD_GLOBAL);
    if (handle.address() == 0) {
      return "dlopen(" + lib + ") failed";
    }
    int rc = (int) setenv.invokeExact(g.allocateFrom("PYTHONHOME"), g.allocateFrom(lines[1].strip()), 1);
    SymbolLookup py = SymbolLookup.libraryLookup(lib, g);
    MethodHandle initEx = linker.downcallHandle(py.findOrThrow("Py_InitializeEx"), FunctionDescriptor.ofVoid(JAVA_INT));
    MethodHandle saveThread = linker.downcallHandle(py.findOrThrow("PyEval_SaveThread"), FunctionDescriptor.of(ADDRESS));
    runSimple = linker.downcallHandle(py.findOrThrow("PyRun_SimpleString"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
    gilEnsure = linker.downcallHandle(py.findOrThrow("PyGILState_Ensure"), FunctionDescriptor.of(JAVA_INT));
    gilRelease = linker.downcallHandle(py.findOrThrow("PyGILState_Release"), FunctionDescriptor.ofVoid(JAVA_INT));
    initEx.invokeExact(0);
    MemorySegment state = (MemorySegment) saveThread.invokeExact();
    StringBuilder path = new StringBuilder("import sys\n");
    for (String p : lines[2].split(java.io.File.pathSeparator)) {
      path.append("sys.path.append(").append(pyString(p)).append(")\n");
    }
    exec(path.toString());
    return rc == 0 && state.address() != 0 ? null : "could not set PYTHONHOME or release the GIL";
  }

  /** A Python string literal. */
  public static String pyString(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /**
   * Runs a script under the GIL in {@code __main__}. The script reports back by writing into
   * {@code out} (a native segment the test reads); a Python exception is caught and its text
   * returned (null on success).
   */
  public static String exec(String script) {
    String wrapped = "import traceback as _tb\n_err = None\ntry:\n"
        + script.indent(4) + "except BaseException:\n    _err = _tb.format_exc()\n"
        + "import builtins as _b\n_b._omearrow_err = _err\n";
    try (Arena a = Arena.ofConfined()) {
      MemorySegment err = a.allocate(1 << 16);
      String full = wrapped + "if _err is not None:\n    import ctypes as _c\n    _e = _err.encode()[:65000] + b'\\0'\n"
          + "    _c.memmove(" + err.address() + ", _e, len(_e))\n";
      int g = (int) gilEnsure.invokeExact();
      int rc;
      try {
        rc = (int) runSimple.invokeExact(a.allocateFrom(full));
      } finally {
        gilRelease.invokeExact(g);
      }
      String msg = err.getString(0, StandardCharsets.UTF_8);
      if (rc != 0) {
        return "PyRun_SimpleString failed (syntax?)";
      }
      return msg.isEmpty() ? null : msg;
    } catch (Throwable t) {
      throw new AssertionError("embedded Python call failed", t);
    }
  }
}
