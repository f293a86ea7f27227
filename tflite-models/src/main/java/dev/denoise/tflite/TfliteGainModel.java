package dev.denoise.tflite;

import dev.denoise.core.audio.rnn.FeatureExtractor;
import dev.denoise.core.audio.rnn.GainModel;
import dev.denoise.tflite.ModelManifest.StatePair;
import dev.denoise.tflite.ModelManifest.TensorSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.tensorflow.lite.DataType;
import org.tensorflow.lite.Interpreter;
import org.tensorflow.lite.Tensor;

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
 * <p>Buffers: one direct, native-order buffer per input, allocated at load, written with
 * absolute puts (position stays 0) and handed to {@code runForMultipleInputsOutputs} with an
 * empty output map; outputs are read in place through read-only views of the output tensors,
 * taken once after a first run has allocated the tensors. {@link #infer} therefore allocates
 * nothing (no {@code Tensor.copyTo}, which creates a buffer per call).
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

  /** An input's or output's values as floats: float32 directly, int8 through its quantization. */
  private static final class Port {
    final ByteBuffer buffer;
    final int count;
    final boolean int8;
    final float scale;
    final int zeroPoint;

    Port(ByteBuffer buffer, int count, boolean int8, float scale, int zeroPoint) {
      this.buffer = buffer;
      this.count = count;
      this.int8 = int8;
      this.scale = scale;
      this.zeroPoint = zeroPoint;
    }

    void write(int i, float x) {
      if (int8) {
        int q = (int) Math.floor(x / scale + 0.5f) + zeroPoint;
        buffer.put(i, (byte) Math.max(-128, Math.min(127, q)));
      } else {
        buffer.putFloat(4 * i, x);
      }
    }

    float read(int i) {
      return int8 ? (buffer.get(i) - zeroPoint) * scale : buffer.getFloat(4 * i);
    }
  }

  private static final Map<Integer, Object> NO_OUTPUT_COPIES = Collections.emptyMap();

  private final String source;
  private final int featureVersion;
  private final Interpreter interpreter;
  private final Object[] inputs;
  private final Port features;
  private final Port gains;
  private final Port vad;
  private final Port[] stateIn;
  private final Port[] stateOut;
  private boolean closed;

  private TfliteGainModel(ModelFile file, Options options) throws InvalidModelException {
    this.source = file.source();
    ModelManifest manifest = file.manifest();
    this.featureVersion = checkFeatures(manifest);
    TfliteNative.load();
    Interpreter.Options interpreterOptions = new Interpreter.Options();
    interpreterOptions.setNumThreads(options.threads());
    options.delegate().apply(interpreterOptions);
    if (options.accelerator() != null) {
      interpreterOptions.addDelegate(options.accelerator());
    }
    Interpreter created;
    try {
      created = new Interpreter(file.buffer(), interpreterOptions);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new InvalidModelException(source + ": TensorFlow Lite " + runtime()
          + " cannot load the model: " + e.getMessage(), e);
    }
    this.interpreter = created;
    try {
      ModelFile.Tensors tensors = file.bind(interpreter);
      checkRoles(manifest);
      inputs = new Object[manifest.inputs().size()];
      for (TensorSpec spec : manifest.inputs()) {
        Tensor t = tensors.input(spec.name());
        inputs[tensors.inputIndex(spec.name())] =
            ByteBuffer.allocateDirect(t.numBytes()).order(ByteOrder.nativeOrder());
      }
      // A first run allocates the tensors; only then are the output views stable.
      interpreter.runForMultipleInputsOutputs(inputs, NO_OUTPUT_COPIES);
      features = inputPort(tensors, manifest.input(FEATURES));
      gains = outputPort(tensors, manifest.output(GAINS));
      vad = outputPort(tensors, manifest.output(VAD));
      List<StatePair> states = manifest.states();
      stateIn = new Port[states.size()];
      stateOut = new Port[states.size()];
      for (int k = 0; k < states.size(); k++) {
        stateIn[k] = inputPort(tensors, manifest.input(states.get(k).input()));
        stateOut[k] = outputPort(tensors, manifest.output(states.get(k).output()));
      }
    } catch (InvalidModelException | RuntimeException e) {
      interpreter.close();
      throw e;
    }
    reset();
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
    TfliteNative.load();
    return org.tensorflow.lite.TensorFlowLite.runtimeVersion();
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
    interpreter.runForMultipleInputsOutputs(inputs, NO_OUTPUT_COPIES);
    for (int b = 0; b < this.gains.count; b++) {
      gains[b] = this.gains.read(b);
    }
    for (int k = 0; k < stateIn.length; k++) {
      Port in = stateIn[k];
      Port out = stateOut[k];
      for (int i = 0; i < in.count; i++) {
        in.write(i, out.read(i));
      }
    }
    return vad.read(0);
  }

  @Override
  public void reset() {
    for (Port state : stateIn) {
      for (int i = 0; i < state.count; i++) {
        state.write(i, 0f);
      }
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      interpreter.close();
    }
  }

  @Override
  public String toString() {
    return "TfliteGainModel[" + source + "]";
  }

  private Port inputPort(ModelFile.Tensors tensors, TensorSpec spec) throws InvalidModelException {
    Tensor t = tensors.input(spec.name());
    return port((ByteBuffer) inputs[tensors.inputIndex(spec.name())], t, spec);
  }

  private Port outputPort(ModelFile.Tensors tensors, TensorSpec spec)
      throws InvalidModelException {
    Tensor t = tensors.output(spec.name());
    return port(t.asReadOnlyBuffer().order(ByteOrder.nativeOrder()), t, spec);
  }

  private Port port(ByteBuffer buffer, Tensor t, TensorSpec spec) throws InvalidModelException {
    DataType type = t.dataType();
    if (type == DataType.FLOAT32) {
      return new Port(buffer, t.numElements(), false, 0f, 0);
    }
    if (type == DataType.INT8) {
      float scale = t.quantizationParams().getScale();
      if (!(scale > 0)) {
        throw new InvalidModelException(source + ": int8 tensor \"" + spec.name()
            + "\" has no quantization scale (" + scale + ")");
      }
      return new Port(buffer, t.numElements(), true, scale, t.quantizationParams().getZeroPoint());
    }
    throw new InvalidModelException(source + ": tensor \"" + spec.name() + "\" is "
        + ModelFile.dtypeName(type) + "; gain models use float32 or int8");
  }

  /** The feature version, after checking the manifest against what the core computes. */
  private static int checkFeatures(ModelManifest manifest) throws InvalidModelException {
    int version = manifest.requireInt("feature_version");
    check(manifest, "feature_version", version, FeatureExtractor.FEATURE_VERSION);
    OptionalInt count = manifest.optionalInt("feature_count");
    if (count.isPresent()) {
      check(manifest, "feature_count", count.getAsInt(), FeatureExtractor.FEATURE_COUNT);
    }
    OptionalInt bands = manifest.optionalInt("band_count");
    if (bands.isPresent()) {
      check(manifest, "band_count", bands.getAsInt(), FeatureExtractor.BANDS);
    }
    OptionalInt rate = manifest.optionalInt("sample_rate");
    if (rate.isPresent()) {
      check(manifest, "sample_rate", rate.getAsInt(), FeatureExtractor.SAMPLE_RATE);
    }
    return version;
  }

  private static void check(ModelManifest manifest, String field, int model, int core)
      throws InvalidModelException {
    if (model != core) {
      throw new InvalidModelException(manifest.source() + ": " + field + " is " + model
          + "; this build's feature extractor has " + field + " " + core);
    }
  }

  private void checkRoles(ModelManifest manifest) throws InvalidModelException {
    expectCount(manifest, manifest.input(FEATURES), FeatureExtractor.FEATURE_COUNT, "input");
    expectCount(manifest, manifest.output(GAINS), FeatureExtractor.BANDS, "output");
    expectCount(manifest, manifest.output(VAD), 1, "output");
    Set<String> known = new HashSet<>();
    known.add(FEATURES);
    manifest.states().forEach(s -> known.add(s.input()));
    for (TensorSpec in : manifest.inputs()) {
      if (!known.contains(in.name())) {
        throw new InvalidModelException(manifest.source() + ": input \"" + in.name()
            + "\" is neither \"" + FEATURES + "\" nor a state input listed in \"states\"; "
            + "nothing would feed it");
      }
    }
  }

  private static void expectCount(ModelManifest manifest, TensorSpec spec, int count,
      String role) throws InvalidModelException {
    if (spec.elementCount() != count) {
      throw new InvalidModelException(manifest.source() + ": " + role + " \"" + spec.name() + "\" " + spec + " has "
          + spec.elementCount() + " elements; a gain model needs " + count);
    }
  }
}
