package dev.denoise.tflite;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The tiny seeded models made by {@code training/make_test_gain_model.py} and
 * {@code training/make_test_mask_model.py} (random weights, the real interfaces) and their golden outputs from TFLite's Python interpreter (TF 2.21).
 */
final class TestModels {
  static final String FLOAT32 = "gain_float32";
  static final String INT8 = "gain_int8";
  /** The float32 graph without a signature; FLOAT32's golden applies. */
  static final String UNSIGNED_FLOAT32 = "gain_unsigned_float32";
  /** Spectral-mask models made by {@code training/make_test_mask_model.py}. */
  static final String MASK_FLOAT32 = "mask_float32";
  static final String MASK_INT8 = "mask_int8";
  static final String COMPLEX_MASK_FLOAT32 = "cmask_float32";
  static final int GRU1 = 16;
  static final int GRU2 = 24;

  private TestModels() {}

  static byte[] resource(String name) {
    try (InputStream in = TestModels.class.getResourceAsStream("testmodel/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource testmodel/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Copies model {@code stem} and its manifest into {@code dir}, the manifest rewritten by
   * {@code edit}; returns the .tflite path.
   */
  static Path copy(String stem, Path dir, UnaryOperator<String> edit) throws IOException {
    Path tflite = dir.resolve(stem + ".tflite");
    Files.write(tflite, resource(stem + ".tflite"));
    String manifest = new String(resource(stem + ".manifest.json"), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve(stem + ".manifest.json"), edit.apply(manifest));
    return tflite;
  }

  static Path copy(String stem, Path dir) throws IOException {
    return copy(stem, dir, UnaryOperator.identity());
  }

  /**
   * Frames × values of one golden series: "features", "gains", "vad", "gru1_state_out", ... for
   * the gain models; "spectrum", "mask" (or "mask_re", "mask_im"), "gru_state_out", ... for the
   * mask models.
   */
  static float[][] golden(String stem, String series) {
    @SuppressWarnings("unchecked")
    Map<String, Object> root = (Map<String, Object>) Json.parse(
        new String(resource(stem + ".golden.json"), StandardCharsets.UTF_8));
    List<?> rows = (List<?>) root.get(series);
    float[][] out = new float[rows.size()][];
    for (int t = 0; t < out.length; t++) {
      List<?> row = (List<?>) rows.get(t);
      out[t] = new float[row.size()];
      for (int i = 0; i < row.size(); i++) {
        out[t][i] = ((Double) row.get(i)).floatValue();
      }
    }
    return out;
  }
}
