package io.omearrow.io.mlarray;

import io.omearrow.blosc2.CompressionParams;

/**
 * How an mlarray file is laid out and compressed. Immutable; {@code with*} return copies.
 *
 * @param patchSize patch edge per spatial axis for the chunk/block heuristic, or null for
 *     mlarray's default (192 per spatial axis, or the patch recorded in the metadata)
 * @param chunks explicit chunk shape (needs {@code blocks} too), or null
 * @param blocks explicit block shape (needs {@code chunks} too), or null
 * @param params compression, or null for mlarray's default (LZ4HC 8 with shuffle); its type and
 *     block sizes are set from the array
 * @param nthreads threads for compressing one chunk's blocks
 */
public record SaveOptions(int[] patchSize, int[] chunks, int[] blocks, CompressionParams params, int nthreads) {

  /** Checks the pairing of chunks and blocks. */
  public SaveOptions {
    if ((chunks == null) != (blocks == null)) {
      throw new IllegalArgumentException("chunk and block sizes go together (as in mlarray): give both or neither");
    }
    if (nthreads < 1) {
      throw new IllegalArgumentException("nthreads " + nthreads + " must be at least 1");
    }
    patchSize = patchSize == null ? null : patchSize.clone();
    chunks = chunks == null ? null : chunks.clone();
    blocks = blocks == null ? null : blocks.clone();
  }

  /** mlarray's defaults: patch 192, LZ4HC 8 + shuffle, one thread. */
  public static SaveOptions defaults() {
    return new SaveOptions(null, null, null, null, 1);
  }

  /** A copy with a patch size for the heuristic. */
  public SaveOptions withPatchSize(int... patch) {
    return new SaveOptions(patch, chunks, blocks, params, nthreads);
  }

  /** A copy with explicit chunk and block shapes. */
  public SaveOptions withChunksAndBlocks(int[] c, int[] b) {
    return new SaveOptions(patchSize, c, b, params, nthreads);
  }

  /** A copy with other compression parameters. */
  public SaveOptions withParams(CompressionParams p) {
    return new SaveOptions(patchSize, chunks, blocks, p, nthreads);
  }

  /** A copy with a thread count. */
  public SaveOptions withNthreads(int n) {
    return new SaveOptions(patchSize, chunks, blocks, params, n);
  }
}
