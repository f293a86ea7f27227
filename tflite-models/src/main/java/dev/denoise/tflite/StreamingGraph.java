package dev.denoise.tflite;

import dev.denoise.tflite.ModelManifest.StatePair;
import dev.denoise.tflite.ModelManifest.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.lite.DataType;
import org.tensorflow.lite.Interpreter;
import org.tensorflow.lite.Tensor;

/**
 * The part every streaming per-frame model shares ({@link TfliteGainModel},
 * {@link TfliteMaskModel}): an interpreter over a verified {@link ModelFile}, one direct buffer
 * per input, read-only views of the outputs, float access to float32 and int8 tensors, and the
 * recurrent states carried from each run to the next as real values.
 *
 * <p>Buffers: one direct, native-order buffer per input, allocated at load, written with
 * absolute puts (position stays 0) and handed to {@code runForMultipleInputsOutputs} with an
 * empty output map; outputs are read in place through read-only views of the output tensors,
 * taken once after a first run has allocated the tensors. {@link #run} therefore allocates
 * nothing (no {@code Tensor.copyTo}, which creates a buffer per call).
 *
 * <p>int8: a tensor is quantized with its own scale and zero point ({@code q = clamp(floor(x /
 * scale + 0.5) + zero_point, -128, 127)}, {@code x = (q - zero_point) · scale}), so a state's
 * output and input may carry different quantization: the state is carried as a real value.
 *
 * <p>Threads: one thread at a time. {@link #close} closes the interpreter, which owns the
 * XNNPACK delegate when {@link Delegate#XNNPACK} is chosen.
 */
final class StreamingGraph implements AutoCloseable {

  /** An input's or output's values as floats: float32 directly, int8 through its quantization. */
  static final class Port {
    private final ByteBuffer buffer;
    final int count;
    private final boolean int8;
    private final float scale;
    private final int zeroPoint;

    private Port(ByteBuffer buffer, int count, boolean int8, float scale, int zeroPoint) {
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
  private final ModelManifest manifest;
  private final String kind;
  private final Interpreter interpreter;
  private final ModelFile.Tensors tensors;
  private final Object[] inputs;
  private final Port[] stateIn;
  private final Port[] stateOut;
  private boolean closed;

  /**
   * Loads {@code file} and binds its tensors.
   *
   * @param dataInputs the inputs the adapter writes each frame; every other model input must be
   *     a state input listed in the manifest's {@code states}
   * @param kind what the adapter runs, for messages ("gain models", "mask models")
   * @throws InvalidModelException when an input has no role, the runtime refuses the model, or
   *     its tensors differ from the manifest
   */
  StreamingGraph(ModelFile file, TfliteGainModel.Options options, Set<String> dataInputs,
      String kind) throws InvalidModelException {
    this.source = file.source();
    this.manifest = file.manifest();
    this.kind = kind;
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
      tensors = file.bind(interpreter);
      checkEveryInputIsFed(manifest, dataInputs);
      inputs = new Object[manifest.inputs().size()];
      for (TensorSpec spec : manifest.inputs()) {
        Tensor t = tensors.input(spec.name());
        inputs[tensors.inputIndex(spec.name())] =
            ByteBuffer.allocateDirect(t.numBytes()).order(ByteOrder.nativeOrder());
      }
      // A first run allocates the tensors; only then are the output views stable.
      interpreter.runForMultipleInputsOutputs(inputs, NO_OUTPUT_COPIES);
      List<StatePair> states = manifest.states();
      stateIn = new Port[states.size()];
      stateOut = new Port[states.size()];
      for (int k = 0; k < states.size(); k++) {
        stateIn[k] = input(states.get(k).input());
        stateOut[k] = output(states.get(k).output());
      }
    } catch (InvalidModelException | RuntimeException e) {
      interpreter.close();
      throw e;
    }
    resetStates();
  }

  /** TFLite runtime version of the loaded JNI library, e.g. "2.6.2". */
  static String runtime() {
    TfliteNative.load();
    return org.tensorflow.lite.TensorFlowLite.runtimeVersion();
  }

  String source() {
    return source;
  }

  /** The writable input {@code name}. */
  Port input(String name) throws InvalidModelException {
    TensorSpec spec = manifest.input(name);
    Tensor t = tensors.input(spec.name());
    return port((ByteBuffer) inputs[tensors.inputIndex(spec.name())], t, spec);
  }

  /** A read-only view of output {@code name}, valid after each {@link #run}. */
  Port output(String name) throws InvalidModelException {
    TensorSpec spec = manifest.output(name);
    Tensor t = tensors.output(spec.name());
    return port(t.asReadOnlyBuffer().order(ByteOrder.nativeOrder()), t, spec);
  }

  /** Runs one frame and feeds every state output back to its input. Allocates nothing. */
  void run() {
    interpreter.runForMultipleInputsOutputs(inputs, NO_OUTPUT_COPIES);
    for (int k = 0; k < stateIn.length; k++) {
      Port in = stateIn[k];
      Port out = stateOut[k];
      for (int i = 0; i < in.count; i++) {
        in.write(i, out.read(i));
      }
    }
  }

  /** Zeroes every state input, as at the start of a stream. */
  void resetStates() {
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

  /**
   * Fails unless the manifest's {@code field} equals what this build computes, e.g. "hop is 512;
   * this build's spectral-mask framing has hop 480".
   */
  static void expectField(ModelManifest manifest, String field, int model, int core, String what)
      throws InvalidModelException {
    if (model != core) {
      throw new InvalidModelException(manifest.source() + ": " + field + " is " + model
          + "; this build's " + what + " has " + field + " " + core);
    }
  }

  /** Fails unless {@code spec} has {@code count} elements, naming the role. */
  static void expectCount(ModelManifest manifest, TensorSpec spec, int count, String role,
      String kind) throws InvalidModelException {
    if (spec.elementCount() != count) {
      throw new InvalidModelException(manifest.source() + ": " + role + " \"" + spec.name()
          + "\" " + spec + " has " + spec.elementCount() + " elements; " + kind + " need "
          + count);
    }
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
        + ModelFile.dtypeName(type) + "; " + kind + " use float32 or int8");
  }

  private static void checkEveryInputIsFed(ModelManifest manifest, Set<String> dataInputs)
      throws InvalidModelException {
    Set<String> known = new HashSet<>(dataInputs);
    manifest.states().forEach(s -> known.add(s.input()));
    for (TensorSpec in : manifest.inputs()) {
      if (!known.contains(in.name())) {
        throw new InvalidModelException(manifest.source() + ": input \"" + in.name()
            + "\" is neither " + quoted(dataInputs) + " nor a state input listed in \"states\"; "
            + "nothing would feed it");
      }
    }
  }

  private static String quoted(Set<String> names) {
    StringBuilder sb = new StringBuilder();
    for (String n : names) {
      sb.append(sb.length() == 0 ? "" : " or ").append('"').append(n).append('"');
    }
    return sb.toString();
  }
}
