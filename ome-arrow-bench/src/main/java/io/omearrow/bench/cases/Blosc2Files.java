package io.omearrow.bench.cases;

import io.omearrow.bench.BenchContext;
import io.omearrow.io.mlarray.MlArray;
import io.omearrow.io.mlarray.MlArrayMeta;
import io.omearrow.io.mlarray.SaveOptions;
import java.lang.foreign.Arena;
import java.nio.file.Path;

/** The MLArray file of the blosc2 cases: the image saved with mlarray's defaults by our writer. */
final class Blosc2Files {
  static final String DTYPE = "<u2";

  private Blosc2Files() {}

  static Path mla(BenchContext ctx) throws Exception {
    return ctx.file("image.mla", p -> {
      try (Arena arena = Arena.ofConfined()) {
        MlArray.save(p, Inputs.pixels(ctx, arena), Inputs.SHAPE, DTYPE, MlArrayMeta.empty(), SaveOptions.defaults());
      }
    });
  }

  /** python-blosc2's parameters equal to mlarray's defaults (LZ4HC 8, shuffle, automatic split), one thread. */
  static final String PY_PARAMS = Py.lines(
      "import blosc2, numpy as np",
      "blosc2.set_nthreads(1)",
      "CP = blosc2.CParams(codec=blosc2.Codec.LZ4HC, clevel=8, typesize=2, nthreads=1,",
      "                    filters=[blosc2.Filter.NOFILTER] * 5 + [blosc2.Filter.SHUFFLE], splitmode=blosc2.SplitMode.AUTO_SPLIT)",
      "DP = blosc2.DParams(nthreads=1)",
      "");
}
