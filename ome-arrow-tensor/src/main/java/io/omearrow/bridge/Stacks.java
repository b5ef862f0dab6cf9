package io.omearrow.bridge;

import io.omearrow.core.SelectionException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Strict stacking as arraybridge does it: {@link #stack} takes only 2-D planes and returns a 3-D
 * Z×Y×X buffer, {@link #unstack} takes only a 3-D volume and returns 2-D planes. There is no rank
 * inference: anything else is a {@link SelectionException}.
 */
public final class Stacks {
  private Stacks() {}

  /**
   * Copies 2-D planes of any supported memory type (all of one dtype and shape) into a new Z×Y×X
   * buffer made by {@code prototype} (host or CUDA). The caller owns the result.
   *
   * @param options read hints for flat sources (dtype and 2-D shape)
   */
  public static NDBuffer stack(List<?> planes, BufferPrototype prototype, ConversionOptions options) {
    if (planes == null || planes.isEmpty()) {
      throw new SelectionException("stack needs at least one 2-D plane, got none");
    }
    List<SourceView> views = new ArrayList<>(planes.size());
    for (int i = 0; i < planes.size(); i++) {
      Object p = planes.get(i);
      SourceView v = Sources.view(p, MemoryBridge.detect(p), MemoryType.NDBUFFER, options);
      NDBuffer nd = v.view();
      if (nd.ndim() != 2) {
        throw new SelectionException("stack needs 2-D planes; plane " + i + " has shape " + Arrays.toString(nd.shape()));
      }
      if (i > 0) {
        NDBuffer first = views.get(0).view();
        if (nd.type() != first.type() || !Arrays.equals(nd.shape(), first.shape())) {
          throw new SelectionException("plane " + i + " is " + nd.type() + Arrays.toString(nd.shape()) + " but plane 0 is "
              + first.type() + Arrays.toString(first.shape()) + "; all planes must match");
        }
      }
      views.add(v);
    }
    NDBuffer first = views.get(0).view();
    long[] yx = first.shape();
    NDBuffer out = prototype.nd().allocate(first.type(), new long[] {planes.size(), yx[0], yx[1]});
    try {
      for (int z = 0; z < views.size(); z++) {
        NDBuffer dst = out.slice(z);
        NDBuffer src = views.get(z).view();
        if (dst.kind().isHost()) {
          Targets.fill(views.get(z), src, MemoryType.NDBUFFER, dst.segment().asSlice(0, dst.byteSize()));
        } else if (src.kind().isHost()) {
          java.lang.foreign.MemorySegment compact = src.isCompact() ? src.segment().asSlice(0, src.byteSize())
              : Targets.hostCopy(views.get(z), src, MemoryType.CUDA, options);
          CudaMemory.copyToDevice(compact, dst.cuda());
        } else {
          throw new MemoryConversionException(views.get(z).type(), MemoryType.CUDA, "D2D copy",
              "stacking device planes into device memory is not supported");
        }
      }
      return out;
    } catch (RuntimeException | Error e) {
      out.close();
      throw e;
    }
  }

  /**
   * Splits a 3-D volume of any supported memory type into its Z planes: borrowed 2-D views, no
   * copy, valid while the volume is.
   */
  public static List<NDBuffer> unstack(Object volume, ConversionOptions options) {
    NDBuffer v = Sources.view(volume, MemoryBridge.detect(volume), MemoryType.NDBUFFER, options).view();
    if (v.ndim() != 3) {
      throw new SelectionException("unstack needs a 3-D volume, got shape " + Arrays.toString(v.shape()));
    }
    List<NDBuffer> out = new ArrayList<>((int) v.shape()[0]);
    for (long z = 0; z < v.shape()[0]; z++) {
      NDBuffer p = v.slice(z);
      if (p.ndim() != 2) {
        throw new IllegalStateException("slice " + z + " is not 2-D: " + Arrays.toString(p.shape()));
      }
      out.add(p);
    }
    return out;
  }
}
