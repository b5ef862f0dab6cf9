package io.omearrow.io.tiff;

import io.omearrow.core.Channel;
import io.omearrow.core.ImageMetadata;
import io.omearrow.core.PhysicalSize;
import io.omearrow.core.PixelType;
import io.omearrow.core.PixelsMeta;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import loci.common.xml.XMLTools;
import ome.units.quantity.Length;
import ome.units.unit.Unit;
import ome.xml.meta.OMEXMLMetadataImpl;
import ome.xml.meta.OMEXMLMetadataRoot;
import ome.xml.model.OMEModelImpl;
import ome.xml.model.enums.DimensionOrder;
import ome.xml.model.enums.UnitsLength;
import ome.xml.model.enums.handlers.UnitsLengthEnumHandler;
import ome.xml.model.primitives.Color;
import ome.xml.model.primitives.NonNegativeInteger;
import ome.xml.model.primitives.PositiveInteger;
import ome.xml.model.primitives.Timestamp;

/**
 * OME-XML in both directions through OME's own model (ome-xml): parsing an OME-TIFF's
 * ImageDescription into one {@link Series} per Image element (sizes, dimension order, pixel type,
 * physical sizes, channels and the TiffData plane-to-IFD map), and building the OME-XML the writer
 * stores. Pure values; no files or off-heap memory.
 */
public final class OmeXml {
  private OmeXml() {}

  /**
   * One OME Image of a file: its metadata and where each plane lives.
   *
   * @param pixels sizes, type, physical sizes and channels
   * @param name the Image Name, or null
   * @param acquired the acquisition date, or null
   * @param samplesPerPixel samples each IFD holds (OME "effective" channels = sizeC / samplesPerPixel)
   * @param planeIfd IFD of each plane in TCZ order (-1: not stored, read as zeros)
   */
  public record Series(PixelsMeta pixels, String name, Instant acquired, int samplesPerPixel, int[] planeIfd) {}

  /** True when an ImageDescription holds OME-XML. */
  public static boolean isOmeXml(String description) {
    if (description == null) {
      return false;
    }
    String head = description.stripLeading();
    return (head.startsWith("<?xml") || head.startsWith("<OME")) && description.contains("<OME");
  }

  /**
   * Parses OME-XML and maps each Image's planes to IFDs of {@code file}, checking the XML against
   * the IFDs (sizes, pixel type, samples, IFD count).
   *
   * @throws io.omearrow.core.FormatException naming the file when the XML is malformed or disagrees
   */
  public static List<Series> parse(String xml, TiffFile file) {
    OMEXMLMetadataImpl meta;
    try {
      OMEXMLMetadataRoot root = new OMEXMLMetadataRoot(XMLTools.parseDOM(xml).getDocumentElement(), new OMEModelImpl());
      meta = new OMEXMLMetadataImpl();
      meta.setRoot(root);
    } catch (Exception e) {
      throw file.fail("OME-XML in the ImageDescription cannot be parsed: " + e.getMessage());
    }
    int images = meta.getImageCount();
    if (images == 0) {
      throw file.fail("OME-XML holds no Image element");
    }
    List<Series> out = new ArrayList<>();
    for (int i = 0; i < images; i++) {
      try {
        out.add(series(meta, i, file));
      } catch (io.omearrow.core.FormatException e) {
        throw e;
      } catch (RuntimeException e) {
        // ome-xml's getters throw NullPointerException or IndexOutOfBounds for incomplete elements
        throw file.fail("OME-XML Image " + i + " is incomplete or invalid: " + e);
      }
    }
    return out;
  }

  private static Series series(OMEXMLMetadataImpl m, int i, TiffFile file) {
    String where = "OME-XML Image " + i;
    int sx = size(m.getPixelsSizeX(i), where, "SizeX", file);
    int sy = size(m.getPixelsSizeY(i), where, "SizeY", file);
    int sz = size(m.getPixelsSizeZ(i), where, "SizeZ", file);
    int sc = size(m.getPixelsSizeC(i), where, "SizeC", file);
    int st = size(m.getPixelsSizeT(i), where, "SizeT", file);
    if (m.getPixelsType(i) == null) {
      throw file.fail(where + " has no pixel Type");
    }
    PixelType type = pixelType(m.getPixelsType(i).getValue(), where, file);
    DimensionOrder order = m.getPixelsDimensionOrder(i);
    String ord = order == null ? "XYZCT" : order.getValue();

    List<Ifd> ifds = file.ifds();
    int tdCount = m.getTiffDataCount(i);
    int firstIfd = tdCount > 0 && m.getTiffDataIFD(i, 0) != null ? m.getTiffDataIFD(i, 0).getValue() : 0;
    if (firstIfd < 0 || firstIfd >= ifds.size()) {
      throw file.fail(where + " maps its first plane to IFD " + firstIfd + " but the file has " + ifds.size() + " IFDs");
    }
    int spp = ifds.get(firstIfd).samplesPerPixel();
    if (sc % spp != 0) {
      throw file.fail(where + " has SizeC " + sc + ", not a multiple of the " + spp + " samples per pixel of IFD " + firstIfd);
    }
    int effC = sc / spp;
    long planes = (long) sz * effC * st;
    if (planes > ifds.size() * 4L + 1_000_000) {
      throw file.fail(where + " declares " + planes + " planes for a file of " + ifds.size() + " IFDs");
    }
    int[] linearIfd = new int[(int) planes];
    java.util.Arrays.fill(linearIfd, -1);
    if (tdCount == 0) {
      for (int p = 0; p < planes; p++) {
        linearIfd[p] = p;
      }
    }
    for (int d = 0; d < tdCount; d++) {
      String other = uuidFileName(m, i, d);
      if (other != null && !other.equals(file.path().getFileName().toString())) {
        throw file.fail(where + " refers to planes in another file '" + other
            + "'; multi-file OME-TIFF datasets are not supported");
      }
      int ifd = value(m.getTiffDataIFD(i, d), 0);
      int fz = value(m.getTiffDataFirstZ(i, d), 0);
      int fc = value(m.getTiffDataFirstC(i, d), 0);
      int ft = value(m.getTiffDataFirstT(i, d), 0);
      if (fz >= sz || fc >= effC || ft >= st) {
        throw file.fail(where + " TiffData " + d + " starts at plane (z=" + fz + ", c=" + fc + ", t=" + ft + "), outside its sizes");
      }
      long start = linearIndex(ord, fz, fc, ft, sz, effC, st);
      long count = m.getTiffDataPlaneCount(i, d) != null ? m.getTiffDataPlaneCount(i, d).getValue()
          : m.getTiffDataIFD(i, d) == null && tdCount == 1 ? planes : 1;
      if (start + count > planes) {
        throw file.fail(where + " TiffData " + d + " maps " + count + " planes from plane " + start + ", beyond its " + planes + " planes");
      }
      for (long k = 0; k < count; k++) {
        linearIfd[(int) (start + k)] = (int) (ifd + k);
      }
    }
    int[] planeIfd = new int[(int) ((long) st * sc * sz)];
    for (int p = 0; p < planes; p++) {
      int ifd = linearIfd[p];
      int[] zct = zct(ord, p, sz, effC, st);
      if (ifd >= 0) {
        if (ifd >= ifds.size()) {
          throw file.fail(where + " maps plane " + p + " to IFD " + ifd + " but the file has only " + ifds.size() + " IFDs");
        }
        Ifd f = ifds.get(ifd);
        if (f.width() != sx || f.height() != sy) {
          throw file.fail(where + " is " + sx + " x " + sy + " but IFD " + ifd + " is " + f.width() + " x " + f.height());
        }
        if (f.pixelType() != type) {
          throw file.fail(where + " has pixel type " + type + " but IFD " + ifd + " stores " + f.pixelType());
        }
        if (f.samplesPerPixel() != spp) {
          throw file.fail(where + " IFD " + ifd + " has " + f.samplesPerPixel() + " samples per pixel, IFD " + firstIfd + " has " + spp);
        }
      }
      for (int s = 0; s < spp; s++) {
        int c = zct[1] * spp + s;
        planeIfd[(zct[2] * sc + c) * sz + zct[0]] = ifd;
      }
    }
    List<Channel> channels = new ArrayList<>();
    int omeChannels = m.getChannelCount(i);
    for (int c = 0; c < sc; c++) {
      int oc = omeChannels == sc ? c : omeChannels == effC ? c / spp : -1;
      String name = oc >= 0 ? m.getChannelName(i, oc) : null;
      Channel ch = Channel.of(c, name != null && omeChannels == sc ? name : null);
      Color color = oc >= 0 ? m.getChannelColor(i, oc) : null;
      channels.add(color != null ? ch.withColor(color.getValue()) : ch);
    }
    PixelsMeta pixels = new PixelsMeta(PixelsMeta.defaultDimensionOrder(sz), type, sx, sy, sz, sc, st,
        physical(m.getPixelsPhysicalSizeX(i)), physical(m.getPixelsPhysicalSizeY(i)), physical(m.getPixelsPhysicalSizeZ(i)), channels);
    Timestamp ts = m.getImageAcquisitionDate(i);
    Instant acquired = null;
    if (ts != null && ts.asInstant() != null) {
      acquired = Instant.ofEpochMilli(ts.asInstant().getMillis());
    }
    return new Series(pixels, m.getImageName(i), acquired, spp, planeIfd);
  }

  private static String uuidFileName(OMEXMLMetadataImpl m, int image, int tiffData) {
    ome.xml.model.TiffData td = ((OMEXMLMetadataRoot) m.getRoot()).getImage(image).getPixels().getTiffData(tiffData);
    return td.getUUID() == null ? null : td.getUUID().getFileName();
  }

  private static int size(PositiveInteger v, String where, String what, TiffFile file) {
    if (v == null) {
      throw file.fail(where + " has no " + what);
    }
    return v.getValue();
  }

  private static int value(NonNegativeInteger v, int dflt) {
    return v == null ? dflt : v.getValue();
  }

  /** The linear plane index of (z, c, t) under an OME DimensionOrder such as "XYZCT". */
  static long linearIndex(String order, int z, int c, int t, int sz, int sc, int st) {
    long idx = 0;
    for (int k = 4; k >= 2; k--) {
      char a = order.charAt(k);
      int size = a == 'Z' ? sz : a == 'C' ? sc : st;
      int v = a == 'Z' ? z : a == 'C' ? c : t;
      idx = idx * size + v;
    }
    return idx;
  }

  /** The (z, c, t) of a linear plane index under an OME DimensionOrder. */
  static int[] zct(String order, long index, int sz, int sc, int st) {
    int[] out = new int[3];
    long rest = index;
    for (int k = 2; k <= 4; k++) {
      char a = order.charAt(k);
      int size = a == 'Z' ? sz : a == 'C' ? sc : st;
      out[a == 'Z' ? 0 : a == 'C' ? 1 : 2] = (int) (rest % size);
      rest /= size;
    }
    return out;
  }

  static PixelType pixelType(String omeType, String where, TiffFile file) {
    return switch (omeType) {
      case "float" -> PixelType.FLOAT32;
      case "double" -> PixelType.FLOAT64;
      case "int8", "int16", "int32", "uint8", "uint16", "uint32" -> PixelType.fromName(omeType);
      default -> throw file.fail(where + " has pixel type '" + omeType + "', which is not supported");
    };
  }

  /** The OME-XML pixel type name of a pixel type, or null when OME-XML has none (64-bit integers). */
  static String omeTypeName(PixelType t) {
    return switch (t) {
      case FLOAT32 -> "float";
      case FLOAT64 -> "double";
      case INT64, UINT64 -> null;
      default -> t.numpyName();
    };
  }

  /** A physical size, or the reference's default 1.0 µm when the OME-XML has none. */
  private static PhysicalSize physical(Length l) {
    if (l == null || l.value() == null) {
      return PhysicalSize.um(1.0);
    }
    return new PhysicalSize(l.value().doubleValue(), normaliseUnit(l.unit().getSymbol()));
  }

  /** The reference's unit normalisation: micrometre spellings become "µm", nanometre ones "nm". */
  public static String normaliseUnit(String unit) {
    if (unit == null) {
      return PhysicalSize.MICROMETER;
    }
    String u = unit.strip();
    return switch (u.toLowerCase(Locale.ROOT)) {
      case "micrometer", "micrometre", "micron", "microns", "um", "\u00b5m", "\u03bcm" -> PhysicalSize.MICROMETER;
      case "nanometer", "nanometre", "nm" -> "nm";
      default -> u;
    };
  }

  /** One image to describe in the OME-XML the writer stores: metadata and its first IFD. */
  record Entry(ImageMetadata metadata, PixelType type, int firstIfd) {}

  /** Builds the OME-XML for the writer: one Image per entry, planes in XYZCT order from its first IFD. */
  static String build(List<Entry> entries) {
    OMEXMLMetadataImpl m = new OMEXMLMetadataImpl();
    m.createRoot();
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      PixelsMeta p = e.metadata().pixels();
      m.setImageID("Image:" + i, i);
      String name = e.metadata().name() != null ? e.metadata().name() : e.metadata().id();
      if (name != null) {
        m.setImageName(name, i);
      }
      if (e.metadata().acquisitionDatetime() != null) {
        m.setImageAcquisitionDate(new Timestamp(e.metadata().acquisitionDatetime().toString()), i);
      }
      m.setPixelsID("Pixels:" + i, i);
      m.setPixelsDimensionOrder(DimensionOrder.XYZCT, i);
      try {
        m.setPixelsType(ome.xml.model.enums.PixelType.fromString(omeTypeName(e.type())), i);
      } catch (ome.xml.model.enums.EnumerationException ex) {
        throw new IllegalStateException(ex);
      }
      m.setPixelsBigEndian(Boolean.FALSE, i);
      m.setPixelsSizeX(new PositiveInteger(p.sizeX()), i);
      m.setPixelsSizeY(new PositiveInteger(p.sizeY()), i);
      m.setPixelsSizeZ(new PositiveInteger(p.sizeZ()), i);
      m.setPixelsSizeC(new PositiveInteger(p.sizeC()), i);
      m.setPixelsSizeT(new PositiveInteger(p.sizeT()), i);
      Length lx = length(p.physicalSizeX());
      Length ly = length(p.physicalSizeY());
      Length lz = length(p.physicalSizeZ());
      if (lx != null) {
        m.setPixelsPhysicalSizeX(lx, i);
      }
      if (ly != null) {
        m.setPixelsPhysicalSizeY(ly, i);
      }
      if (lz != null) {
        m.setPixelsPhysicalSizeZ(lz, i);
      }
      for (int c = 0; c < p.sizeC(); c++) {
        m.setChannelID("Channel:" + i + ":" + c, i, c);
        m.setChannelSamplesPerPixel(new PositiveInteger(1), i, c);
        if (c < p.channels().size()) {
          Channel ch = p.channels().get(c);
          if (ch.name() != null) {
            m.setChannelName(ch.name(), i, c);
          }
          m.setChannelColor(new Color(ch.colorRgba()), i, c);
        }
      }
      m.setTiffDataIFD(new NonNegativeInteger(e.firstIfd()), i, 0);
      m.setTiffDataFirstZ(new NonNegativeInteger(0), i, 0);
      m.setTiffDataFirstC(new NonNegativeInteger(0), i, 0);
      m.setTiffDataFirstT(new NonNegativeInteger(0), i, 0);
      m.setTiffDataPlaneCount(new NonNegativeInteger((int) p.planeCount()), i, 0);
    }
    return m.dumpXML();
  }

  /** The OME Length of a physical size, or null when it is unknown or its unit is not an OME length unit. */
  static Length length(PhysicalSize s) {
    if (s == null || !(s.value() > 0) || Double.isInfinite(s.value())) {
      return null;
    }
    String unit = normaliseUnit(s.unit());
    try {
      UnitsLength u = UnitsLength.fromString(unit);
      Unit<Length> base = UnitsLengthEnumHandler.getBaseUnit(u);
      return new Length(s.value(), base);
    } catch (ome.xml.model.enums.EnumerationException e) {
      return null;
    }
  }
}
