package dev.denoise.tflite;

import dev.denoise.tflite.ModelManifest.TensorSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.lite.DataType;
import org.tensorflow.lite.Interpreter;
import org.tensorflow.lite.Tensor;

/**
 * A {@code .tflite} file whose bytes match its manifest's sha256, held in a direct buffer
 * (memory-mapped when it comes from a file, which is why models ship uncompressed), and the
 * check that an interpreter's tensors are the ones the manifest declares.
 *
 * <p>The manifest of {@code dir/name.tflite} is {@code dir/name.manifest.json} when that file
 * exists, else {@code dir/manifest.json}; when the manifest names its {@code file}, that name
 * must be the model's.
 */
public final class ModelFile {
  private final ByteBuffer model;
  private final ModelManifest manifest;
  private final String source;

  private ModelFile(ByteBuffer model, ModelManifest manifest, String source)
      throws InvalidModelException {
    String actual = sha256(model);
    if (!actual.equals(manifest.sha256())) {
      throw new InvalidModelException(source + ": sha256 " + actual + " does not match "
          + manifest.source() + " (sha256 " + manifest.sha256() + "); the model and its "
          + "manifest are from different exports");
    }
    this.model = model;
    this.manifest = manifest;
    this.source = source;
  }

  /** Maps {@code tflite} and reads the manifest beside it (see the class comment). */
  public static ModelFile open(Path tflite) throws IOException {
    return open(tflite, manifestPathFor(tflite));
  }

  /** Maps {@code tflite} and checks it against the manifest at {@code manifestPath}. */
  public static ModelFile open(Path tflite, Path manifestPath) throws IOException {
    ModelManifest manifest = ModelManifest.read(manifestPath);
    String name = tflite.getFileName().toString();
    if (manifest.file() != null && !manifest.file().equals(name)) {
      throw new InvalidModelException(manifestPath + ": describes \"" + manifest.file()
          + "\", not " + name);
    }
    ByteBuffer mapped;
    try (FileChannel channel = FileChannel.open(tflite)) {
      mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
    }
    return new ModelFile(mapped, manifest, tflite.toString());
  }

  /**
   * A model already in memory (a classpath resource, an asset). A heap buffer is copied into a
   * direct one, which the interpreter needs; the buffer's position and limit are respected.
   */
  public static ModelFile of(ByteBuffer model, ModelManifest manifest, String source)
      throws InvalidModelException {
    ByteBuffer direct = model.slice();
    if (!direct.isDirect()) {
      ByteBuffer copy = ByteBuffer.allocateDirect(direct.remaining()).order(ByteOrder.nativeOrder());
      copy.put(direct).flip();
      direct = copy;
    }
    return new ModelFile(direct.order(ByteOrder.nativeOrder()), manifest, source);
  }

  /** {@code name.manifest.json} beside {@code name.tflite} if present, else {@code manifest.json}. */
  public static Path manifestPathFor(Path tflite) {
    String name = tflite.getFileName().toString();
    String stem = name.endsWith(".tflite") ? name.substring(0, name.length() - 7) : name;
    Path dir = tflite.toAbsolutePath().getParent();
    Path own = dir.resolve(stem + ".manifest.json");
    return Files.exists(own) ? own : dir.resolve("manifest.json");
  }

  /** The model bytes: a direct buffer for {@code new Interpreter(buffer, options)}. */
  public ByteBuffer buffer() {
    return model.duplicate().order(ByteOrder.nativeOrder());
  }

  public ModelManifest manifest() {
    return manifest;
  }

  /** Where the model came from, for messages. */
  public String source() {
    return source;
  }

  /** Lower-case hex sha256 of the buffer's remaining bytes (the buffer is not moved). */
  static String sha256(ByteBuffer bytes) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(bytes.duplicate());
      StringBuilder hex = new StringBuilder(64);
      for (byte b : digest.digest()) {
        hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  /**
   * Finds every manifest tensor in {@code interpreter} by name and checks shape, dtype,
   * quantization and (when given) the TFLite tensor name; every model input must be declared.
   *
   * @throws InvalidModelException naming the first mismatch, with both values
   */
  public Tensors bind(Interpreter interpreter) throws InvalidModelException {
    boolean bySignature = hasSignature(interpreter, manifest.signature());
    List<TensorSpec> inputs = manifest.inputs();
    int modelInputs = interpreter.getInputTensorCount();
    if (modelInputs != inputs.size()) {
      throw fail("the model has " + modelInputs + " inputs " + inputNames(interpreter)
          + ", the manifest declares " + inputs.size());
    }
    int[] inputIndex = new int[inputs.size()];
    Tensor[] inputTensors = new Tensor[inputs.size()];
    for (int i = 0; i < inputs.size(); i++) {
      TensorSpec spec = inputs.get(i);
      Tensor t = bySignature ? fromSignature(interpreter, spec, true)
          : byTensorName(interpreter, spec, true);
      inputIndex[i] = ordinal(interpreter, t, true);
      checkPosition(spec, inputIndex[i], "input");
      check(spec, t, "input");
      inputTensors[i] = t;
    }
    List<TensorSpec> outputs = manifest.outputs();
    int[] outputIndex = new int[outputs.size()];
    Tensor[] outputTensors = new Tensor[outputs.size()];
    for (int i = 0; i < outputs.size(); i++) {
      TensorSpec spec = outputs.get(i);
      Tensor t = bySignature ? fromSignature(interpreter, spec, false)
          : byTensorName(interpreter, spec, false);
      outputIndex[i] = ordinal(interpreter, t, false);
      checkPosition(spec, outputIndex[i], "output");
      check(spec, t, "output");
      outputTensors[i] = t;
    }
    return new Tensors(manifest, inputIndex, inputTensors, outputIndex, outputTensors);
  }

  /** The interpreter's tensors, matched to the manifest by name. */
  public static final class Tensors {
    private final ModelManifest manifest;
    private final int[] inputIndex;
    private final Tensor[] inputs;
    private final int[] outputIndex;
    private final Tensor[] outputs;

    private Tensors(ModelManifest manifest, int[] inputIndex, Tensor[] inputs, int[] outputIndex,
        Tensor[] outputs) {
      this.manifest = manifest;
      this.inputIndex = inputIndex;
      this.inputs = inputs;
      this.outputIndex = outputIndex;
      this.outputs = outputs;
    }

    /** Position of input {@code name} in {@code runForMultipleInputsOutputs}'s array. */
    public int inputIndex(String name) throws InvalidModelException {
      return inputIndex[position(manifest.inputs(), manifest.input(name))];
    }

    /** Output index of output {@code name}. */
    public int outputIndex(String name) throws InvalidModelException {
      return outputIndex[position(manifest.outputs(), manifest.output(name))];
    }

    public Tensor input(String name) throws InvalidModelException {
      return inputs[position(manifest.inputs(), manifest.input(name))];
    }

    public Tensor output(String name) throws InvalidModelException {
      return outputs[position(manifest.outputs(), manifest.output(name))];
    }

    private static int position(List<TensorSpec> list, TensorSpec spec) {
      return list.indexOf(spec);
    }
  }

  /** The manifest's dtype string for a TFLite type: "float32", "int8", "uint8", ... */
  static String dtypeName(DataType type) {
    return type.name().toLowerCase(java.util.Locale.ROOT);
  }

  private Tensor fromSignature(Interpreter interpreter, TensorSpec spec, boolean input)
      throws InvalidModelException {
    String sig = manifest.signature();
    List<String> names = Arrays.asList(input ? interpreter.getSignatureInputs(sig)
        : interpreter.getSignatureOutputs(sig));
    if (!names.contains(spec.name())) {
      throw fail("signature \"" + sig + "\" has no " + (input ? "input" : "output") + " named \""
          + spec.name() + "\"; its " + (input ? "inputs" : "outputs") + " are " + names);
    }
    return input ? interpreter.getInputTensorFromSignature(spec.name(), sig)
        : interpreter.getOutputTensorFromSignature(spec.name(), sig);
  }

  /**
   * Whether the model has signature {@code key}. Asked through {@code getSignatureInputs}, which
   * both runtimes have (the list of keys is {@code getSignatureDefNames} in 2.6 and
   * {@code getSignatureKeys} in 2.16).
   */
  private static boolean hasSignature(Interpreter interpreter, String key) {
    try {
      String[] inputs = interpreter.getSignatureInputs(key);
      return inputs != null && inputs.length > 0;
    } catch (IllegalArgumentException | IllegalStateException e) {
      return false;
    }
  }

  /** A model without the signature: its tensor named {@code spec.tensor()}, else {@code name}. */
  private Tensor byTensorName(Interpreter interpreter, TensorSpec spec, boolean input)
      throws InvalidModelException {
    String wanted = spec.tensor() != null ? spec.tensor() : spec.name();
    int count = input ? interpreter.getInputTensorCount() : interpreter.getOutputTensorCount();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Tensor t = input ? interpreter.getInputTensor(i) : interpreter.getOutputTensor(i);
      if (t.name().equals(wanted)) {
        return t;
      }
      names.add(t.name());
    }
    throw fail("the model has no signature \"" + manifest.signature() + "\" and no "
        + (input ? "input" : "output") + " tensor named \"" + wanted + "\"; its "
        + (input ? "input" : "output") + " tensors are " + names);
  }

  private static int ordinal(Interpreter interpreter, Tensor t, boolean input) {
    int count = input ? interpreter.getInputTensorCount() : interpreter.getOutputTensorCount();
    for (int i = 0; i < count; i++) {
      Tensor c = input ? interpreter.getInputTensor(i) : interpreter.getOutputTensor(i);
      if (c.index() == t.index()) {
        return i;
      }
    }
    throw new IllegalStateException("tensor " + t.name() + " is not a model "
        + (input ? "input" : "output"));
  }

  /** The manifest's {@code position}, when given, is where binding by name found the tensor. */
  private void checkPosition(TensorSpec spec, int found, String role)
      throws InvalidModelException {
    if (spec.position() >= 0 && spec.position() != found) {
      throw fail(role + " \"" + spec.name() + "\" is at position " + found + " of the model's "
          + role + "s, the manifest says " + spec.position());
    }
  }

  private void check(TensorSpec spec, Tensor t, String role) throws InvalidModelException {
    String what = role + " \"" + spec.name() + "\"";
    if (spec.tensor() != null && !spec.tensor().equals(t.name())) {
      throw fail(what + " is tensor \"" + t.name() + "\" in the model, the manifest says \""
          + spec.tensor() + "\"");
    }
    if (!Arrays.equals(spec.shape(), t.shape())) {
      throw fail(what + " has shape " + Arrays.toString(t.shape()) + " in the model, "
          + Arrays.toString(spec.shape()) + " in the manifest");
    }
    String dtype = dtypeName(t.dataType());
    if (!dtype.equals(spec.dtype())) {
      throw fail(what + " is " + dtype + " in the model, " + spec.dtype() + " in the manifest");
    }
    float scale = t.quantizationParams().getScale();
    int zeroPoint = t.quantizationParams().getZeroPoint();
    boolean scaleMatches = Math.abs(scale - spec.scale()) <= 1e-6f * Math.abs(spec.scale());
    if (!scaleMatches || zeroPoint != spec.zeroPoint()) {
      throw fail(what + " is quantized with scale " + scale + ", zero point " + zeroPoint
          + " in the model; the manifest says scale " + spec.scale() + ", zero point "
          + spec.zeroPoint());
    }
  }

  private static List<String> inputNames(Interpreter interpreter) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < interpreter.getInputTensorCount(); i++) {
      names.add(interpreter.getInputTensor(i).name());
    }
    return names;
  }

  private InvalidModelException fail(String what) {
    return new InvalidModelException(source + ": " + what + " (manifest " + manifest.source()
        + ")");
  }
}
