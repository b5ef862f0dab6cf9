package io.omearrow.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omearrow.ipc.ArrowIpc;
import io.omearrow.ipc.OmeTable;
import io.omearrow.testing.LeakCheckedAllocator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Malformed records and files get an exception that names the problem, never a wrong answer. */
@ExtendWith(LeakCheckedAllocator.class)
class BadInputTest {

  static OmeImage small(BufferAllocator a, boolean chunks) {
    short[] data = PyArrowInteropTest.sample(1 * 1 * 2 * 6 * 8, 3);
    return OmeImageBuilder.of(PixelType.UINT16, 1, 1, 2, 6, 8).buildChunks(chunks).chunkShape(1, 4, 4).fromArray(data, a);
  }

  @Test
  void structMissingFieldsListsThem() {
    Field f = new Field("img", FieldType.nullable(ArrowType.Struct.INSTANCE),
        List.of(OmeSchema.f("type", ArrowType.Utf8.INSTANCE), OmeSchema.f("id", ArrowType.Utf8.INSTANCE)));
    FormatException e = assertThrows(FormatException.class, () -> OmeSchema.detect(f));
    assertEquals("Column 'img' does not have the expected OME-Arrow fields: missing [version, name, acquisition_datetime, pixels_meta, "
        + "planes, masks] (has [type, id])", e.getMessage());
    FormatException notStruct = assertThrows(FormatException.class, () -> OmeSchema.detect(OmeSchema.f("x", ArrowType.Utf8.INSTANCE)));
    assertEquals("Column 'x' is not a Struct; got Utf8", notStruct.getMessage());
  }

  @Test
  void planeWithWrongPixelCount(BufferAllocator a) {
    try (OmeImage img = small(a, false)) {
      // end plane 1 one element early: offsets are the truth the reader checks
      ListVector planes = (ListVector) img.vector().getChild("planes");
      ListVector pixels = (ListVector) ((StructVector) planes.getDataVector()).getChild("pixels");
      pixels.getOffsetBuffer().setInt(8, pixels.getOffsetBuffer().getInt(8) - 1);
      FormatException e = assertThrows(FormatException.class, () -> OmeImage.wrap(img.vector(), 0));
      assertEquals("OME-Arrow column 'ome_arrow' row 0: planes[1].pixels length 47 != size_x*size_y 48", e.getMessage());
    }
  }

  @Test
  void planeIndexOutOfRange(BufferAllocator a) {
    try (OmeImage img = small(a, false)) {
      ListVector planes = (ListVector) img.vector().getChild("planes");
      ((IntVector) ((StructVector) planes.getDataVector()).getChild("z")).set(1, 5);
      FormatException e = assertThrows(FormatException.class, () -> OmeImage.wrap(img.vector(), 0));
      assertEquals("OME-Arrow column 'ome_arrow' row 0: planes[1] index out of range: (z,t,c)=(5,0,0)", e.getMessage());
    }
  }

  @Test
  void chunkOutsideTheImage(BufferAllocator a) {
    try (OmeImage img = small(a, true)) {
      ListVector chunks = (ListVector) img.vector().getChild("chunks");
      ((IntVector) ((StructVector) chunks.getDataVector()).getChild("x")).set(1, 6);
      FormatException e = assertThrows(FormatException.class, () -> OmeImage.wrap(img.vector(), 0));
      assertEquals("OME-Arrow column 'ome_arrow' row 0: chunks[1] extent out of range: x+shape_x=10 > sx=8", e.getMessage());
      ((IntVector) ((StructVector) chunks.getDataVector()).getChild("x")).set(1, -4);
      e = assertThrows(FormatException.class, () -> OmeImage.wrap(img.vector(), 0));
      assertEquals("OME-Arrow column 'ome_arrow' row 0: chunks[1] has invalid shape or origin.", e.getMessage());
    }
  }

  @Test
  void nonPositiveSizes() {
    FormatException e = assertThrows(FormatException.class, () -> PixelsMeta.of(PixelType.UINT8, 1, 1, 1, -4, 8));
    assertEquals("All size_* fields must be positive integers. (got size_t=1, size_c=1, size_z=1, size_y=-4, size_x=8)", e.getMessage());
  }

  @Test
  void unknownPixelType() {
    FormatException e = assertThrows(FormatException.class, () -> PixelType.fromName("complex64"));
    assertEquals("unsupported pixel type 'complex64'; expected one of uint8, int8, uint16, int16, uint32, int32, uint64, int64, float32, float64",
        e.getMessage());
    assertEquals(PixelType.FLOAT32, PixelType.fromName("float"));
    assertEquals(PixelType.FLOAT64, PixelType.fromName("double"));
  }

  @Test
  void regionAndPlaneOutOfRange(BufferAllocator a) {
    try (OmeImage img = small(a, true); var arena = java.lang.foreign.Arena.ofConfined()) {
      var dst = arena.allocate(1024);
      assertEquals("Requested plane (t=0, c=0, z=2) out of range.",
          assertThrows(SelectionException.class, () -> img.readPlane(0, 0, 2, dst)).getMessage());
      assertEquals("roi is out of bounds", assertThrows(SelectionException.class, () -> img.readRegion(0, 0, 0, 5, 0, 4, 2, dst)).getMessage());
      assertEquals("destination holds 4 bytes; region needs 8",
          assertThrows(SelectionException.class, () -> img.readRegion(0, 0, 0, 0, 0, 2, 2, dst.asSlice(0, 4))).getMessage());
    }
  }

  @Test
  void truncatedIpcFilesAreRefusedAtEveryLength(BufferAllocator a, @TempDir Path dir) throws IOException {
    Path good = dir.resolve("good.arrow");
    try (OmeImage img = small(a, true)) {
      ArrowIpc.write(good, List.of(img), null, null, a);
    }
    byte[] all = Files.readAllBytes(good);
    List<Integer> cuts = new ArrayList<>(List.of(0, 5, 8, 64, all.length / 3, all.length / 2, all.length - 10, all.length - 1));
    for (int cut : cuts) {
      Path bad = dir.resolve("cut" + cut + ".arrow");
      Files.write(bad, java.util.Arrays.copyOf(all, cut));
      FormatException e = assertThrows(FormatException.class, () -> {
        try (OmeTable t = ArrowIpc.read(bad, a)) {
          t.image(null, 0).close();
        }
      }, "cut at " + cut);
      assertTrue(e.getMessage().startsWith("cannot read Arrow IPC file '" + bad + "'"), e.getMessage());
    }
    assertEquals("No such file: " + dir.resolve("nope.arrow"),
        assertThrows(FormatException.class, () -> ArrowIpc.read(dir.resolve("nope.arrow"), a)).getMessage());
  }

  @Test
  void rowOutOfRange(BufferAllocator a, @TempDir Path dir) {
    Path f = dir.resolve("x.arrow");
    try (OmeImage img = small(a, false)) {
      ArrowIpc.write(f, List.of(img, img), "image", null, a);
    }
    try (OmeTable t = ArrowIpc.read(f, a)) {
      assertEquals(2, t.rowCount());
      SelectionException e = assertThrows(SelectionException.class, () -> t.image(null, 2));
      assertEquals("row_index 2 out of range [0, 2).", e.getMessage());
      assertEquals(List.of("Requested column 'ome_arrow' was not usable or not found. Auto-detected OME-Arrow column 'image'."), t.warnings());
      assertEquals("Could not locate an OME-Arrow struct column: column 'nope' not found and auto-detection failed.",
          assertThrows(FormatException.class, () -> ColumnResolver.resolve(List.of(OmeSchema.f("a", ArrowType.Utf8.INSTANCE)), "nope", w -> { }))
              .getMessage());
    }
  }
}
