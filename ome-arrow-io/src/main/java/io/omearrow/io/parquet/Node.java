package io.omearrow.io.parquet;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.parquet.format.SchemaElement;

/**
 * One node of a Parquet column's schema tree paired with the Arrow field it becomes, with the
 * Dremel levels that locate its values: {@code def} is the definition level at which the node is
 * non-null, {@code depth} the number of lists above it, {@code slotDef} the definition level at
 * which a slot at that depth exists (the element level of the nearest enclosing list, 0 at the top).
 */
final class Node {
  enum Kind { STRUCT, LIST, LEAF }

  final Kind kind;
  final Field field;
  final SchemaElement element;
  final int def;
  final int depth;
  final int slotDef;
  final List<Node> children;
  /** LIST: the definition level at which an element slot exists. */
  final int elemDef;
  /** LEAF: the column's index in the file (depth-first leaf order). */
  final int leafIndex;
  /** LEAF: maximum repetition and definition levels. */
  final int maxRep;
  final int maxDef;
  final List<String> path;

  Node(Kind kind, Field field, SchemaElement element, int def, int depth, int slotDef, List<Node> children, int elemDef,
      int leafIndex, int maxRep, int maxDef, List<String> path) {
    this.kind = kind;
    this.field = field;
    this.element = element;
    this.def = def;
    this.depth = depth;
    this.slotDef = slotDef;
    this.children = children;
    this.elemDef = elemDef;
    this.leafIndex = leafIndex;
    this.maxRep = maxRep;
    this.maxDef = maxDef;
    this.path = path;
  }

  /** The first leaf below (or this leaf): its levels drive the slots of this node. */
  Node firstLeaf() {
    Node n = this;
    while (n.kind != Kind.LEAF) {
      n = n.children.get(0);
    }
    return n;
  }

  /** Every leaf below, in file order. */
  List<Node> leaves() {
    List<Node> out = new ArrayList<>();
    collect(this, out);
    return out;
  }

  private static void collect(Node n, List<Node> out) {
    if (n.kind == Kind.LEAF) {
      out.add(n);
    } else {
      for (Node c : n.children) {
        collect(c, out);
      }
    }
  }

  /** The child named {@code name} (Arrow name), or null. */
  Node child(String name) {
    for (Node c : children) {
      if (c.field.getName().equals(name)) {
        return c;
      }
    }
    return null;
  }

  String dotted() {
    return String.join(".", path);
  }
}
