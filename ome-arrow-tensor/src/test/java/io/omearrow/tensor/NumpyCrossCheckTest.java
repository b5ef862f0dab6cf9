package io.omearrow.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.omearrow.core.OmeImage;
import io.omearrow.core.PixelConverter;
import io.omearrow.core.PixelType;
import io.omearrow.testing.LeakCheckedAllocator;
import io.omearrow.testing.Python;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Random views (selections of every form, ROIs, layouts that drop and permute axes, dtype
 * conversions, chunked and plane storage) checked value for value against NumPy computing the
 * same selection on the same arange array with fancy indexing, squeeze, transpose and astype.
 */
@ExtendWith(LeakCheckedAllocator.class)
class NumpyCrossCheckTest {
  private static final String SCRIPT = """
      import json, sys
      import numpy as np
      out = []
      for case in json.loads(sys.stdin.read()):
          T, C, Z, Y, X = case["shape"]
          arr = (np.arange(T * C * Z * Y * X) % 65536).astype(np.uint16).reshape(T, C, Z, Y, X)
          def pick(spec, n):
              kind = spec[0]
              r = range(n)
              if kind == "all": return list(r)
              if kind == "index": return [r[spec[1]]]
              if kind == "slice": return list(r[slice(spec[1], spec[2], spec[3])])
              return [r[i] for i in spec[1]]
          t = pick(case["t"], T); z = pick(case["z"], Z); c = pick(case["c"], C)
          x, y, w, h = case["roi"]
          a = arr[np.ix_(t, c, z)][..., y:y + h, x:x + w].transpose(0, 2, 1, 3, 4)
          basis = "TZCYX"
          layout = case["layout"]
          if "C" not in layout and a.shape[2] > 1 and case["first"]:
              a = a[:, :, :1]
          drop = tuple(i for i, d in enumerate(basis) if d not in layout)
          a = a.squeeze(axis=drop)
          kept = [d for d in basis if d in layout]
          a = a.transpose([kept.index(d) for d in layout])
          a = a.astype(case["dtype"])
          out.append({"shape": list(a.shape), "values": a.ravel().tolist()})
      print(json.dumps(out))
      """;

  record Case(int[] shape, Object[] t, Object[] z, Object[] c, Roi roi, String layout, String dtype, boolean first, int[] chunk) {}

  private static Object[] spec(Random r, int n) {
    return switch (r.nextInt(4)) {
      case 0 -> new Object[] {"all"};
      case 1 -> new Object[] {"index", r.nextInt(2 * n) - n};
      case 2 -> {
        Integer a = r.nextBoolean() ? null : r.nextInt(2 * n + 2) - n - 1;
        Integer b = r.nextBoolean() ? null : r.nextInt(2 * n + 2) - n - 1;
        Integer s = r.nextInt(3) == 0 ? null : (r.nextBoolean() ? 1 : -1) * (1 + r.nextInt(2));
        yield new Object[] {"slice", a, b, s};
      }
      default -> {
        int[] v = new int[1 + r.nextInt(3)];
        for (int i = 0; i < v.length; i++) {
          v[i] = r.nextInt(2 * n) - n;
        }
        yield new Object[] {"list", v};
      }
    };
  }

  private static IndexSelection toSelection(Object[] s) {
    return switch ((String) s[0]) {
      case "all" -> IndexSelection.all();
      case "index" -> IndexSelection.index((Integer) s[1]);
      case "slice" -> IndexSelection.slice((Integer) s[1], (Integer) s[2], (Integer) s[3]);
      default -> IndexSelection.list((int[]) s[1]);
    };
  }

  private static int count(Object[] s, int n) {
    return IndexSelection.all() == toSelection(s) ? n : toSelection(s).resolve("x", n).length;
  }

  private static String json(Object o) {
    if (o == null) {
      return "null";
    }
    if (o instanceof String s) {
      return "\"" + s + "\"";
    }
    if (o instanceof int[] a) {
      return Arrays.toString(a);
    }
    if (o instanceof Object[] a) {
      List<String> parts = new ArrayList<>();
      for (Object x : a) {
        parts.add(json(x));
      }
      return "[" + String.join(", ", parts) + "]";
    }
    return o.toString();
  }

  private static List<Case> cases() {
    Random r = new Random(20251121);
    String[] dtypes = {"uint16", "uint16", "uint8", "int8", "int32", "float32", "float64"};
    List<Case> out = new ArrayList<>();
    while (out.size() < 60) {
      int[] shape = {1 + r.nextInt(3), 1 + r.nextInt(3), 1 + r.nextInt(3), 1 + r.nextInt(7), 1 + r.nextInt(9)};
      Object[] t = spec(r, shape[0]);
      Object[] z = spec(r, shape[2]);
      Object[] c = spec(r, shape[1]);
      int nt;
      int nz;
      int nc;
      try {
        nt = count(t, shape[0]);
        nz = count(z, shape[2]);
        nc = count(c, shape[1]);
      } catch (RuntimeException e) {
        continue; // out-of-range index: covered by SelectionErrorsTest
      }
      int x = r.nextInt(shape[4]);
      int y = r.nextInt(shape[3]);
      Roi roi = Roi.of(x, y, 1 + r.nextInt(shape[4] - x), 1 + r.nextInt(shape[3] - y));
      boolean first = r.nextBoolean();
      long[] sizes = {nt, nz, first && nc > 1 ? -1 : nc, roi.h(), roi.w()};
      List<Character> axes = new ArrayList<>();
      String basis = "TZCYX";
      for (int i = 0; i < 5; i++) {
        boolean canDrop = sizes[i] == 1 || (i == 2 && sizes[i] == -1);
        if (!canDrop || r.nextInt(3) != 0) {
          axes.add(basis.charAt(i));
        }
      }
      if (axes.isEmpty()) {
        continue;
      }
      java.util.Collections.shuffle(axes, r);
      StringBuilder layout = new StringBuilder();
      axes.forEach(layout::append);
      int[] chunk = r.nextBoolean() ? null : new int[] {1 + r.nextInt(2), 1 + r.nextInt(4), 1 + r.nextInt(5)};
      out.add(new Case(shape, t, z, c, roi, layout.toString(), dtypes[r.nextInt(dtypes.length)], first, chunk));
    }
    return out;
  }

  private static double element(MemorySegment s, PixelType type, long i) {
    return switch (type) {
      case UINT8 -> s.get(ValueLayout.JAVA_BYTE, i) & 0xFF;
      case INT8 -> s.get(ValueLayout.JAVA_BYTE, i);
      case UINT16 -> s.get(ValueLayout.JAVA_SHORT_UNALIGNED, 2 * i) & 0xFFFF;
      case INT16 -> s.get(ValueLayout.JAVA_SHORT_UNALIGNED, 2 * i);
      case INT32 -> s.get(ValueLayout.JAVA_INT_UNALIGNED, 4 * i);
      case UINT32 -> s.get(ValueLayout.JAVA_INT_UNALIGNED, 4 * i) & 0xFFFFFFFFL;
      case FLOAT32 -> s.get(ValueLayout.JAVA_FLOAT_UNALIGNED, 4 * i);
      case FLOAT64 -> s.get(ValueLayout.JAVA_DOUBLE_UNALIGNED, 8 * i);
      default -> s.get(ValueLayout.JAVA_LONG_UNALIGNED, 8 * i);
    };
  }

  @Test
  void randomViewsMatchNumpy(BufferAllocator a) throws Exception {
    Python.require("numpy");
    List<Case> cases = cases();
    StringBuilder in = new StringBuilder("[");
    for (Case k : cases) {
      if (in.length() > 1) {
        in.append(",");
      }
      in.append("{\"shape\": ").append(Arrays.toString(k.shape())).append(", \"t\": ").append(json(k.t())).append(", \"z\": ")
          .append(json(k.z())).append(", \"c\": ").append(json(k.c())).append(", \"roi\": ").append(Arrays.toString(k.roi().toArray()))
          .append(", \"layout\": \"").append(k.layout()).append("\", \"dtype\": \"").append(k.dtype()).append("\", \"first\": ")
          .append(k.first() ? "true" : "false").append("}");
    }
    in.append("]");
    java.nio.file.Path input = java.nio.file.Files.createTempFile("cases", ".json");
    try {
      java.nio.file.Files.writeString(input, in.toString());
      String stdin = "import sys; sys.stdin = open(sys.argv[1])\n";
      Python.Result res = Python.run(stdin + SCRIPT, input.toString()).check();
      List<double[]> values = new ArrayList<>();
      List<long[]> shapes = new ArrayList<>();
      parse(res.stdout(), shapes, values);
      assertEquals(cases.size(), values.size());
      for (int i = 0; i < cases.size(); i++) {
        Case k = cases.get(i);
        try (OmeImage img = TestImages.arange(a, k.shape()[0], k.shape()[1], k.shape()[2], k.shape()[3], k.shape()[4], k.chunk())) {
          Selection s = Selection.all().withT(toSelection(k.t())).withZ(toSelection(k.z())).withC(toSelection(k.c())).withRoi(k.roi())
              .withLayout(k.layout()).withDtype(PixelType.fromName(k.dtype()), PixelConverter.Rule.WRAP)
              .withChannelPolicy(k.first() ? ChannelPolicy.FIRST : ChannelPolicy.ERROR);
          TensorView v = TensorView.of(img, s);
          String what = "case " + i + " " + k + " " + Arrays.toString(k.t()) + Arrays.toString(k.z()) + Arrays.toString(k.c());
          assertArrayEquals(shapes.get(i), v.shape(), what);
          try (Tensor t = v.materialize(a)) {
            double[] got = new double[(int) t.elementCount()];
            for (int j = 0; j < got.length; j++) {
              got[j] = element(t.segment(), t.dtype(), j);
            }
            assertArrayEquals(values.get(i), got, what);
          }
        }
      }
    } finally {
      java.nio.file.Files.deleteIfExists(input);
    }
  }

  /** Parses [{"shape": [..], "values": [..]}, ...] (the script's fixed output form). */
  private static void parse(String json, List<long[]> shapes, List<double[]> values) {
    int p = 0;
    while ((p = json.indexOf("\"shape\": [", p)) >= 0) {
      int s0 = p + 10;
      int s1 = json.indexOf(']', s0);
      shapes.add(nums(json.substring(s0, s1)).stream().mapToLong(Double::longValue).toArray());
      int v0 = json.indexOf("\"values\": [", s1) + 11;
      int v1 = json.indexOf(']', v0);
      values.add(nums(json.substring(v0, v1)).stream().mapToDouble(Double::doubleValue).toArray());
      p = v1;
    }
  }

  private static List<Double> nums(String s) {
    List<Double> out = new ArrayList<>();
    for (String part : s.split(",")) {
      if (!part.isBlank()) {
        out.add(Double.parseDouble(part.strip()));
      }
    }
    return out;
  }
}
