package io.omearrow.blosc2.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * BloscLZ, Blosc's FastLZ-derived LZ77: a bounds-checked decoder and a simple greedy encoder that
 * emits the same token forms (literal runs of 1-32 bytes; short, long and far matches).
 */
public final class BloscLz {
  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final int MAX_COPY = 32;
  private static final int MAX_DISTANCE = 8191;
  private static final int MAX_FAR_DISTANCE = 65535 + MAX_DISTANCE;
  private static final int HASH_LOG = 13;
  private static final ThreadLocal<int[]> TABLE = ThreadLocal.withInitial(() -> new int[1 << HASH_LOG]);

  private BloscLz() {}

  /**
   * Decodes a stream into exactly {@code dLen} bytes.
   *
   * @throws IllegalStateException on malformed input or a length mismatch
   */
  public static void decompress(byte[] src, int sOff, int sLen, byte[] dst, int dOff, int dLen) {
    if (sLen == 0) {
      if (dLen != 0) {
        throw new IllegalStateException("empty BloscLZ stream for " + dLen + " bytes");
      }
      return;
    }
    int ip = sOff;
    int sEnd = sOff + sLen;
    int op = dOff;
    int dEnd = dOff + dLen;
    int ctrl = src[ip++] & 31;
    while (true) {
      if (ctrl < 32) {
        int run = ctrl + 1;
        if (run > sEnd - ip || run > dEnd - op) {
          throw new IllegalStateException("BloscLZ literal run overruns the input or output");
        }
        System.arraycopy(src, ip, dst, op, run);
        ip += run;
        op += run;
        if (ip >= sEnd) {
          break;
        }
        ctrl = src[ip++] & 0xFF;
      } else {
        int len = (ctrl >>> 5) - 1;
        int hi = (ctrl & 31) << 8;
        if (len == 6) {
          int b;
          do {
            if (ip >= sEnd) {
              throw new IllegalStateException("BloscLZ match length runs past the input");
            }
            b = src[ip++] & 0xFF;
            len += b;
          } while (b == 255 && len <= dLen);
        }
        if (ip >= sEnd) {
          throw new IllegalStateException("BloscLZ match distance truncated");
        }
        int code = src[ip++] & 0xFF;
        len += 3;
        int dist;
        if (code == 255 && hi == (31 << 8)) {
          if (sEnd - ip < 2) {
            throw new IllegalStateException("BloscLZ far distance truncated");
          }
          dist = ((src[ip] & 0xFF) << 8 | (src[ip + 1] & 0xFF)) + MAX_DISTANCE + 1;
          ip += 2;
        } else {
          dist = hi + code + 1;
        }
        if (len > dEnd - op || dist > op - dOff) {
          throw new IllegalStateException("BloscLZ match (length " + len + ", distance " + dist + ") out of bounds");
        }
        if (ip >= sEnd) {
          break;
        }
        ctrl = src[ip++] & 0xFF;
        int m = op - dist;
        if (dist == 1) {
          Arrays.fill(dst, op, op + len, dst[m]);
        } else if (dist >= len) {
          System.arraycopy(dst, m, dst, op, len);
        } else {
          for (int k = 0; k < len; k++) {
            dst[op + k] = dst[m + k];
          }
        }
        op += len;
      }
    }
    if (op != dEnd) {
      throw new IllegalStateException("BloscLZ stream decoded to " + (op - dOff) + " bytes, expected " + dLen);
    }
  }

  /**
   * Compresses {@code len} bytes; returns the stream length or -1 when it would not fit in
   * {@code dMax} bytes or the input is too short to be worth it.
   */
  public static int compress(byte[] src, int so, int len, byte[] dst, int dOff, int dMax) {
    if (len < 16) {
      return -1;
    }
    int[] table = TABLE.get();
    Arrays.fill(table, -1);
    int end = so + len;
    int limit = end - 12;
    int ip = so;
    int anchor = so;
    int op = dOff;
    int dEnd = dOff + dMax;
    while (ip < limit) {
      int seq = (int) INT.get(src, ip);
      int h = (seq * -1640531535) >>> (32 - HASH_LOG);
      int ref = table[h];
      table[h] = ip;
      int dist = ip - ref;
      if (ref < 0 || dist > MAX_FAR_DISTANCE || (int) INT.get(src, ref) != seq) {
        ip++;
        continue;
      }
      int mlen = 4;
      int maxLen = end - 1 - ip;
      while (mlen < maxLen && src[ref + mlen] == src[ip + mlen]) {
        mlen++;
      }
      boolean far = dist - 1 >= MAX_DISTANCE;
      if (far && mlen <= 5) {
        ip++;
        continue;
      }
      op = literals(src, anchor, ip - anchor, dst, op, dEnd);
      if (op < 0 || dEnd - op < 4 + (mlen / 255) + 1) {
        return -1;
      }
      int l = mlen - 3;
      int d = dist - 1;
      int top = l < 6 ? l + 1 : 7;
      int hiBits = far ? 31 : d >>> 8;
      dst[op++] = (byte) (top << 5 | hiBits);
      if (top == 7) {
        int rest = l - 6;
        while (rest >= 255) {
          dst[op++] = (byte) 255;
          rest -= 255;
        }
        dst[op++] = (byte) rest;
      }
      if (far) {
        int fd = d - MAX_DISTANCE;
        dst[op++] = (byte) 255;
        dst[op++] = (byte) (fd >>> 8);
        dst[op++] = (byte) fd;
      } else {
        dst[op++] = (byte) d;
      }
      ip += mlen;
      anchor = ip;
    }
    op = literals(src, anchor, end - anchor, dst, op, dEnd);
    return op < 0 ? -1 : op - dOff;
  }

  private static int literals(byte[] src, int from, int n, byte[] dst, int op, int dEnd) {
    if (dEnd - op < n + (n + MAX_COPY - 1) / MAX_COPY) {
      return -1;
    }
    while (n > 0) {
      int run = Math.min(n, MAX_COPY);
      dst[op++] = (byte) (run - 1);
      System.arraycopy(src, from, dst, op, run);
      op += run;
      from += run;
      n -= run;
    }
    return op;
  }
}
