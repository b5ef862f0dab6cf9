package io.omearrow.core;

/**
 * The regular grid on which an image's chunks are laid out ({@code chunk_grid} in the schema).
 * The Python writer always writes order "TCZYX", chunk_t 1, chunk_c 1 and chunk_order "ZYX";
 * other chunk orders are refused when chunks are read.
 */
public record ChunkGrid(String order, int chunkT, int chunkC, int chunkZ, int chunkY, int chunkX, String chunkOrder) {

  public ChunkGrid {
    if (chunkZ <= 0 || chunkY <= 0 || chunkX <= 0 || chunkT <= 0 || chunkC <= 0) {
      throw new SelectionException("chunk_grid chunk sizes must be positive");
    }
  }

  /** A grid of Z×Y×X chunks in the writer's default orders. */
  public static ChunkGrid of(int chunkZ, int chunkY, int chunkX) {
    return new ChunkGrid("TCZYX", 1, 1, chunkZ, chunkY, chunkX, "ZYX");
  }

  /** Number of chunk columns across an image of width sizeX. */
  public int tilesX(int sizeX) {
    return (sizeX + chunkX - 1) / chunkX;
  }

  /** Number of chunk rows down an image of height sizeY. */
  public int tilesY(int sizeY) {
    return (sizeY + chunkY - 1) / chunkY;
  }
}
