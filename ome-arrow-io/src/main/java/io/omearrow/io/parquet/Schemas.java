package io.omearrow.io.parquet;

import io.omearrow.core.FormatException;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.parquet.format.ConvertedType;
import org.apache.parquet.format.FieldRepetitionType;
import org.apache.parquet.format.IntType;
import org.apache.parquet.format.ListType;
import org.apache.parquet.format.LogicalType;
import org.apache.parquet.format.MicroSeconds;
import org.apache.parquet.format.MilliSeconds;
import org.apache.parquet.format.NanoSeconds;
import org.apache.parquet.format.NullType;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.StringType;
import org.apache.parquet.format.TimestampType;
import org.apache.parquet.format.Type;

/**
 * Maps between the Parquet schema (the footer's flat list of schema elements) and Arrow fields,
 * as pyarrow does: 2- and 3-level lists, structs, integers of every width and signedness, utf8,
 * binary, timestamps, and the null type. When the file carries pyarrow's {@code ARROW:schema},
 * its fields name the Arrow types (large_list, large_binary) the Parquet schema cannot express.
 */
final class Schemas {
  private Schemas() {}

  /** A top-level column: its node, or why it cannot be read. */
  record Column(String name, Node node, String unsupported, Field field) {}

  /** Builds the top-level columns from the footer schema, with optional Arrow hints by name. */
  static List<Column> read(List<SchemaElement> elements, List<Field> hints, String where) {
    if (elements.isEmpty()) {
      throw new FormatException(where + ": empty Parquet schema");
    }
    int[] pos = {1};
    int[] leaf = {0};
    List<Column> out = new ArrayList<>();
    int n = elements.get(0).getNum_children();
    for (int i = 0; i < n; i++) {
      if (pos[0] >= elements.size()) {
        throw new FormatException(where + ": Parquet schema declares more fields than it holds");
      }
      SchemaElement e = elements.get(pos[0]);
      Field hint = null;
      for (Field h : hints) {
        if (h.getName().equals(e.getName())) {
          hint = h;
        }
      }
      int startPos = pos[0];
      int startLeaf = leaf[0];
      try {
        Node node = build(elements, pos, leaf, hint, 0, 0, 0, 0, List.of(), where);
        out.add(new Column(e.getName(), node, null, node.field));
      } catch (FormatException ex) {
        pos[0] = startPos;
        leaf[0] = startLeaf;
        skip(elements, pos, leaf);
        out.add(new Column(e.getName(), null, ex.getMessage(), null));
      }
    }
    return out;
  }

  private static void skip(List<SchemaElement> el, int[] pos, int[] leaf) {
    SchemaElement e = el.get(pos[0]++);
    if (!e.isSetNum_children() || e.getNum_children() == 0) {
      leaf[0]++;
      return;
    }
    for (int i = 0; i < e.getNum_children(); i++) {
      skip(el, pos, leaf);
    }
  }

  private static boolean isGroup(SchemaElement e) {
    return e.isSetNum_children() && e.getNum_children() > 0 || !e.isSetType();
  }

  private static boolean isList(SchemaElement e) {
    return (e.isSetLogicalType() && e.getLogicalType().isSetLIST())
        || (e.isSetConverted_type() && e.getConverted_type() == ConvertedType.LIST);
  }

  private static Node build(List<SchemaElement> el, int[] pos, int[] leaf, Field hint, int parentDef, int depth, int slotDef, int rep,
      List<String> parentPath, String where) {
    SchemaElement e = el.get(pos[0]++);
    List<String> path = append(parentPath, e.getName());
    FieldRepetitionType r = e.isSetRepetition_type() ? e.getRepetition_type() : FieldRepetitionType.REQUIRED;
    if (r == FieldRepetitionType.REPEATED) {
      throw new FormatException(where + ": column '" + String.join(".", path) + "' is a bare repeated field, which this reader does not support");
    }
    int def = parentDef + (r == FieldRepetitionType.OPTIONAL ? 1 : 0);
    boolean nullable = r == FieldRepetitionType.OPTIONAL;
    String name = hint != null ? hint.getName() : e.getName();
    if (isGroup(e) && isList(e)) {
      if (e.getNum_children() != 1) {
        throw new FormatException(where + ": list '" + String.join(".", path) + "' must have one repeated child");
      }
      SchemaElement repEl = el.get(pos[0]);
      if (repEl.getRepetition_type() != FieldRepetitionType.REPEATED) {
        throw new FormatException(where + ": list '" + String.join(".", path) + "' child is not repeated");
      }
      int elemDef = def + 1;
      Field itemHint = hint != null && hint.getChildren().size() == 1 ? hint.getChildren().get(0) : null;
      boolean threeLevel = isGroup(repEl) && repEl.getNum_children() == 1 && !repEl.getName().equals("array")
          && !repEl.getName().equals(e.getName() + "_tuple");
      Node item;
      if (threeLevel) {
        pos[0]++;
        item = build(el, pos, leaf, itemHint, elemDef, depth + 1, elemDef, rep + 1, append(path, repEl.getName()), where);
      } else {
        item = buildRepeatedAsElement(el, pos, leaf, itemHint, elemDef, depth + 1, rep + 1, path, where);
      }
      ArrowType lt = hint != null && hint.getType() instanceof ArrowType.LargeList ? ArrowType.LargeList.INSTANCE : ArrowType.List.INSTANCE;
      Field f = new Field(name, new FieldType(nullable, lt, null, hint == null ? null : hint.getMetadata()), List.of(item.field));
      return new Node(Node.Kind.LIST, f, e, def, depth, slotDef, List.of(item), elemDef, -1, 0, 0, path);
    }
    if (isGroup(e)) {
      List<Node> kids = new ArrayList<>();
      List<Field> kf = new ArrayList<>();
      for (int i = 0; i < e.getNum_children(); i++) {
        SchemaElement ce = el.get(pos[0]);
        Field ch = null;
        if (hint != null && hint.getType() instanceof ArrowType.Struct) {
          for (Field h : hint.getChildren()) {
            if (h.getName().equals(ce.getName())) {
              ch = h;
            }
          }
        }
        Node k = build(el, pos, leaf, ch, def, depth, slotDef, rep, path, where);
        kids.add(k);
        kf.add(k.field);
      }
      Field f = new Field(name, new FieldType(nullable, ArrowType.Struct.INSTANCE, null, hint == null ? null : hint.getMetadata()), kf);
      return new Node(Node.Kind.STRUCT, f, e, def, depth, slotDef, List.copyOf(kids), 0, -1, 0, 0, path);
    }
    ArrowType t = leafType(e, hint, String.join(".", path), where);
    Field f = new Field(name, new FieldType(nullable, t, null, hint == null ? null : hint.getMetadata()), null);
    return new Node(Node.Kind.LEAF, f, e, def, depth, slotDef, List.of(), 0, leaf[0]++, rep, def, path);
  }

  /** 2-level list: the repeated field itself is the (required) element. */
  private static Node buildRepeatedAsElement(List<SchemaElement> el, int[] pos, int[] leaf, Field hint, int elemDef, int depth, int rep,
      List<String> parentPath, String where) {
    SchemaElement e = el.get(pos[0]);
    SchemaElement asRequired = e.deepCopy().setRepetition_type(FieldRepetitionType.REQUIRED);
    List<SchemaElement> patched = new ArrayList<>(el);
    patched.set(pos[0], asRequired);
    return build(patched, pos, leaf, hint, elemDef, depth, elemDef, rep, parentPath, where);
  }

  private static List<String> append(List<String> p, String s) {
    List<String> out = new ArrayList<>(p);
    out.add(s);
    return List.copyOf(out);
  }

  /** The Arrow type of a leaf: the hint when it fits the physical type, else derived. */
  static ArrowType leafType(SchemaElement e, Field hint, String path, String where) {
    ArrowType derived = derive(e, path, where);
    if (hint != null && compatible(e.getType(), hint.getType())) {
      return hint.getType();
    }
    return derived;
  }

  private static boolean compatible(Type physical, ArrowType t) {
    return switch (physical) {
      case INT32 -> t instanceof ArrowType.Int i && i.getBitWidth() <= 32 || t instanceof ArrowType.Null;
      case INT64 -> t instanceof ArrowType.Int i && i.getBitWidth() == 64 || t instanceof ArrowType.Timestamp;
      case FLOAT -> t instanceof ArrowType.FloatingPoint f && f.getPrecision() == FloatingPointPrecision.SINGLE;
      case DOUBLE -> t instanceof ArrowType.FloatingPoint f && f.getPrecision() == FloatingPointPrecision.DOUBLE;
      case BOOLEAN -> t instanceof ArrowType.Bool;
      case BYTE_ARRAY -> t instanceof ArrowType.Utf8 || t instanceof ArrowType.LargeUtf8 || t instanceof ArrowType.Binary
          || t instanceof ArrowType.LargeBinary;
      default -> false;
    };
  }

  private static ArrowType derive(SchemaElement e, String path, String where) {
    LogicalType lt = e.isSetLogicalType() ? e.getLogicalType() : null;
    ConvertedType ct = e.isSetConverted_type() ? e.getConverted_type() : null;
    if (!e.isSetType()) {
      throw new FormatException(where + ": column '" + path + "' has no physical type");
    }
    return switch (e.getType()) {
      case BOOLEAN -> ArrowType.Bool.INSTANCE;
      case INT32 -> {
        if (lt != null && lt.isSetUNKNOWN()) {
          yield ArrowType.Null.INSTANCE;
        }
        if (lt != null && lt.isSetINTEGER()) {
          yield new ArrowType.Int(lt.getINTEGER().getBitWidth(), lt.getINTEGER().isIsSigned());
        }
        if (ct != null) {
          yield switch (ct) {
            case INT_8 -> new ArrowType.Int(8, true);
            case INT_16 -> new ArrowType.Int(16, true);
            case UINT_8 -> new ArrowType.Int(8, false);
            case UINT_16 -> new ArrowType.Int(16, false);
            case UINT_32 -> new ArrowType.Int(32, false);
            default -> new ArrowType.Int(32, true);
          };
        }
        yield new ArrowType.Int(32, true);
      }
      case INT64 -> {
        if (lt != null && lt.isSetTIMESTAMP()) {
          TimestampType ts = lt.getTIMESTAMP();
          TimeUnit u = ts.getUnit().isSetMILLIS() ? TimeUnit.MILLISECOND : ts.getUnit().isSetMICROS() ? TimeUnit.MICROSECOND : TimeUnit.NANOSECOND;
          yield new ArrowType.Timestamp(u, ts.isIsAdjustedToUTC() ? "UTC" : null);
        }
        if (ct == ConvertedType.TIMESTAMP_MICROS) {
          yield new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");
        }
        if (ct == ConvertedType.TIMESTAMP_MILLIS) {
          yield new ArrowType.Timestamp(TimeUnit.MILLISECOND, "UTC");
        }
        if (lt != null && lt.isSetINTEGER()) {
          yield new ArrowType.Int(64, lt.getINTEGER().isIsSigned());
        }
        yield new ArrowType.Int(64, ct != ConvertedType.UINT_64);
      }
      case FLOAT -> new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
      case DOUBLE -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
      case BYTE_ARRAY -> (lt != null && (lt.isSetSTRING() || lt.isSetJSON() || lt.isSetENUM())) || ct == ConvertedType.UTF8
          || ct == ConvertedType.JSON || ct == ConvertedType.ENUM ? ArrowType.Utf8.INSTANCE : ArrowType.Binary.INSTANCE;
      default -> throw new FormatException(where + ": column '" + path + "' has physical type " + e.getType() + ", which this reader does not support");
    };
  }

  // ---------------------------------------------------------------- writing

  /** Appends the schema elements of an Arrow field (pyarrow's layout: 3-level lists named list/element). */
  static void write(Field f, List<SchemaElement> out) {
    SchemaElement e = new SchemaElement(f.getName());
    e.setRepetition_type(f.isNullable() ? FieldRepetitionType.OPTIONAL : FieldRepetitionType.REQUIRED);
    ArrowType t = f.getType();
    if (t instanceof ArrowType.List || t instanceof ArrowType.LargeList) {
      e.setNum_children(1);
      e.setConverted_type(ConvertedType.LIST);
      e.setLogicalType(LogicalType.LIST(new ListType()));
      out.add(e);
      SchemaElement rep = new SchemaElement("list");
      rep.setRepetition_type(FieldRepetitionType.REPEATED);
      rep.setNum_children(1);
      out.add(rep);
      Field item = f.getChildren().get(0);
      write(new Field("element", item.getFieldType(), item.getChildren()), out);
      return;
    }
    if (t instanceof ArrowType.Struct) {
      e.setNum_children(f.getChildren().size());
      out.add(e);
      for (Field c : f.getChildren()) {
        write(c, out);
      }
      return;
    }
    switch (t) {
      case ArrowType.Int i -> {
        e.setType(i.getBitWidth() == 64 ? Type.INT64 : Type.INT32);
        if (!(i.getBitWidth() == 32 && i.getIsSigned()) && !(i.getBitWidth() == 64 && i.getIsSigned())) {
          e.setLogicalType(LogicalType.INTEGER(new IntType((byte) i.getBitWidth(), i.getIsSigned())));
          e.setConverted_type(convertedInt(i));
        }
      }
      case ArrowType.Null n -> {
        e.setType(Type.INT32);
        e.setRepetition_type(FieldRepetitionType.OPTIONAL);
        e.setLogicalType(LogicalType.UNKNOWN(new NullType()));
      }
      case ArrowType.Bool b -> e.setType(Type.BOOLEAN);
      case ArrowType.FloatingPoint fp -> {
        if (fp.getPrecision() == FloatingPointPrecision.HALF) {
          throw new FormatException("writing half floats to Parquet is not supported (field '" + f.getName() + "')");
        }
        e.setType(fp.getPrecision() == FloatingPointPrecision.SINGLE ? Type.FLOAT : Type.DOUBLE);
      }
      case ArrowType.Utf8 u -> string(e);
      case ArrowType.LargeUtf8 u -> string(e);
      case ArrowType.Binary b -> e.setType(Type.BYTE_ARRAY);
      case ArrowType.LargeBinary b -> e.setType(Type.BYTE_ARRAY);
      case ArrowType.Timestamp ts -> {
        e.setType(Type.INT64);
        org.apache.parquet.format.TimeUnit u = new org.apache.parquet.format.TimeUnit();
        switch (ts.getUnit()) {
          case MILLISECOND -> u.setMILLIS(new MilliSeconds());
          case MICROSECOND -> u.setMICROS(new MicroSeconds());
          case NANOSECOND -> u.setNANOS(new NanoSeconds());
          case SECOND -> throw new FormatException("timestamp[s] field '" + f.getName() + "' cannot be stored in Parquet; use ms or us");
        }
        e.setLogicalType(LogicalType.TIMESTAMP(new TimestampType(ts.getTimezone() != null, u)));
      }
      default -> throw new FormatException("Arrow type " + t + " of field '" + f.getName() + "' cannot be written to Parquet by this writer");
    }
    out.add(e);
  }

  private static void string(SchemaElement e) {
    e.setType(Type.BYTE_ARRAY);
    e.setConverted_type(ConvertedType.UTF8);
    e.setLogicalType(LogicalType.STRING(new StringType()));
  }

  private static ConvertedType convertedInt(ArrowType.Int i) {
    return switch (i.getBitWidth()) {
      case 8 -> i.getIsSigned() ? ConvertedType.INT_8 : ConvertedType.UINT_8;
      case 16 -> i.getIsSigned() ? ConvertedType.INT_16 : ConvertedType.UINT_16;
      case 32 -> i.getIsSigned() ? ConvertedType.INT_32 : ConvertedType.UINT_32;
      default -> i.getIsSigned() ? ConvertedType.INT_64 : ConvertedType.UINT_64;
    };
  }
}
