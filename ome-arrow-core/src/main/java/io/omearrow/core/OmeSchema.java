package io.omearrow.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The OME-Arrow struct types, field for field as the Python package declares them (every field
 * nullable, 32-bit list offsets, {@code large_binary} chunk payloads), and detection of which
 * variant a given Arrow field is.
 */
public final class OmeSchema {
  /** Schema metadata key naming the payload type. */
  public static final String META_TYPE = "ome.arrow.type";
  /** Schema metadata key holding the writer's version. */
  public static final String META_VERSION = "ome.arrow.version";
  /** The default column name readers look for. */
  public static final String DEFAULT_COLUMN = "ome_arrow";

  /** The fields every variant has (the non-strict check of the Python reader). */
  public static final List<String> REQUIRED_FIELDS =
      List.of("type", "version", "id", "name", "acquisition_datetime", "pixels_meta", "planes", "masks");

  private static final ArrowType UTF8 = ArrowType.Utf8.INSTANCE;
  private static final ArrowType INT16 = new ArrowType.Int(16, true);
  private static final ArrowType INT32 = new ArrowType.Int(32, true);
  private static final ArrowType UINT32 = new ArrowType.Int(32, false);
  private static final ArrowType FLOAT32 = new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);

  private OmeSchema() {}

  static Field f(String name, ArrowType type, Field... children) {
    return new Field(name, FieldType.nullable(type), children.length == 0 ? null : List.of(children));
  }

  static Field list(String name, Field item) {
    return new Field(name, FieldType.nullable(ArrowType.List.INSTANCE), List.of(item));
  }

  /** The {@code pixels_meta} struct. */
  public static Field pixelsMetaField() {
    Field channel = f("item", ArrowType.Struct.INSTANCE,
        f("id", UTF8), f("name", UTF8), f("emission_um", FLOAT32), f("excitation_um", FLOAT32),
        f("illumination", UTF8), f("color_rgba", UINT32));
    return f("pixels_meta", ArrowType.Struct.INSTANCE,
        f("dimension_order", UTF8), f("type", UTF8),
        f("size_x", INT32), f("size_y", INT32), f("size_z", INT32), f("size_c", INT16), f("size_t", INT32),
        f("physical_size_x", FLOAT32), f("physical_size_y", FLOAT32), f("physical_size_z", FLOAT32),
        f("physical_size_x_unit", UTF8), f("physical_size_y_unit", UTF8), f("physical_size_z_unit", UTF8),
        list("channels", channel));
  }

  /** The {@code planes} list with pixel lists of the given element type (uint16 in the reference). */
  public static Field planesField(PixelType listType) {
    Field pixels = list("pixels", f("item", listType.arrowType()));
    return list("planes", f("item", ArrowType.Struct.INSTANCE, f("z", INT32), f("t", INT32), f("c", INT16), pixels));
  }

  /** The {@code chunk_grid} struct. */
  public static Field chunkGridField() {
    return f("chunk_grid", ArrowType.Struct.INSTANCE,
        f("order", UTF8), f("chunk_t", INT32), f("chunk_c", INT16), f("chunk_z", INT32), f("chunk_y", INT32),
        f("chunk_x", INT32), f("chunk_order", UTF8));
  }

  private static List<Field> chunkOrigin() {
    return List.of(f("t", INT32), f("c", INT16), f("z", INT32), f("y", INT32), f("x", INT32),
        f("shape_z", INT32), f("shape_y", INT32), f("shape_x", INT32));
  }

  /** The {@code chunks} list for a variant (list pixels of {@code listType}, or byte payloads). */
  public static Field chunksField(SchemaVariant variant, PixelType listType) {
    List<Field> item = new ArrayList<>(chunkOrigin());
    switch (variant) {
      case V2_LIST -> item.add(list("pixels", f("item", listType.arrowType())));
      case V2_BYTES_UNCOMPRESSED -> {
        item.add(f("dtype", UTF8));
        item.add(f("pixel_bytes", ArrowType.LargeBinary.INSTANCE));
      }
      case V2_BYTES -> {
        item.add(f("dtype", UTF8));
        item.add(f("compression", UTF8));
        item.add(f("pixel_bytes", ArrowType.LargeBinary.INSTANCE));
      }
      case V0 -> throw new IllegalArgumentException("V0 has no chunks");
    }
    return list("chunks", new Field("item", FieldType.nullable(ArrowType.Struct.INSTANCE), item));
  }

  /** The reference's struct for a variant, with uint16 list pixels. */
  public static Field structField(String name, SchemaVariant variant) {
    return structField(name, variant, PixelType.UINT16);
  }

  /**
   * The struct for a variant. {@code listType} is the element type of list-encoded pixels: the
   * reference always uses uint16; other types are this library's extension for lossless storage
   * of other dtypes in list encoding (pyarrow reads them; the Python package casts them).
   */
  public static Field structField(String name, SchemaVariant variant, PixelType listType) {
    List<Field> fields = new ArrayList<>();
    fields.add(f("type", UTF8));
    fields.add(f("version", UTF8));
    fields.add(f("id", UTF8));
    fields.add(f("name", UTF8));
    if (variant != SchemaVariant.V0) {
      fields.add(f("image_type", UTF8));
    }
    fields.add(f("acquisition_datetime", new ArrowType.Timestamp(TimeUnit.MICROSECOND, null)));
    fields.add(pixelsMetaField());
    if (variant != SchemaVariant.V0) {
      fields.add(chunkGridField());
      fields.add(chunksField(variant, listType));
    }
    fields.add(planesField(listType));
    fields.add(f("masks", ArrowType.Null.INSTANCE));
    return new Field(name, FieldType.nullable(ArrowType.Struct.INSTANCE), fields);
  }

  /** Schema-level metadata the writers attach ({@code ome.arrow.type}, {@code ome.arrow.version}). */
  public static Map<String, String> fileMetadata() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(META_TYPE, ImageMetadata.OME_ARROW_TYPE);
    m.put(META_VERSION, ImageMetadata.WRITER_VERSION);
    return m;
  }

  /** A one-column schema with the file metadata. */
  public static Schema tableSchema(Field column) {
    return new Schema(List.of(column), fileMetadata());
  }

  /** True when the field is a struct carrying all of {@link #REQUIRED_FIELDS}. */
  public static boolean isOmeArrowStruct(Field field) {
    return field.getType() instanceof ArrowType.Struct && missingFields(field).isEmpty();
  }

  /** The required field names the struct lacks. */
  public static List<String> missingFields(Field field) {
    List<String> names = field.getChildren().stream().map(Field::getName).toList();
    List<String> missing = new ArrayList<>();
    for (String r : REQUIRED_FIELDS) {
      if (!names.contains(r)) {
        missing.add(r);
      }
    }
    return missing;
  }

  /**
   * Detects the variant of an OME-Arrow struct field.
   *
   * @throws FormatException naming the column and listing the missing fields when it is not one
   */
  public static SchemaVariant detect(Field field) {
    if (!(field.getType() instanceof ArrowType.Struct)) {
      throw new FormatException("Column '" + field.getName() + "' is not a Struct; got " + field.getType());
    }
    List<String> missing = missingFields(field);
    if (!missing.isEmpty()) {
      throw new FormatException("Column '" + field.getName() + "' does not have the expected OME-Arrow fields: missing "
          + missing + " (has " + field.getChildren().stream().map(Field::getName).toList() + ")");
    }
    Field chunks = child(field, "chunks");
    if (chunks == null) {
      return SchemaVariant.V0;
    }
    if (chunks.getChildren().isEmpty()) {
      throw new FormatException("Column '" + field.getName() + "': field 'chunks' is not a list of structs (" + chunks.getType() + ")");
    }
    Field item = chunks.getChildren().get(0);
    if (child(item, "pixel_bytes") != null) {
      return child(item, "compression") != null ? SchemaVariant.V2_BYTES : SchemaVariant.V2_BYTES_UNCOMPRESSED;
    }
    return SchemaVariant.V2_LIST;
  }

  /** A named child of a field, or null. */
  public static Field child(Field parent, String name) {
    for (Field c : parent.getChildren()) {
      if (c.getName().equals(name)) {
        return c;
      }
    }
    return null;
  }
}
