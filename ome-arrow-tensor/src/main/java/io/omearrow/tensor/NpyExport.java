package io.omearrow.tensor;

import io.omearrow.npy.Npy;
import io.omearrow.source.AtomicOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.IntConsumer;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Writes views as NumPy {@code .npy} files (format 1.0, little-endian, C order, the view's shape
 * and dtype): one view to one file, or every item of a {@link ViewSequence} to
 * {@code DIR/NNNNNN.npy} plus {@code DIR/index.json}. Outputs appear atomically: a failed run
 * leaves no partial file or folder behind. Tensors are allocated from the caller's allocator and
 * freed before each method returns.
 */
public final class NpyExport {
  private NpyExport() {}

  /** Materialises {@code view} and writes it to {@code out}. */
  public static void writeView(TensorView view, Path out, BufferAllocator allocator) {
    try (Tensor t = view.materialize(allocator)) {
      Npy.write(out, t.shape(), t.dtype(), t.segment());
    }
  }

  /**
   * Writes every item of {@code items}, in iteration order, as {@code dir/000000.npy},
   * {@code dir/000001.npy}, ... and {@code dir/index.json}: a JSON list with one object per item,
   * {@code {"t": [...], "z": [...], "c": [...], "roi": [x, y, w, h], "shape": [...]}}. An existing
   * {@code dir} is replaced only when everything was written.
   *
   * @param progress told the number of items written so far after each item (may be null)
   * @return the number of items written
   */
  public static int writeItems(ViewSequence items, Path dir, BufferAllocator allocator, IntConsumer progress) {
    int[] written = {0};
    AtomicOutput.write(dir, tmp -> {
      Files.createDirectory(tmp);
      StringBuilder index = new StringBuilder("[");
      try (TensorIterator it = items.iterator(allocator)) {
        while (it.hasNext()) {
          try (Tensor t = it.next()) {
            Npy.write(tmp.resolve(String.format("%06d.npy", written[0])), t.shape(), t.dtype(), t.segment());
            TensorView v = t.view();
            index.append(written[0] == 0 ? "\n" : ",\n").append("  {\"t\": ").append(Arrays.toString(v.t())).append(", \"z\": ")
                .append(Arrays.toString(v.z())).append(", \"c\": ").append(Arrays.toString(v.c())).append(", \"roi\": ")
                .append(Arrays.toString(v.roi().toArray())).append(", \"shape\": ").append(Arrays.toString(t.shape())).append("}");
          }
          written[0]++;
          if (progress != null) {
            progress.accept(written[0]);
          }
        }
      }
      index.append(written[0] == 0 ? "]\n" : "\n]\n");
      writeString(tmp.resolve("index.json"), index.toString());
    });
    return written[0];
  }

  private static void writeString(Path p, String s) throws IOException {
    Files.writeString(p, s, StandardCharsets.UTF_8);
  }
}
