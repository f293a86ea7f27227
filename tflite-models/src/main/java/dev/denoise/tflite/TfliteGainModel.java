package dev.denoise.tflite;

import static dev.denoise.tflite.StreamingGraph.expectField;

import dev.denoise.core.audio.rnn.FeatureExtractor;
import dev.denoise.core.audio.rnn.GainModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A {@link GainModel} over a streaming TensorFlow Lite graph: one invocation per 10 ms frame,
 * the recurrent state passed in and out as tensors.
 *
 * <p>The model interface, by name (see {@link ModelManifest} for the manifest format):
 * <table>
 *   <caption>tensors</caption>
 *   <tr><th>name</th><th>role</th><th>size</th></tr>
 *   <tr><td>{@value #FEATURES} (input)</td><td>feature vector of {@link FeatureExtractor},
 *       version {@code feature_version}</td><td>{@link FeatureExtractor#FEATURE_COUNT}</td></tr>
 *   <tr><td>{@value #GAINS} (output)</td><td>band gains in [0, 1]</td>
 *       <td>{@link FeatureExtractor#BANDS}</td></tr>
 *   <tr><td>{@value #VAD} (output)</td><td>voice probability</td><td>1</td></tr>
 *   <tr><td>each {@code states[k].input} / {@code .output}</td><td>recurrent state, e.g. a GRU's
 *       hidden vector; the output of frame t is the input of frame t + 1, zero at the start
 *       </td><td>any, equal</td></tr>
 * </table>
 * Shapes are free as long as the element counts match ({@code [1, 42]}, {@code [42]}). Every
 * model input must be {@value #FEATURES} or a state input. Tensors are float32 or int8; an int8
 * tensor is quantized with its own scale and zero point ({@code q = clamp(floor(x / scale + 0.5)
 * + zero_point, -128, 127)}, {@code x = (q - zero_point) · scale}), so state outputs and inputs
 * may carry different quantization: the state is carried as a real value.
 *
 * <p>Buffers and state: {@link StreamingGraph} (shared with {@link TfliteMaskModel}) writes the
 * inputs into direct buffers and reads the outputs in place, so {@link #infer} allocates nothing
 * (no {@code Tensor.copyTo}, which creates a buffer per call), and carries the states.
 *
 * <p>Threads: one thread at a time, as {@link GainModel} says. {@link #close} closes the
 * interpreter, which owns the XNNPACK delegate when {@link Delegate#XNNPACK} is chosen.
 */
public final class TfliteGainModel implements GainModel {
  /** Name of the features input. */
  public static final String FEATURES = "features";
  /** Name of the band gains output. */
  public static final String GAINS = "gains";
  /** Name of the voice activity output. */
  public static final String VAD = "vad";

  /**
   * How to run the model.
   *
   * @param threads interpreter threads (1 for a per-frame audio model: it is far too small to
   *     split, and the audio thread should not wake others)
   * @param delegate where the model runs
   * @param accelerator an extra TFLite delegate added to the interpreter, e.g. Android's
   *     {@code NnApiDelegate}; null for none. The caller keeps it and closes it after the model.
   */
  public record Options(int threads, Delegate delegate, org.tensorflow.lite.Delegate accelerator) {
    /** One thread with XNNPACK: the voice model's default (DESIGN.md). */
    public static final Options DEFAULT = new Options(1, Delegate.XNNPACK);

    public Options {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be >= 1, got " + threads);
      }
      if (delegate == null) {
        throw new IllegalArgumentException("delegate must not be null");
      }
    }

    /** Options without an extra delegate. */
    public Options(int threads, Delegate delegate) {
      this(threads, delegate, null);
    }
  }

  private final StreamingGraph graph;
  private final int featureVersion;
  private final StreamingGraph.Port features;
  private final StreamingGraph.Port gains;
  private final StreamingGraph.Port vad;

  private TfliteGainModel(ModelFile file, Options options) throws InvalidModelException {
    ModelManifest manifest = file.manifest();
    if (manifest.isSpectralMask()) {
      throw new InvalidModelException(file.source() + ": a spectral-mask model (manifest "
          + manifest.source() + " says kind \"" + ModelManifest.SPECTRAL_MASK
          + "\"); open it with TfliteMaskModel, not as a band-gain model");
    }
    this.featureVersion = checkFeatures(manifest);
    this.graph = new StreamingGraph(file, options, Set.of(FEATURES), "gain models");
    try {
      checkRoles(manifest);
      features = graph.input(FEATURES);
      gains = graph.output(GAINS);
      vad = graph.output(VAD);
    } catch (InvalidModelException | RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  /** Opens {@code tflite} with the manifest beside it ({@link ModelFile#open(Path)}). */
  public static TfliteGainModel open(Path tflite, Options options) throws IOException {
    return open(ModelFile.open(tflite), options);
  }

  /**
   * Loads a verified model file.
   *
   * @throws InvalidModelException when the runtime refuses the model, when its tensors differ
   *     from the manifest, or when it expects other features or bands than this build computes
   */
  public static TfliteGainModel open(ModelFile file, Options options)
      throws InvalidModelException {
    return new TfliteGainModel(file, options);
  }

  /** TFLite runtime version of the loaded JNI library, e.g. "2.6.2". */
  public static String runtime() {
    return StreamingGraph.runtime();
  }

  @Override
  public int featureVersion() {
    return featureVersion;
  }

  @Override
  public int featureCount() {
    return features.count;
  }

  @Override
  public int bandCount() {
    return gains.count;
  }

  @Override
  public float infer(float[] features, float[] gains) {
    if (features.length < this.features.count || gains.length < this.gains.count) {
      throw new IllegalArgumentException(String.format(
          "features.length=%d (need %d) gains.length=%d (need %d)", features.length,
          this.features.count, gains.length, this.gains.count));
    }
    for (int i = 0; i < this.features.count; i++) {
      this.features.write(i, features[i]);
    }
    graph.run();
    for (int b = 0; b < this.gains.count; b++) {
      gains[b] = this.gains.read(b);
    }
    return vad.read(0);
  }

  @Override
  public void reset() {
    graph.resetStates();
  }

  @Override
  public void close() {
    graph.close();
  }

  @Override
  public String toString() {
    return "TfliteGainModel[" + graph.source() + "]";
  }

  /** The feature version, after checking the manifest against what the core computes. */
  private static int checkFeatures(ModelManifest manifest) throws InvalidModelException {
    int version = manifest.requireInt("feature_version");
    expectField(manifest, "feature_version", version, FeatureExtractor.FEATURE_VERSION,
        "feature extractor");
    OptionalInt count = manifest.optionalInt("feature_count");
    if (count.isPresent()) {
      expectField(manifest, "feature_count", count.getAsInt(), FeatureExtractor.FEATURE_COUNT,
          "feature extractor");
    }
    OptionalInt bands = manifest.optionalInt("band_count");
    if (bands.isPresent()) {
      expectField(manifest, "band_count", bands.getAsInt(), FeatureExtractor.BANDS,
          "feature extractor");
    }
    OptionalInt rate = manifest.optionalInt("sample_rate");
    if (rate.isPresent()) {
      expectField(manifest, "sample_rate", rate.getAsInt(), FeatureExtractor.SAMPLE_RATE,
          "feature extractor");
    }
    return version;
  }

  private static void checkRoles(ModelManifest manifest) throws InvalidModelException {
    StreamingGraph.expectCount(manifest, manifest.input(FEATURES), FeatureExtractor.FEATURE_COUNT,
        "input", "gain models");
    StreamingGraph.expectCount(manifest, manifest.output(GAINS), FeatureExtractor.BANDS, "output",
        "gain models");
    StreamingGraph.expectCount(manifest, manifest.output(VAD), 1, "output", "gain models");
  }
}
