package io.omearrow.blosc2.internal;

import io.omearrow.blosc2.Blosc2Exception;

/** Delta (XOR against block 0), bytedelta and trunc_prec, on byte arrays. */
public final class SimpleFilters {
  private SimpleFilters() {}

  /** The XOR word size the delta filter uses for a type size. */
  static int deltaWord(int typesize) {
    if (typesize == 1 || typesize == 2 || typesize == 4 || typesize == 8) {
      return typesize;
    }
    return typesize % 8 == 0 ? 8 : 1;
  }

  /**
   * Forward delta of one block: block 0 ({@code ref == null}) XORs each word with the previous one,
   * other blocks XOR with the same word of the chunk's original block 0 ({@code ref} at {@code ro}).
   */
  public static void deltaEncode(int typesize, byte[] src, int so, byte[] ref, int ro, byte[] dst, int dOff, int len) {
    int w = deltaWord(typesize);
    int words = len / w;
    if (ref == null) {
      System.arraycopy(src, so, dst, dOff, Math.min(w, len));
      for (int i = w; i < words * w; i++) {
        dst[dOff + i] = (byte) (src[so + i] ^ src[so + i - w]);
      }
    } else {
      for (int i = 0; i < words * w; i++) {
        dst[dOff + i] = (byte) (src[so + i] ^ ref[ro + i]);
      }
    }
    System.arraycopy(src, so + words * w, dst, dOff + words * w, len - words * w);
  }

  /** Inverse delta in place; {@code ref} is the already decoded block 0, or null for block 0 itself. */
  public static void deltaDecode(int typesize, byte[] buf, int off, byte[] ref, int ro, int len) {
    int w = deltaWord(typesize);
    int words = len / w;
    if (ref == null) {
      for (int i = w; i < words * w; i++) {
        buf[off + i] ^= buf[off + i - w];
      }
    } else {
      for (int i = 0; i < words * w; i++) {
        buf[off + i] ^= ref[ro + i];
      }
    }
  }

  /** Forward bytedelta: {@code t} byte streams of {@code len / t} bytes, each as running differences. */
  public static void byteDeltaEncode(int t, byte[] src, int so, byte[] dst, int dOff, int len) {
    int n = len / t;
    for (int j = 0; j < t; j++) {
      int prev = 0;
      for (int i = j * n; i < (j + 1) * n; i++) {
        int v = src[so + i];
        dst[dOff + i] = (byte) (v - prev);
        prev = v;
      }
    }
    System.arraycopy(src, so + n * t, dst, dOff + n * t, len - n * t);
  }

  /** Inverse bytedelta in place (running sum per stream). */
  public static void byteDeltaDecode(int t, byte[] buf, int off, int len) {
    int n = len / t;
    for (int j = 0; j < t; j++) {
      int acc = 0;
      for (int i = off + j * n, end = off + (j + 1) * n; i < end; i++) {
        acc += buf[i];
        buf[i] = (byte) acc;
      }
    }
  }

  /** trunc_prec: zeroes low mantissa bits of little-endian float32/float64 values. */
  public static void truncPrec(int typesize, int precBits, byte[] src, int so, byte[] dst, int dOff, int len) {
    int mantissa = switch (typesize) {
      case 4 -> 23;
      case 8 -> 52;
      default -> throw new Blosc2Exception("trunc_prec works on float32 or float64 data only (typesize 4 or 8), "
          + "not typesize " + typesize + "; drop TRUNC_PREC from the filters");
    };
    int zeroed = precBits >= 0 ? mantissa - precBits : -precBits;
    if (zeroed < 0 || zeroed >= mantissa) {
      throw new Blosc2Exception("trunc_prec meta " + precBits + " would keep " + (mantissa - zeroed)
          + " of " + mantissa + " mantissa bits; use a value in [1, " + (mantissa - 1) + "] or [-" + (mantissa - 1) + ", -1]");
    }
    System.arraycopy(src, so, dst, dOff, len);
    int n = len / typesize;
    // The zeroed bits are the low bits of each little-endian word, i.e. its first bytes.
    for (int e = 0; e < n; e++) {
      int base = dOff + e * typesize;
      int bits = zeroed;
      for (int b = 0; bits > 0; b++, bits -= 8) {
        dst[base + b] &= (byte) (bits >= 8 ? 0 : (0xFF << bits));
      }
    }
  }
}
