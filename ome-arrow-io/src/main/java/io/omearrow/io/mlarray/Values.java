package io.omearrow.io.mlarray;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Conversions from loosely typed metadata values (pickle or msgpack output) to model fields. */
final class Values {
  private Values() {}

  static MlArrayException bad(String where, String field, String problem) {
    return new MlArrayException(where + ": metadata field '" + field + "' " + problem);
  }

  static Double num(Object v, String where, String field) {
    if (v == null) {
      return null;
    }
    if (v instanceof Boolean) {
      throw bad(where, field, "must be a number, not a boolean");
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof String s && s.equals("NaN")) {
      return Double.NaN;
    }
    throw bad(where, field, "must be a number, got " + describe(v));
  }

  static List<Double> nums(Object v, String where, String field) {
    if (v == null) {
      return null;
    }
    List<Double> out = new ArrayList<>();
    for (Object o : list(v, where, field)) {
      out.add(num(o, where, field));
    }
    return Collections.unmodifiableList(out);
  }

  static List<List<Double>> matrix(Object v, String where, String field) {
    if (v == null) {
      return null;
    }
    List<List<Double>> out = new ArrayList<>();
    for (Object row : list(v, where, field)) {
      out.add(nums(row, where, field));
    }
    return Collections.unmodifiableList(out);
  }

  static List<Integer> ints(Object v, String where, String field) {
    if (v == null) {
      return null;
    }
    List<Integer> out = new ArrayList<>();
    for (Object o : list(v, where, field)) {
      if (!(o instanceof Long || o instanceof Integer)) {
        throw bad(where, field, "must hold integers, got " + describe(o));
      }
      out.add(((Number) o).intValue());
    }
    return Collections.unmodifiableList(out);
  }

  static List<Long> longs(Object v, String where, String field) {
    if (v == null) {
      return null;
    }
    List<Long> out = new ArrayList<>();
    for (Object o : list(v, where, field)) {
      if (!(o instanceof Long || o instanceof Integer)) {
        throw bad(where, field, "must hold integers, got " + describe(o));
      }
      out.add(((Number) o).longValue());
    }
    return Collections.unmodifiableList(out);
  }

  static List<String> strings(Object v, String where, String field) {
    if (v == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (Object o : list(v, where, field)) {
      if (!(o instanceof String s)) {
        throw bad(where, field, "must hold strings, got " + describe(o));
      }
      out.add(s);
    }
    return Collections.unmodifiableList(out);
  }

  static String string(Object v, String where, String field) {
    if (v == null || v instanceof String) {
      return (String) v;
    }
    throw bad(where, field, "must be a string, got " + describe(v));
  }

  static Boolean bool(Object v, String where, String field) {
    if (v == null || v instanceof Boolean) {
      return (Boolean) v;
    }
    throw bad(where, field, "must be true, false or null, got " + describe(v));
  }

  static List<?> list(Object v, String where, String field) {
    if (v instanceof List<?> l) {
      return l;
    }
    throw bad(where, field, "must be a list, got " + describe(v));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object v, String where, String field) {
    if (v == null) {
      return null;
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!(e.getKey() instanceof String k)) {
          throw bad(where, field, "must have string keys, got " + describe(e.getKey()));
        }
        out.put(k, e.getValue());
      }
      return out;
    }
    throw bad(where, field, "must be a dict, got " + describe(v));
  }

  /** Rejects keys the Python dataclass does not have (mlarray raises KeyError for them). */
  static void onlyKeys(Map<String, Object> m, String where, String field, List<String> allowed) {
    for (String k : m.keySet()) {
      if (!allowed.contains(k)) {
        throw bad(where, field, "has unknown key '" + k + "' (mlarray accepts " + allowed + ")");
      }
    }
  }

  /** mlarray's single-key wrapper: {key: value} or the bare value. */
  static Object unwrap(Object v, String key) {
    if (v instanceof Map<?, ?> m && m.size() == 1 && m.containsKey(key)) {
      return m.get(key);
    }
    return v;
  }

  static String describe(Object v) {
    return v == null ? "None" : v.getClass().getSimpleName() + " " + abbreviate(String.valueOf(v));
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }

  /** A deep, JSON-like copy with unmodifiable collections. */
  static Object freeze(Object v) {
    if (v instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put(k, freeze(x)));
      return Collections.unmodifiableMap(out);
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(x -> out.add(freeze(x)));
      return Collections.unmodifiableList(out);
    }
    return v;
  }
}
