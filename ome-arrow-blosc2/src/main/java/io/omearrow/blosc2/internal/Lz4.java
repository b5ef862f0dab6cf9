package io.omearrow.blosc2.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * LZ4 raw blocks (no frame, no size prefix), as Blosc2 stores them: a bounds-checked decoder that
 * needs the exact output length, a greedy single-probe compressor (LZ4) and a hash-chain
 * compressor (LZ4HC; the chain depth grows with the level). Both compressors emit standard LZ4
 * that any LZ4 decoder accepts.
 */
public final class Lz4 {
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final int MIN_MATCH = 4;
  /** For match offsets 1, 2 and 4: the pattern's bytes in a long, and the factor that repeats them across it. */
  private static final long[] PATTERN_MASK = {0, 0xFFL, 0xFFFFL, 0, 0xFFFFFFFFL};
  private static final long[] PATTERN_SPREAD = {0, 0x0101010101010101L, 0x0001000100010001L, 0, 0x0000000100000001L};
  private static final int MAX_DISTANCE = 65535;
  private static final int HASH_LOG = 14;
  private static final int HC_HASH_LOG = 15;
  private static final ThreadLocal<int[][]> TABLES =
      ThreadLocal.withInitial(() -> new int[][] {new int[1 << HASH_LOG], new int[1 << HC_HASH_LOG], new int[1 << 16]});

  private Lz4() {}

  /**
   * Decodes one raw block of {@code sLen} bytes into exactly {@code dLen} bytes. Nothing outside
   * {@code dst[dOff, dOff + dLen)} is written.
   *
   * @throws IllegalStateException when the input is malformed or decodes to another length
   */
  public static void decompress(byte[] src, int sOff, int sLen, byte[] dst, int dOff, int dLen) {
    int ip = sOff;
    final int sEnd = sOff + sLen;
    int op = dOff;
    final int dEnd = dOff + dLen;
    // Below these limits a sequence with short lengths fits fixed-size copies: it reads at most
    // token + 16 literal bytes (only 14 used) + offset + one length byte, and writes at most
    // 14 literal bytes + 32 match bytes. The last sequence (literals only) never starts there.
    final int sFast = sEnd - 20;
    final int dFast = dEnd - 48;
    while (true) {
      if (ip >= sEnd) {
        throw new IllegalStateException("LZ4 stream ends before its last sequence");
      }
      int token = src[ip++] & 0xFF;
      int lit = token >>> 4;
      if (lit != 15 && ip <= sFast && op <= dFast) {
        if (lit != 0) {
          LONG.set(dst, op, (long) LONG.get(src, ip));
          LONG.set(dst, op + 8, (long) LONG.get(src, ip + 8));
          ip += lit;
          op += lit;
        }
        int off = (src[ip] & 0xFF) | (src[ip + 1] & 0xFF) << 8;
        int ml = token & 15;
        // One extension byte of the match length, read without a branch: ext is 0 unless ml is 15.
        int more = (ml + 1) >>> 4;
        int ext = src[ip + 2] & 0xFF & -more;
        int m = op - off;
        if (off >= 8 && m >= dOff && ext != 255) {
          ip += 2 + more;
          ml += ext + MIN_MATCH;
          if (ml > dEnd - op) {
            throw new IllegalStateException("LZ4 match of " + ml + " bytes overruns the output");
          }
          // Sequential 8-byte steps from at least 8 bytes back read only bytes already written;
          // up to 28 bytes past a short match are overwritten by later output.
          LONG.set(dst, op, (long) LONG.get(dst, m));
          LONG.set(dst, op + 8, (long) LONG.get(dst, m + 8));
          LONG.set(dst, op + 16, (long) LONG.get(dst, m + 16));
          LONG.set(dst, op + 24, (long) LONG.get(dst, m + 24));
          if (ml > 32) {
            if (ml <= dEnd - op - 16) {
              for (int k = 32; k < ml; k += 16) {
                LONG.set(dst, op + k, (long) LONG.get(dst, m + k));
                LONG.set(dst, op + k + 8, (long) LONG.get(dst, m + k + 8));
              }
            } else {
              copyMatch(dst, op + 32, off, ml - 32, dEnd);
            }
          }
          op += ml;
          continue;
        }
        if (off != 0 && (off & (off - 1)) == 0 && m >= dOff && ext != 255) {
          // Offsets 1, 2 and 4 repeat a pattern that fills a long exactly: spread it by one
          // multiplication and store it in 8-byte steps. (A separate branch: sharing the length
          // step with the one above measured 7% slower on the whole decoder.)
          ip += 2 + more;
          ml += ext + MIN_MATCH;
          if (ml > dEnd - op) {
            throw new IllegalStateException("LZ4 match of " + ml + " bytes overruns the output");
          }
          long v = ((long) LONG.get(dst, m) & PATTERN_MASK[off]) * PATTERN_SPREAD[off];
          LONG.set(dst, op, v);
          LONG.set(dst, op + 8, v);
          LONG.set(dst, op + 16, v);
          LONG.set(dst, op + 24, v);
          if (ml > 32) {
            if (ml <= dEnd - op - 8) {
              for (int k = 32; k < ml; k += 8) {
                LONG.set(dst, op + k, v);
              }
            } else {
              copyMatch(dst, op + 32, off, ml - 32, dEnd);
            }
          }
          op += ml;
          continue;
        }
        ip += 2;
        if (off == 0 || m < dOff) {
          throw new IllegalStateException("LZ4 match offset " + off + " points before the output start");
        }
        long r = match(src, ip, sEnd, dst, op, off, ml, dLen, dEnd);
        ip = (int) (r >>> 32);
        op = (int) r;
        continue;
      }
      if (lit == 15) {
        int b;
        do {
          if (ip >= sEnd) {
            throw new IllegalStateException("LZ4 literal length runs past the input");
          }
          b = src[ip++] & 0xFF;
          lit += b;
        } while (b == 255 && lit < dLen + 255);
      }
      if (lit > sEnd - ip || lit > dEnd - op) {
        throw new IllegalStateException("LZ4 literal run of " + lit + " bytes overruns the input or output");
      }
      System.arraycopy(src, ip, dst, op, lit);
      ip += lit;
      op += lit;
      if (ip == sEnd) {
        break;
      }
      if (sEnd - ip < 2) {
        throw new IllegalStateException("LZ4 match offset truncated");
      }
      int off = (src[ip] & 0xFF) | (src[ip + 1] & 0xFF) << 8;
      ip += 2;
      if (off == 0 || off > op - dOff) {
        throw new IllegalStateException("LZ4 match offset " + off + " points before the output start");
      }
      long r = match(src, ip, sEnd, dst, op, off, token & 15, dLen, dEnd);
      ip = (int) (r >>> 32);
      op = (int) r;
    }
    if (op != dEnd) {
      throw new IllegalStateException("LZ4 block decoded to " + (op - dOff) + " bytes, expected " + dLen);
    }
  }

  /**
   * The general match step: reads the length extension at {@code ip} (the offset is already
   * read and checked), copies the match and returns the new input position in the high and the
   * new output position in the low 32 bits.
   */
  private static long match(byte[] src, int ip, int sEnd, byte[] dst, int op, int off, int ml, int dLen, int dEnd) {
    if (ml == 15) {
      int b;
      do {
        if (ip >= sEnd) {
          throw new IllegalStateException("LZ4 match length runs past the input");
        }
        b = src[ip++] & 0xFF;
        ml += b;
      } while (b == 255 && ml < dLen + 255);
    }
    ml += MIN_MATCH;
    if (ml > dEnd - op) {
      throw new IllegalStateException("LZ4 match of " + ml + " bytes overruns the output");
    }
    if (off >= 8 && dEnd - op - ml >= 16) {
      // Wild copy in 16-byte steps (up to 15 bytes past the match, overwritten later).
      int m = op - off;
      int k = 0;
      do {
        LONG.set(dst, op + k, (long) LONG.get(dst, m + k));
        LONG.set(dst, op + k + 8, (long) LONG.get(dst, m + k + 8));
        k += 16;
      } while (k < ml);
    } else {
      copyMatch(dst, op, off, ml, dEnd);
    }
    return (long) ip << 32 | (op + ml);
  }

  /** The match copies the wild loops do not take: offsets below 8, or near the output end. */
  private static void copyMatch(byte[] dst, int op, int off, int ml, int dEnd) {
    int m = op - off;
    if (off >= 8) {
      if (off >= ml && ml > 32) {
        System.arraycopy(dst, m, dst, op, ml);
      } else if (op + ml + 8 <= dEnd) {
        // Wild copy: may write up to 7 bytes past the match, which later output overwrites.
        for (int k = 0; k < ml; k += 8) {
          LONG.set(dst, op + k, (long) LONG.get(dst, m + k));
        }
      } else {
        for (int k = 0; k < ml; k++) {
          dst[op + k] = dst[m + k];
        }
      }
    } else if (off == 1) {
      if (ml <= 64 && op + ml + 8 <= dEnd) {
        // A short run of one byte: 8 copies of it per store beats Arrays.fill's call.
        long v = (dst[m] & 0xFFL) * 0x0101010101010101L;
        for (int k = 0; k < ml; k += 8) {
          LONG.set(dst, op + k, v);
        }
      } else {
        Arrays.fill(dst, op, op + ml, dst[m]);
      }
    } else if (op + ml + 8 <= dEnd) {
      // Widen the period to a multiple of off that is >= 8, then copy 8 bytes at a time.
      int period = off;
      while (period < 8) {
        period += off;
      }
      int k = 0;
      for (int first = Math.min(period, ml); k < first; k++) {
        dst[op + k] = dst[m + k];
      }
      for (; k < ml; k += 8) {
        LONG.set(dst, op + k, (long) LONG.get(dst, op + k - period));
      }
    } else {
      for (int k = 0; k < ml; k++) {
        dst[op + k] = dst[m + k];
      }
    }
  }

  /** The worst-case compressed size of {@code n} bytes. */
  public static int maxCompressedLength(int n) {
    return n + n / 255 + 16;
  }

  /**
   * Compresses {@code len} bytes; returns the compressed length, or -1 if it would not fit in
   * {@code dMax} bytes.
   *
   * @param hcAttempts 0 for the fast greedy compressor, otherwise the hash-chain search depth
   */
  public static int compress(byte[] src, int so, int len, byte[] dst, int dOff, int dMax, int hcAttempts) {
    int[][] tables = TABLES.get();
    int end = so + len;
    int mfLimit = end - 12;
    int matchLimit = end - 5;
    int anchor = so;
    int op = dOff;
    int dEnd = dOff + dMax;
    if (len >= 13) {
      int[] head = hcAttempts > 0 ? tables[1] : tables[0];
      int hashShift = 32 - (hcAttempts > 0 ? HC_HASH_LOG : HASH_LOG);
      int[] chain = tables[2];
      Arrays.fill(head, -1);
      int ip = so;
      int inserted = so;
      int step = 1 << 6;
      while (ip < mfLimit) {
        int seq = (int) INT.get(src, ip);
        int ref = -1;
        int mlen = 0;
        if (hcAttempts > 0) {
          for (; inserted < ip; inserted++) {
            int h = ((int) INT.get(src, inserted) * -1640531535) >>> hashShift;
            chain[inserted & 0xFFFF] = head[h];
            head[h] = inserted;
          }
          int h = (seq * -1640531535) >>> hashShift;
          int cand = head[h];
          for (int a = hcAttempts; cand >= 0 && ip - cand <= MAX_DISTANCE && a > 0; a--) {
            if ((int) INT.get(src, cand) == seq) {
              int l = MIN_MATCH + matchLength(src, cand + MIN_MATCH, ip + MIN_MATCH, matchLimit);
              if (l > mlen) {
                mlen = l;
                ref = cand;
              }
            }
            cand = chain[cand & 0xFFFF];
          }
          chain[ip & 0xFFFF] = head[h];
          head[h] = ip;
          inserted = ip + 1;
        } else {
          int h = (seq * -1640531535) >>> hashShift;
          int cand = head[h];
          head[h] = ip;
          if (cand >= 0 && ip - cand <= MAX_DISTANCE && (int) INT.get(src, cand) == seq) {
            ref = cand;
            mlen = MIN_MATCH + matchLength(src, cand + MIN_MATCH, ip + MIN_MATCH, matchLimit);
          }
        }
        if (ref < 0) {
          // Speed up through incompressible data, as the reference compressor does.
          ip += hcAttempts > 0 ? 1 : (step++ >> 6);
          continue;
        }
        step = 1 << 6;
        while (ip > anchor && ref > so && src[ip - 1] == src[ref - 1]) {
          ip--;
          ref--;
          mlen++;
        }
        op = emit(src, anchor, ip - anchor, ip - ref, mlen, dst, op, dEnd);
        if (op < 0) {
          return -1;
        }
        ip += mlen;
        anchor = ip;
        if (hcAttempts == 0 && ip - 2 >= so && ip < mfLimit) {
          head[((int) INT.get(src, ip - 2) * -1640531535) >>> hashShift] = ip - 2;
        }
      }
    }
    op = emitLast(src, anchor, end - anchor, dst, op, dEnd);
    return op < 0 ? -1 : op - dOff;
  }

  private static int matchLength(byte[] src, int a, int b, int limit) {
    int start = b;
    while (b + 8 <= limit) {
      long x = (long) LONG.get(src, a) ^ (long) LONG.get(src, b);
      if (x != 0) {
        return b - start + (Long.numberOfTrailingZeros(x) >>> 3);
      }
      a += 8;
      b += 8;
    }
    while (b < limit && src[a] == src[b]) {
      a++;
      b++;
    }
    return b - start;
  }

  private static int emit(byte[] src, int lit0, int lit, int off, int mlen, byte[] dst, int op, int dEnd) {
    if (op + 1 + lit + lit / 255 + 1 + 2 + (mlen - MIN_MATCH) / 255 + 1 > dEnd) {
      return -1;
    }
    int tokenPos = op++;
    int token;
    if (lit >= 15) {
      token = 15 << 4;
      op = writeLength(dst, op, lit - 15);
    } else {
      token = lit << 4;
    }
    System.arraycopy(src, lit0, dst, op, lit);
    op += lit;
    dst[op++] = (byte) off;
    dst[op++] = (byte) (off >>> 8);
    int ml = mlen - MIN_MATCH;
    if (ml >= 15) {
      token |= 15;
      op = writeLength(dst, op, ml - 15);
    } else {
      token |= ml;
    }
    dst[tokenPos] = (byte) token;
    return op;
  }

  private static int emitLast(byte[] src, int lit0, int lit, byte[] dst, int op, int dEnd) {
    if (op + 1 + lit + lit / 255 + 1 > dEnd) {
      return -1;
    }
    if (lit >= 15) {
      dst[op++] = (byte) (15 << 4);
      op = writeLength(dst, op, lit - 15);
    } else {
      dst[op++] = (byte) (lit << 4);
    }
    System.arraycopy(src, lit0, dst, op, lit);
    return op + lit;
  }

  private static int writeLength(byte[] dst, int op, int n) {
    while (n >= 255) {
      dst[op++] = (byte) 255;
      n -= 255;
    }
    dst[op++] = (byte) n;
    return op;
  }
}
