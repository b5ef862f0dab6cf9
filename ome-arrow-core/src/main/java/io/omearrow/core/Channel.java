package io.omearrow.core;

/**
 * One channel's metadata, as the {@code pixels_meta.channels} list holds it.
 *
 * @param id channel id (Python default {@code "ch-<i>"})
 * @param name channel name (Python default {@code "C<i>"})
 * @param emissionUm emission wavelength in µm (0 when unknown)
 * @param excitationUm excitation wavelength in µm (0 when unknown)
 * @param illumination illumination type (Python default {@code "Unknown"})
 * @param colorRgba display colour packed 0xRRGGBBAA (Python default 0xFFFFFFFF)
 */
public record Channel(String id, String name, float emissionUm, float excitationUm, String illumination, int colorRgba) {

  /** The Python ingest defaults for channel {@code index} with the given name (null: {@code C<i>}). */
  public static Channel of(int index, String name) {
    return new Channel("ch-" + index, name == null ? "C" + index : name, 0f, 0f, "Unknown", 0xFFFFFFFF);
  }

  /** This channel with another colour. */
  public Channel withColor(int rgba) {
    return new Channel(id, name, emissionUm, excitationUm, illumination, rgba);
  }
}
