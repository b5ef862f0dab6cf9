package io.omearrow.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omearrow.core.PixelsMeta;
import io.omearrow.core.SelectionException;
import io.omearrow.source.ImageSource;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ImageSource} implementation passes (one suite for the SPI, run
 * against each reader, after n5's AbstractN5Test). A subclass opens a source over a known
 * fixture and states what it expects; the suite checks metadata, plane and region reads against
 * each other and against the expected checksums, the error messages for bad coordinates,
 * concurrent reads, and that closing frees every Arrow buffer.
 */
public abstract class ImageSourceContract {
  protected BufferAllocator allocator;

  /** Opens the source under test with buffers from {@code allocator}. */
  protected abstract ImageSource open(BufferAllocator allocator) throws Exception;

  /** The expected TCZYX shape. */
  protected abstract long[] expectedShape();

  /** The expected NumPy dtype name. */
  protected abstract String expectedDtype();

  /**
   * Expected SHA-256 (hex) of every plane in TCZ order as C-order little-endian bytes, or null
   * when the fixture has no manifest.
   */
  protected List<String> expectedPlaneSha256() {
    return null;
  }

  /** Expected SHA-256 of the whole TCZYX array, or null. */
  protected String expectedArraySha256() {
    return null;
  }

  @BeforeEach
  public void openAllocator() {
    allocator = new RootAllocator();
  }

  @AfterEach
  public void closeAllocator() {
    long leaked = allocator.getAllocatedMemory();
    allocator.close();
    assertEquals(0, leaked, "Arrow buffers leaked");
  }

  private static String sha256(MemorySegment s) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    md.update(s.asByteBuffer());
    return HexFormat.of().formatHex(md.digest());
  }

  @Test
  public void metadataMatches() throws Exception {
    try (ImageSource src = open(allocator)) {
      PixelsMeta p = src.pixels();
      assertArrayEquals(expectedShape(), p.shape());
      assertEquals(expectedDtype(), p.pixelType().numpyName());
      assertNotNull(src.info());
      assertNotNull(src.metadata());
    }
  }

  @Test
  public void planesMatchChecksumsAndRegions() throws Exception {
    try (ImageSource src = open(allocator); Arena arena = Arena.ofConfined()) {
      PixelsMeta p = src.pixels();
      int item = p.pixelType().byteSize();
      MemorySegment plane = arena.allocate(p.planeBytes(), 64);
      List<String> expected = expectedPlaneSha256();
      MessageDigest whole = MessageDigest.getInstance("SHA-256");
      Random rnd = new Random(42);
      int idx = 0;
      for (int t = 0; t < p.sizeT(); t++) {
        for (int c = 0; c < p.sizeC(); c++) {
          for (int z = 0; z < p.sizeZ(); z++) {
            src.readPlane(t, c, z, plane);
            whole.update(plane.asByteBuffer());
            if (expected != null) {
              assertEquals(expected.get(idx), sha256(plane), "plane t=" + t + " c=" + c + " z=" + z);
            }
            idx++;
            int w = 1 + rnd.nextInt(p.sizeX());
            int h = 1 + rnd.nextInt(p.sizeY());
            int x = rnd.nextInt(p.sizeX() - w + 1);
            int y = rnd.nextInt(p.sizeY() - h + 1);
            MemorySegment region = arena.allocate((long) w * h * item);
            src.readRegion(t, c, z, x, y, w, h, region);
            for (int r = 0; r < h; r++) {
              long so = ((long) (y + r) * p.sizeX() + x) * item;
              assertEquals(-1, region.asSlice((long) r * w * item, (long) w * item).mismatch(plane.asSlice(so, (long) w * item)),
                  "region row " + r + " of plane t=" + t + " c=" + c + " z=" + z + " at " + x + "," + y + " " + w + "x" + h);
            }
          }
        }
      }
      if (expectedArraySha256() != null) {
        assertEquals(expectedArraySha256(), HexFormat.of().formatHex(whole.digest()), "whole array");
      }
    }
  }

  @Test
  public void outOfRangeCoordinatesAreRefused() throws Exception {
    try (ImageSource src = open(allocator); Arena arena = Arena.ofConfined()) {
      PixelsMeta p = src.pixels();
      MemorySegment plane = arena.allocate(p.planeBytes());
      SelectionException e = assertThrows(SelectionException.class, () -> src.readPlane(p.sizeT(), 0, 0, plane));
      assertEquals("Requested plane (t=" + p.sizeT() + ", c=0, z=0) out of range.", e.getMessage());
      e = assertThrows(SelectionException.class, () -> src.readRegion(0, 0, 0, 1, 0, p.sizeX(), 1, plane));
      assertEquals("roi is out of bounds", e.getMessage());
      e = assertThrows(SelectionException.class, () -> src.readRegion(0, 0, 0, 0, 0, 0, 1, plane));
      assertEquals("roi width and height must be positive", e.getMessage());
    }
  }

  @Test
  public void concurrentReadsAgreeWithSequentialOnes() throws Exception {
    try (ImageSource src = open(allocator)) {
      PixelsMeta p = src.pixels();
      int planes = (int) Math.min(p.planeCount(), 16);
      List<byte[]> sequential = new ArrayList<>();
      for (int i = 0; i < planes; i++) {
        sequential.add(readPlaneBytes(src, p, i));
      }
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<byte[]>> futures = new ArrayList<>();
        for (int rep = 0; rep < 3; rep++) {
          for (int i = 0; i < planes; i++) {
            int k = i;
            futures.add(pool.submit(() -> readPlaneBytes(src, p, k)));
          }
        }
        for (int i = 0; i < futures.size(); i++) {
          assertArrayEquals(sequential.get(i % planes), futures.get(i).get(), "concurrent read of plane " + (i % planes));
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  private static byte[] readPlaneBytes(ImageSource src, PixelsMeta p, int index) {
    int z = index % p.sizeZ();
    int c = (index / p.sizeZ()) % p.sizeC();
    int t = index / (p.sizeZ() * p.sizeC());
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment plane = arena.allocate(p.planeBytes());
      src.readPlane(t, c, z, plane);
      return plane.toArray(ValueLayout.JAVA_BYTE);
    }
  }

  @Test
  public void closeIsIdempotentAndFreesBuffers() throws Exception {
    ImageSource src = open(allocator);
    src.close();
    src.close();
    assertEquals(0, allocator.getAllocatedMemory());
    assertTrue(true);
  }
}
