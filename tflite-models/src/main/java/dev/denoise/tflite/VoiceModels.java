package dev.denoise.tflite;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The voice models that ship inside this module's jar, under
 * {@code models/voice/<name>_<precision>/} as {@code model.tflite} and {@code manifest.json}
 * (written by {@code training/train_voice.py}; see {@code tflite-models/training/README.md}).
 */
public final class VoiceModels {
  /** Name of the shipped voice model. */
  public static final String DEFAULT_NAME = "voice_rnnoise_small";

  /** Which export of a model. */
  public enum Precision {
    /** The desktop default: XNNPACK float kernels (DESIGN.md: 2.6's int8 kernels are reference speed). */
    FLOAT32,
    /** Full-integer inputs, outputs and weights. */
    INT8;

    /** The folder suffix, {@code float32} or {@code int8}. */
    public String suffix() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private VoiceModels() {}

  /** Classpath folder of a shipped model, e.g. {@code models/voice/voice_rnnoise_small_float32/}. */
  public static String resourceFolder(String name, Precision precision) {
    return "models/voice/" + name + "_" + precision.suffix() + "/";
  }

  /** The shipped {@link #DEFAULT_NAME} model in {@code precision}, checked against its manifest. */
  public static ModelFile load(Precision precision) throws IOException {
    return load(DEFAULT_NAME, precision);
  }

  /**
   * A shipped model, its bytes checked against the sha256 of the manifest beside it.
   *
   * @throws InvalidModelException when the jar has no such model, or model and manifest differ
   */
  public static ModelFile load(String name, Precision precision) throws IOException {
    String folder = resourceFolder(name, precision);
    byte[] model = resource(folder + "model.tflite");
    String manifestName = folder + "manifest.json";
    ModelManifest manifest = ModelManifest.parse(
        new String(resource(manifestName), StandardCharsets.UTF_8), "classpath:" + manifestName);
    ByteBuffer direct = ByteBuffer.allocateDirect(model.length).order(ByteOrder.nativeOrder());
    direct.put(model).flip();
    return ModelFile.of(direct, manifest, "classpath:" + folder + "model.tflite");
  }

  private static byte[] resource(String path) throws IOException {
    ClassLoader loader = VoiceModels.class.getClassLoader();
    try (InputStream in = loader.getResourceAsStream(path)) {
      if (in == null) {
        throw new InvalidModelException("classpath:" + path + " is missing: this build ships no "
            + "such model (shipped: " + DEFAULT_NAME + " float32 and int8)");
      }
      return in.readAllBytes();
    }
  }
}
