package io.omearrow.io.tiff;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeMap;

/**
 * Builds small classic little-endian TIFFs by hand for bad-input tests: one IFD at offset 8 with
 * single-valued SHORT/LONG tags, an optional ImageDescription and one block of pixel bytes.
 */
final class MiniTiff {
  private final TreeMap<Integer, long[]> tags = new TreeMap<>(); // tag -> {type, value}
  private String description;
  private byte[] pixels = new byte[0];
  private long nextIfd;

  static MiniTiff gray8(int w, int h) {
    MiniTiff t = new MiniTiff();
    t.tag(256, 4, w).tag(257, 4, h).tag(258, 3, 8).tag(259, 3, 1).tag(262, 3, 1).tag(277, 3, 1).tag(278, 4, h);
    t.pixels = new byte[w * h];
    for (int i = 0; i < t.pixels.length; i++) {
      t.pixels[i] = (byte) i;
    }
    return t;
  }

  MiniTiff tag(int tag, int type, long value) {
    tags.put(tag, new long[] {type, value});
    return this;
  }

  MiniTiff remove(int tag) {
    tags.remove(tag);
    return this;
  }

  MiniTiff description(String d) {
    this.description = d;
    return this;
  }

  MiniTiff nextIfd(long offset) {
    this.nextIfd = offset;
    return this;
  }

  /** Offset of the (only) IFD. */
  static final int IFD = 8;

  Path write(Path file) throws IOException {
    byte[] desc = description == null ? null : (description + "\0").getBytes(StandardCharsets.UTF_8);
    TreeMap<Integer, long[]> all = new TreeMap<>(tags);
    all.putIfAbsent(273, new long[] {4, 0});
    all.putIfAbsent(279, new long[] {4, pixels.length});
    if (desc != null) {
      all.put(270, new long[] {2, desc.length, 0});
    }
    int n = all.size();
    long dataAt = IFD + 2 + n * 12L + 4;
    long descAt = dataAt + pixels.length;
    if (!tags.containsKey(273)) {
      all.put(273, new long[] {4, dataAt});
    }
    if (desc != null) {
      all.put(270, new long[] {2, desc.length, descAt});
    }
    ByteBuffer b = ByteBuffer.allocate((int) (descAt + (desc == null ? 0 : desc.length))).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(IFD);
    b.putShort((short) n);
    for (var e : all.entrySet()) {
      long[] v = e.getValue();
      b.putShort((short) (int) e.getKey()).putShort((short) v[0]);
      if (v[0] == 2) {
        b.putInt((int) v[1]).putInt((int) v[2]);
      } else if (v[0] == 3) {
        b.putInt(1).putShort((short) v[1]).putShort((short) 0);
      } else {
        b.putInt(1).putInt((int) v[1]);
      }
    }
    b.putInt((int) nextIfd);
    b.put(pixels);
    if (desc != null) {
      b.put(desc);
    }
    Files.write(file, b.array());
    return file;
  }

  /** Minimal OME-XML for one Image. */
  static String omeXml(String pixelsAttrs, String tiffData) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><OME xmlns=\"http://www.openmicroscopy.org/Schemas/OME/2016-06\">"
        + "<Image ID=\"Image:0\"><Pixels ID=\"Pixels:0\" " + pixelsAttrs + "><Channel ID=\"Channel:0:0\" SamplesPerPixel=\"1\"/>"
        + tiffData + "</Pixels></Image></OME>";
  }
}
