package io.omearrow.io.tiff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.omearrow.core.PixelsMeta;
import io.omearrow.source.OpenOptions;
import io.omearrow.testing.Python;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files written by tifffile + imagecodecs over the codec x predictor x byte order x type x layout
 * matrix (LZW, both Deflate codes, PackBits, LZMA, Zstd; horizontal and floating-point
 * predictors; tiles that do not divide the image; planar and chunky RGB) read with identical
 * pixels. Skipped when Python with tifffile and imagecodecs is missing.
 */
class TifffileMatrixTest {
  private static final String WRITE = String.join("\n",
      "import sys, hashlib, numpy as np, tifffile",
      "d = sys.argv[1]",
      "rng = np.random.default_rng(1)",
      "cases = []",
      "for dtype in ['uint8', 'int8', 'uint16', 'int16', 'uint32', 'int32', 'float32', 'float64', 'uint64', 'int64']:",
      "  for comp in [None, 'lzw', 'zlib', 'adobe_deflate', 'packbits', 'lzma', 'zstd']:",
      "    for bo in '<>':",
      "      dt = np.dtype(dtype)",
      "      pred = None",
      "      if comp in ('lzw', 'zlib', 'adobe_deflate', 'zstd'):",
      "          pred = 'floatingpoint' if dt.kind == 'f' else 'horizontal'",
      "      tile = (32, 48) if comp in ('zlib', 'zstd', 'lzma') else None",
      "      a = (rng.random((3, 50, 70)) * 100).astype(dt) if dt.kind == 'f' else rng.integers(np.iinfo(dt).min // 2, np.iinfo(dt).max // 2, (3, 50, 70), dtype=dt)",
      "      a[:, 10:20, :] = a[0, 5, 5]  # runs for PackBits and LZW",
      "      name = '%s_%s_%s.tif' % (dtype, comp, 'le' if bo == '<' else 'be')",
      "      tifffile.imwrite(d + '/' + name, a, byteorder=bo, compression=comp, predictor=pred, tile=tile, photometric='minisblack', rowsperstrip=7)",
      "      cases.append((name, a))",
      "rgb = rng.integers(0, 65535, (45, 67, 3), dtype=np.uint16)",
      "tifffile.imwrite(d + '/rgb_chunky_lzw.tif', rgb, photometric='rgb', compression='lzw', predictor='horizontal')",
      "cases.append(('rgb_chunky_lzw.tif', np.moveaxis(rgb, -1, 0)))",
      "tifffile.imwrite(d + '/rgb_planar_zlib_tiled.tif', np.moveaxis(rgb, -1, 0), photometric='rgb', planarconfig='separate', compression='zlib', predictor='horizontal', tile=(16, 32))",
      "cases.append(('rgb_planar_zlib_tiled.tif', np.moveaxis(rgb, -1, 0)))",
      "for name, a in cases:",
      "    a = np.ascontiguousarray(a.astype(a.dtype.newbyteorder('<')))",
      "    print(name, a.dtype.name, hashlib.sha256(a.tobytes()).hexdigest())");

  @Test
  void readsEveryCodecPredictorOrderAndTypeAsTifffileWroteIt(@TempDir Path dir) throws Exception {
    Python.require("tifffile", "numpy", "imagecodecs");
    List<String> lines = Python.run(WRITE, dir.toString()).check().stdout().strip().lines().toList();
    assertEquals(142, lines.size());
    for (String line : lines) {
      String[] f = line.split(" ");
      try (TiffSource s = TiffSource.open(dir.resolve(f[0]), OpenOptions.defaults()); Arena a = Arena.ofConfined()) {
        PixelsMeta p = s.pixels();
        assertEquals(f[1], p.pixelType().numpyName(), f[0]);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        MemorySegment plane = a.allocate(p.planeBytes());
        for (int c = 0; c < p.sizeC(); c++) {
          for (int z = 0; z < p.sizeZ(); z++) {
            s.readPlane(0, c, z, plane);
            md.update(plane.asByteBuffer());
          }
        }
        assertEquals(f[2], HexFormat.of().formatHex(md.digest()), f[0]);
      }
    }
  }
}
