package io.omearrow.blosc2;

import java.util.List;
import java.util.Objects;

/**
 * How to compress chunks: codec, level, type size, block size, the six-slot filter pipeline,
 * split mode and thread count. An immutable value; change it with the {@code with*} methods.
 *
 * <pre>{@code
 * CompressionParams p = CompressionParams.mlarrayDefaults(2)          // LZ4HC 8, shuffle, uint16
 *     .withNthreads(4);
 * byte[] chunk = Blosc2Codec.compress(MemorySegment.ofArray(pixels), p);
 * }</pre>
 *
 * @param codec the compressor
 * @param clevel 0 (store) to 9
 * @param typesize element size in bytes, 1 or more (shuffle and split work per element byte)
 * @param blocksize uncompressed bytes per block; 0 chooses one automatically
 * @param filters exactly six filter slots, applied in order when compressing
 * @param filtersMeta exactly six filter parameter bytes (0 to 255, or -128 to 127 for trunc_prec)
 * @param splitMode whether blocks are split into one stream per type-size byte
 * @param nthreads threads for one chunk's blocks, 1 = run on the calling thread only
 */
public record CompressionParams(Codec codec, int clevel, int typesize, int blocksize, List<Filter> filters,
    List<Integer> filtersMeta, SplitMode splitMode, int nthreads) {

  private static final List<Integer> NO_META = List.of(0, 0, 0, 0, 0, 0);

  /** Validates and copies the lists. */
  public CompressionParams {
    Objects.requireNonNull(codec, "codec");
    Objects.requireNonNull(splitMode, "splitMode");
    if (clevel < 0 || clevel > 9) {
      throw new IllegalArgumentException("clevel " + clevel + " out of range [0, 9]");
    }
    if (typesize < 1) {
      throw new IllegalArgumentException("typesize " + typesize + " must be at least 1");
    }
    if (blocksize < 0) {
      throw new IllegalArgumentException("blocksize " + blocksize + " must be 0 (automatic) or positive");
    }
    if (nthreads < 1) {
      throw new IllegalArgumentException("nthreads " + nthreads + " must be at least 1");
    }
    filters = List.copyOf(filters);
    filtersMeta = List.copyOf(filtersMeta);
    if (filters.size() != 6 || filtersMeta.size() != 6) {
      throw new IllegalArgumentException("filters and filtersMeta need exactly 6 slots each, got "
          + filters.size() + " and " + filtersMeta.size());
    }
    for (int m : filtersMeta) {
      if (m < -128 || m > 255) {
        throw new IllegalArgumentException("filter meta " + m + " does not fit in a byte");
      }
    }
  }

  /** The given codec, level and type size with shuffle in slot 5, automatic blocks and split, 1 thread. */
  public static CompressionParams of(Codec codec, int clevel, int typesize) {
    return new CompressionParams(codec, clevel, typesize, 0, shuffleOnly(Filter.SHUFFLE), NO_META,
        SplitMode.AUTO, 1);
  }

  /** mlarray's defaults: LZ4HC level 8, shuffle, automatic split (no split for LZ4HC). */
  public static CompressionParams mlarrayDefaults(int typesize) {
    return of(Codec.LZ4HC, 8, typesize);
  }

  /** python-blosc2's defaults: Zstd level 5, shuffle, automatic split. */
  public static CompressionParams pythonDefaults(int typesize) {
    return of(Codec.ZSTD, 5, typesize);
  }

  /** C-Blosc2's defaults (used for frame indexes and metadata): BloscLZ 5, shuffle, forward-compat split. */
  public static CompressionParams cDefaults(int typesize) {
    return new CompressionParams(Codec.BLOSCLZ, 5, typesize, 0, shuffleOnly(Filter.SHUFFLE), NO_META,
        SplitMode.FORWARD_COMPAT, 1);
  }

  private static List<Filter> shuffleOnly(Filter f) {
    return List.of(Filter.NOSHUFFLE, Filter.NOSHUFFLE, Filter.NOSHUFFLE, Filter.NOSHUFFLE, Filter.NOSHUFFLE, f);
  }

  /** A copy with another codec. */
  public CompressionParams withCodec(Codec c) {
    return new CompressionParams(c, clevel, typesize, blocksize, filters, filtersMeta, splitMode, nthreads);
  }

  /** A copy with another level. */
  public CompressionParams withClevel(int level) {
    return new CompressionParams(codec, level, typesize, blocksize, filters, filtersMeta, splitMode, nthreads);
  }

  /** A copy with another type size. */
  public CompressionParams withTypesize(int size) {
    return new CompressionParams(codec, clevel, size, blocksize, filters, filtersMeta, splitMode, nthreads);
  }

  /** A copy with another block size (0 = automatic). */
  public CompressionParams withBlocksize(int size) {
    return new CompressionParams(codec, clevel, typesize, size, filters, filtersMeta, splitMode, nthreads);
  }

  /** A copy with another split mode. */
  public CompressionParams withSplitMode(SplitMode mode) {
    return new CompressionParams(codec, clevel, typesize, blocksize, filters, filtersMeta, mode, nthreads);
  }

  /** A copy with another thread count. */
  public CompressionParams withNthreads(int n) {
    return new CompressionParams(codec, clevel, typesize, blocksize, filters, filtersMeta, splitMode, n);
  }

  /**
   * A copy whose pipeline is the given filters, placed in the last slots (as python-blosc2 does
   * with a short list), all filter meta bytes 0 except bytedelta's, which gets the type size.
   */
  public CompressionParams withFilters(Filter... pipeline) {
    if (pipeline.length > 6) {
      throw new IllegalArgumentException("at most 6 filters, got " + pipeline.length);
    }
    Filter[] slots = new Filter[6];
    Integer[] meta = new Integer[6];
    java.util.Arrays.fill(slots, Filter.NOSHUFFLE);
    java.util.Arrays.fill(meta, 0);
    int first = 6 - pipeline.length;
    for (int i = 0; i < pipeline.length; i++) {
      slots[first + i] = Objects.requireNonNull(pipeline[i]);
      meta[first + i] = pipeline[i] == Filter.BYTEDELTA ? Math.min(typesize, 255) : 0;
    }
    return new CompressionParams(codec, clevel, typesize, blocksize, List.of(slots), List.of(meta), splitMode, nthreads);
  }

  /** A copy with explicit filter slots and meta bytes (six each). */
  public CompressionParams withFilters(List<Filter> slots, List<Integer> meta) {
    return new CompressionParams(codec, clevel, typesize, blocksize, slots, meta, splitMode, nthreads);
  }

  /** Whether a filter occurs in the pipeline. */
  public boolean uses(Filter f) {
    return filters.contains(f);
  }
}
