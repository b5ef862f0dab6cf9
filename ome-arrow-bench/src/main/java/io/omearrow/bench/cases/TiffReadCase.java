package io.omearrow.bench.cases;

import io.omearrow.bench.BenchCase;
import io.omearrow.bench.BenchContext;
import io.omearrow.core.PixelsMeta;
import io.omearrow.io.tiff.TiffSource;
import io.omearrow.memory.AlignedBuffers;
import io.omearrow.source.OpenOptions;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The shared TIFF read: open the file and read every plane into one Arrow buffer of the image's
 * size, then close both. The buffer is allocated per run through {@link AlignedBuffers} (huge
 * pages from 4 MiB on), as NumPy allocates the arrays the baselines return.
 */
abstract class TiffReadCase implements BenchCase {
  protected Path file;
  private BufferAllocator allocator;

  /** Makes (once per run) the file this case reads. */
  protected abstract Path input(BenchContext ctx) throws Exception;

  @Override
  public long payloadBytes() {
    return Inputs.IMAGE_BYTES;
  }

  @Override
  public void setUp(BenchContext ctx) throws Exception {
    file = input(ctx);
    allocator = ctx.allocator();
  }

  @Override
  public void run() {
    try (TiffSource src = TiffSource.open(file, OpenOptions.defaults()); ArrowBuf out = AlignedBuffers.allocate(allocator, Inputs.IMAGE_BYTES)) {
      PixelsMeta p = src.pixels();
      if (p.planeCount() != Inputs.PLANES || p.sizeX() != Inputs.SIZE || p.sizeY() != Inputs.SIZE) {
        throw new IllegalStateException(file + ": unexpected shape " + java.util.Arrays.toString(p.shape()));
      }
      MemorySegment dst = Inputs.segment(out);
      int i = 0;
      for (int t = 0; t < p.sizeT(); t++) {
        for (int c = 0; c < p.sizeC(); c++) {
          for (int z = 0; z < p.sizeZ(); z++) {
            src.readRegion(t, c, z, 0, 0, p.sizeX(), p.sizeY(), dst.asSlice(i++ * Inputs.PLANE_BYTES, Inputs.PLANE_BYTES));
          }
        }
      }
    }
  }

  /** tifffile reading the whole file on one thread into a new NumPy array. */
  protected String tifffileScript() {
    return Py.lines(
        "import tifffile, numpy as np",
        "def op():",
        "    a = tifffile.imread(ARGS[0], maxworkers=1)",
        "    assert a.nbytes == int(ARGS[1]) and a.dtype == np.uint16, (a.shape, a.dtype)");
  }
}
