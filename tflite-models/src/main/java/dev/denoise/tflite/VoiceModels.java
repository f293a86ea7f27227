package dev.denoise.tflite;

import dev.denoise.core.audio.classic.Strength;
import dev.denoise.core.audio.mask.SpectralMaskDenoiser;
import dev.denoise.core.audio.rnn.NeuralDenoiser;
import dev.denoise.core.audio.rnn.NeuralVoiceStage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The voice models that ship inside this module's jar, under
 * {@code models/voice/<name>_<precision>/} as {@code model.tflite} and {@code manifest.json}
 * (written by {@code training/train_voice.py}; see {@code tflite-models/training/README.md}).
 *
 * <p>Short names, as the CLI and the app take them ({@link #NAMES}): {@code rnnoise} (the
 * RNNoise-style band-gain GRU, {@link #DEFAULT_NAME}), {@code unet} and {@code crn} (spectral-mask
 * models, issue 9), {@code crn-complex} (the CRN with a complex mask: {@code mask_re}/{@code
 * mask_im}), each with a {@code -int8} variant for its int8 export; {@code int8} alone is
 * {@code rnnoise-int8}. A short name's folder is {@code voice_<name with - as _>_small}. A name may be known but not bundled in a given build: {@link #load(String)}
 * then says so.
 */
public final class VoiceModels {
  /** Name of the shipped voice model. */
  public static final String DEFAULT_NAME = "voice_rnnoise_small";

  /** Every short name this build knows, bundled or not, float32 before int8. */
  public static final List<String> NAMES = List.of(
      "rnnoise", "rnnoise-int8", "unet", "unet-int8", "crn", "crn-int8", "crn-complex",
      "crn-complex-int8");

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

  /** Whether {@code shortName} is one of {@link #NAMES} or the alias {@code int8}. */
  public static boolean isName(String shortName) {
    return shortName.equals("int8") || NAMES.contains(shortName);
  }

  /**
   * Classpath folder of a short name: {@code unet-int8} → {@code
   * models/voice/voice_unet_small_int8/}, {@code crn-complex} → {@code
   * models/voice/voice_crn_complex_small_float32/}.
   *
   * @throws InvalidModelException when the name is not one of {@link #NAMES}
   */
  public static String resourceFolder(String shortName) throws InvalidModelException {
    String name = shortName.equals("int8") ? "rnnoise-int8" : shortName;
    if (!NAMES.contains(name)) {
      throw new InvalidModelException("unknown voice model \"" + shortName + "\"; the names are "
          + String.join(", ", NAMES) + " (and int8 for rnnoise-int8)");
    }
    boolean int8 = name.endsWith("-int8");
    String arch = int8 ? name.substring(0, name.length() - "-int8".length()) : name;
    return resourceFolder("voice_" + arch.replace('-', '_') + "_small",
        int8 ? Precision.INT8 : Precision.FLOAT32);
  }

  /** Whether the model {@code shortName} is in this build's jar. */
  public static boolean isBundled(String shortName) throws InvalidModelException {
    return VoiceModels.class.getClassLoader()
        .getResource(resourceFolder(shortName) + "model.tflite") != null;
  }

  /** The names of {@link #NAMES} whose files this build carries. */
  public static List<String> bundled() {
    List<String> out = new ArrayList<>();
    for (String name : NAMES) {
      try {
        if (isBundled(name)) {
          out.add(name);
        }
      } catch (InvalidModelException impossible) {
        throw new IllegalStateException(impossible);
      }
    }
    return out;
  }

  /** The shipped {@link #DEFAULT_NAME} model in {@code precision}, checked against its manifest. */
  public static ModelFile load(Precision precision) throws IOException {
    return load(DEFAULT_NAME, precision);
  }

  /**
   * A shipped model by short name ({@link #NAMES}), checked against its manifest.
   *
   * @throws InvalidModelException for an unknown name, a model this build does not bundle, or
   *     model and manifest that differ
   */
  public static ModelFile load(String shortName) throws IOException {
    String folder = resourceFolder(shortName);
    if (!isBundled(shortName)) {
      throw new InvalidModelException("voice model \"" + shortName + "\" is not bundled in this "
          + "build (no classpath:" + folder + "model.tflite); bundled: "
          + String.join(", ", bundled()));
    }
    return loadFolder(folder);
  }

  /**
   * A shipped model, its bytes checked against the sha256 of the manifest beside it.
   *
   * @throws InvalidModelException when the jar has no such model, or model and manifest differ
   */
  public static ModelFile load(String name, Precision precision) throws IOException {
    return loadFolder(resourceFolder(name, precision));
  }

  /**
   * A complete 48 kHz voice denoiser around {@code file}, by the manifest's kind: a
   * {@link SpectralMaskDenoiser} over a {@link TfliteMaskModel} for {@code "spectral_mask"}, else
   * a {@link NeuralDenoiser} (pitch filter on) over a {@link TfliteGainModel}. The stage owns the
   * interpreter: close it.
   */
  public static NeuralVoiceStage newDenoiser(ModelFile file, TfliteGainModel.Options options,
      Strength strength) throws InvalidModelException {
    if (file.manifest().isSpectralMask()) {
      return new SpectralMaskDenoiser(TfliteMaskModel.open(file, options), strength);
    }
    return new NeuralDenoiser(TfliteGainModel.open(file, options), strength, true);
  }

  private static ModelFile loadFolder(String folder) throws IOException {
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
            + "such model (bundled: " + String.join(", ", bundled()) + ")");
      }
      return in.readAllBytes();
    }
  }
}
