package io.omearrow.tensor;

import java.math.BigInteger;
import java.util.List;

/**
 * CPython's {@code random.Random(seed)} for the one operation the reference uses, {@code shuffle}:
 * MT19937 seeded with {@code init_by_array} over the 32-bit words of |seed| (least significant
 * first), Fisher–Yates from the end with {@code _randbelow} by rejection sampling on
 * {@code getrandbits(k)}. A seeded shuffle therefore gives the same order as the Python package
 * does for the same seed. Not thread-safe; one instance per shuffle.
 */
final class PythonRandom {
  private static final int N = 624;
  private static final int M = 397;
  private final int[] mt = new int[N];
  private int mti = N + 1;

  PythonRandom(long seed) {
    BigInteger n = BigInteger.valueOf(seed).abs();
    int words = Math.max(1, (n.bitLength() + 31) / 32);
    int[] key = new int[words];
    for (int i = 0; i < words; i++) {
      key[i] = n.shiftRight(32 * i).intValue();
    }
    initByArray(key);
  }

  private void initGenrand(int s) {
    mt[0] = s;
    for (mti = 1; mti < N; mti++) {
      mt[mti] = 1812433253 * (mt[mti - 1] ^ (mt[mti - 1] >>> 30)) + mti;
    }
  }

  private void initByArray(int[] key) {
    initGenrand(19650218);
    int i = 1;
    int j = 0;
    for (int k = Math.max(N, key.length); k > 0; k--) {
      mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1664525)) + key[j] + j;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
      if (j >= key.length) {
        j = 0;
      }
    }
    for (int k = N - 1; k > 0; k--) {
      mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1566083941)) - i;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
    }
    mt[0] = 0x80000000;
  }

  /** The next 32 random bits (genrand_uint32). */
  int next32() {
    int y;
    if (mti >= N) {
      int kk;
      for (kk = 0; kk < N - M; kk++) {
        y = (mt[kk] & 0x80000000) | (mt[kk + 1] & 0x7fffffff);
        mt[kk] = mt[kk + M] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
      }
      for (; kk < N - 1; kk++) {
        y = (mt[kk] & 0x80000000) | (mt[kk + 1] & 0x7fffffff);
        mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
      }
      y = (mt[N - 1] & 0x80000000) | (mt[0] & 0x7fffffff);
      mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
      mti = 0;
    }
    y = mt[mti++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y;
  }

  /** getrandbits(k) for 1 ≤ k ≤ 31. */
  private int bits(int k) {
    return next32() >>> (32 - k);
  }

  /** A uniform integer in [0, n), as CPython's _randbelow_with_getrandbits (n < 2^31). */
  int below(int n) {
    int k = 32 - Integer.numberOfLeadingZeros(n);
    int r = bits(k);
    while (r >= n) {
      r = bits(k);
    }
    return r;
  }

  /** random.shuffle(x) in place. */
  <T> void shuffle(List<T> x) {
    for (int i = x.size() - 1; i > 0; i--) {
      int j = below(i + 1);
      T tmp = x.get(i);
      x.set(i, x.get(j));
      x.set(j, tmp);
    }
  }
}
