package io.omearrow.bridge;

import io.omearrow.dlpack.ImportedTensor;
import java.lang.foreign.MemorySegment;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;

/**
 * The converter registry between memory types (a Java analogue of arraybridge): {@link #detect}
 * names what an object is, {@link #convert} turns it into another type and says whether it copied.
 * Every edge goes through one hub (a borrowed {@link NDBuffer} view of the source), so each source
 * type works with each target type; explicit converters registered with {@link #register} take
 * precedence. No edge ever falls back silently: under {@link CopyPolicy#NEVER} a copy is a
 * {@link MemoryConversionException}, and the result's {@code copied} flag is always truthful.
 * Stateless apart from the registered converters.
 */
public final class MemoryBridge {
  /** A direct conversion between two memory types. */
  @FunctionalInterface
  public interface Converter {
    Converted<?> convert(Object source, ConversionOptions options);
  }

  /** A (source, target) pair. */
  public record Edge(MemoryType source, MemoryType target) {}

  private static final Map<Edge, Converter> CUSTOM = new ConcurrentHashMap<>();
  private static final boolean DJL = present("ai.djl.ndarray.NDArray");

  private MemoryBridge() {}

  private static boolean present(String cls) {
    try {
      Class.forName(cls, false, MemoryBridge.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /**
   * The memory type of {@code o}.
   *
   * @throws MemoryConversionException for objects of no supported type (with the class name)
   */
  public static MemoryType detect(Object o) {
    if (o instanceof ArrowBuf || o instanceof BaseFixedWidthVector) {
      return MemoryType.ARROW;
    }
    if (o instanceof MemorySegment) {
      return MemoryType.SEGMENT;
    }
    if (o instanceof java.nio.Buffer b) {
      if (!b.isDirect()) {
        throw new MemoryConversionException(MemoryType.NIO_DIRECT, MemoryType.NIO_DIRECT, "detect",
            "heap NIO buffers are not supported; pass the backing array or a direct buffer");
      }
      return MemoryType.NIO_DIRECT;
    }
    if (o instanceof byte[] || o instanceof short[] || o instanceof int[] || o instanceof long[] || o instanceof float[]
        || o instanceof double[]) {
      return MemoryType.ARRAY;
    }
    if (o instanceof ImportedTensor) {
      return MemoryType.DLPACK;
    }
    if (o instanceof CudaBuffer) {
      return MemoryType.CUDA;
    }
    if (o instanceof NDBuffer) {
      return MemoryType.NDBUFFER;
    }
    if (DJL && o instanceof ai.djl.ndarray.NDArray) {
      return MemoryType.DJL;
    }
    throw new IllegalArgumentException("unsupported memory object of class "
        + (o == null ? "null" : o.getClass().getName()) + "; expected one of " + EnumSet.allOf(MemoryType.class));
  }

  /** Registers a direct converter for one edge, replacing the hub route for it. */
  public static void register(MemoryType source, MemoryType target, Converter converter) {
    CUSTOM.put(new Edge(source, target), converter);
  }

  /** Removes a registered converter. */
  public static void unregister(MemoryType source, MemoryType target) {
    CUSTOM.remove(new Edge(source, target));
  }

  /** Every supported edge (DJL edges only when DJL is on the class path). */
  public static Set<Edge> edges() {
    Set<Edge> out = new LinkedHashSet<>();
    for (MemoryType s : MemoryType.values()) {
      for (MemoryType t : MemoryType.values()) {
        if (DJL || (s != MemoryType.DJL && t != MemoryType.DJL)) {
          out.add(new Edge(s, t));
        }
      }
    }
    return out;
  }

  /** Converts {@code source} to {@code target} under {@code options}; see {@link Converted} for ownership. */
  public static Converted<?> convert(Object source, MemoryType target, ConversionOptions options) {
    MemoryType type = detect(source);
    Converter custom = CUSTOM.get(new Edge(type, target));
    if (custom != null) {
      return custom.convert(source, options);
    }
    if (target == MemoryType.DJL && !DJL) {
      throw new MemoryConversionException(type, target, "NDManager.create", "DJL (ai.djl:api) is not on the class path");
    }
    SourceView v = Sources.view(source, type, target, options);
    if (v.copied() && options.copy() == CopyPolicy.NEVER) {
      throw new MemoryConversionException(type, target, "host copy",
          "reading this source copies (the engine does not expose its memory); copy policy is NEVER");
    }
    return Targets.build(v, target, options);
  }

  /** Typed variant of {@link #convert(Object, MemoryType, ConversionOptions)}. */
  public static <T> Converted<T> convert(Object source, MemoryType target, Class<T> as, ConversionOptions options) {
    Converted<?> c = convert(source, target, options);
    return new Converted<>(as.cast(c.value()), c.copied(), c.method());
  }

}
