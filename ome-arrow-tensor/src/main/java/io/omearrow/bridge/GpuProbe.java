package io.omearrow.bridge;

/**
 * Answers "can this JVM use a CUDA GPU?" without crashing: a missing JCuda jar, a missing driver
 * ({@code UnsatisfiedLinkError}, {@code NoClassDefFoundError}, cudaErrorInsufficientDriver) and
 * zero devices become a {@link Result} with a reason. The answer is computed once and cached.
 */
public final class GpuProbe {
  /** What the probe found. */
  public enum Status {
    /** At least one device and a working driver. */
    AVAILABLE,
    /** The driver works but reports no device. */
    NO_DEVICE,
    /** JCuda loads but the CUDA driver (libcuda.so.1) is missing or too old. */
    DRIVER_MISSING,
    /** The optional org.jcuda:jcuda dependency is not on the class path. */
    JCUDA_MISSING
  }

  /**
   * @param deviceCount devices seen (0 unless AVAILABLE)
   * @param driverVersion CUDA driver version as an int (e.g. 12060), 0 when unknown
   * @param reason a sentence for logs and test skips
   */
  public record Result(Status status, int deviceCount, int driverVersion, String reason) {}

  private static volatile Result cached;

  private GpuProbe() {}

  /** The cached probe result. */
  public static Result probe() {
    Result r = cached;
    if (r == null) {
      synchronized (GpuProbe.class) {
        r = cached;
        if (r == null) {
          r = run();
          cached = r;
        }
      }
    }
    return r;
  }

  /** True when a GPU can be used. */
  public static boolean available() {
    return probe().status() == Status.AVAILABLE;
  }

  private static Result run() {
    try {
      Class.forName("jcuda.runtime.JCuda", false, GpuProbe.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return new Result(Status.JCUDA_MISSING, 0, 0,
          "JCuda is not on the class path (add org.jcuda:jcuda:12.6.0 with jcuda-natives, classifier linux-x86_64)");
    }
    try {
      return JCudaOps.probe();
    } catch (LinkageError e) {
      return new Result(Status.DRIVER_MISSING, 0, 0, "the CUDA driver could not be loaded: " + e);
    } catch (RuntimeException e) {
      return new Result(Status.DRIVER_MISSING, 0, 0, "CUDA probe failed: " + e);
    }
  }
}
