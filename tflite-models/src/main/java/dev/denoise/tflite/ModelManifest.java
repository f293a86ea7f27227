package dev.denoise.tflite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The {@code manifest.json} that travels with every {@code .tflite} file: what the file is
 * (sha256), what its tensors are, and which features it was trained on. The loader checks the
 * model against it; nothing is guessed from tensor order.
 *
 * <pre>{@code
 * {
 *   "format_version": 1,                       required, 1
 *   "file": "voice_int8.tflite",               optional; checked against the file name
 *   "sha256": "<64 hex digits>",               required; sha256 of the .tflite bytes
 *   "signature": "serving_default",            optional (default); the signature whose
 *                                              input/output names "name" refers to
 *   "feature_version": 1, "feature_count": 42, "band_count": 22, "sample_rate": 48000,
 *                                              gain models: checked against the core
 *   "inputs":  [ TENSOR, ... ],                required; every input of the model
 *   "outputs": [ TENSOR, ... ],                required; at least those the adapter reads
 *   "states":  [ {"input": "gru1_state", "output": "gru1_state_out"}, ... ]
 *                                              recurrent state: output fed back to input
 *   "kind": "spectral_mask",                   optional; what the model is (free text for gain
 *                                              and photo models); "spectral_mask" requires:
 *   "sample_rate": 48000, "window": 960, "hop": 480, "fft_size": 1024, "bins": 513,
 *   "input_transform": "ln(power + 1e-8)", "mask": "magnitude" | "complex",
 *   "algorithmic_latency_ms": 20, "params": 123, "macs_per_frame": 456
 *                                              see {@link #spectralMask()}
 * }
 * TENSOR = {"name": "features",                signature name (or tensor name, see below)
 *           "tensor": "serving_default_features:0",   optional; TFLite tensor name, checked
 *           "shape": [1, 42], "dtype": "float32" | "int8" | ...,
 *           "quantization": {"scale": 0.0667, "zero_point": 11},   optional; scale 0 = none
 *           "position": 2}                     optional; index in the interpreter's input
 *                                              (or output) list, checked
 * }</pre>
 *
 * <p>Names: {@code name} is the name the adapter asks for ({@code features}, {@code gains},
 * ...). When the model carries {@link #signature()}, it is the signature's input or output name
 * (TFLite's tensor names are {@code serving_default_x:0} and {@code StatefulPartitionedCall:N},
 * and tensor order is not signature order), and {@code tensor}, when given, is checked; a model
 * without that signature is matched by {@code tensor} (by {@code name} when {@code tensor} is
 * absent). Other fields (metrics, seeds, notes) are kept in
 * {@link #fields()} and otherwise ignored.
 */
public final class ModelManifest {
  /** The manifest format this reader understands. */
  public static final int FORMAT_VERSION = 1;
  /** Signature used when the manifest names none (what the TFLite converter writes). */
  public static final String DEFAULT_SIGNATURE = "serving_default";

  /**
   * One tensor as the manifest declares it. {@code scale == 0} means not quantized;
   * {@code position} is the tensor's place in the interpreter's input or output list, or -1
   * when the manifest does not say.
   */
  public record TensorSpec(String name, String tensor, int[] shape, String dtype, float scale,
      int zeroPoint, int position) {
    /** Number of elements, the product of the shape. */
    public int elementCount() {
      int n = 1;
      for (int d : shape) {
        n *= d;
      }
      return n;
    }

    @Override
    public String toString() {
      return name + " " + Arrays.toString(shape) + " " + dtype
          + (scale != 0 ? " (scale " + scale + ", zero point " + zeroPoint + ")" : "");
    }
  }

  /** A recurrent state: after each run, {@code output} is copied to {@code input}. */
  public record StatePair(String input, String output) {}

  /** {@code kind} of a spectral-mask voice model (U-Net, CRN: the mask contract of issue 9). */
  public static final String SPECTRAL_MASK = "spectral_mask";
  /** The only {@code input_transform} a spectral-mask model may declare. */
  public static final String LN_POWER_TRANSFORM = "ln(power + 1e-8)";

  /**
   * The framing and cost fields of a {@value #SPECTRAL_MASK} manifest.
   *
   * @param complex {@code "mask": "complex"} (outputs {@code mask_re}, {@code mask_im}) rather than
   *     {@code "magnitude"} (output {@code mask})
   */
  public record SpectralMask(int sampleRate, int window, int hop, int fftSize, int bins,
      boolean complex, int algorithmicLatencyMs, int params, int macsPerFrame) {}

  private final String source;
  private final Map<String, Object> fields;
  private final String sha256;
  private final String file;
  private final String signature;
  private final List<TensorSpec> inputs;
  private final List<TensorSpec> outputs;
  private final List<StatePair> states;

  private ModelManifest(String source, Map<String, Object> fields) throws InvalidModelException {
    this.source = source;
    this.fields = Collections.unmodifiableMap(fields);
    int format = requireInt("format_version");
    if (format != FORMAT_VERSION) {
      throw fail("format_version is " + format + "; this build reads " + FORMAT_VERSION);
    }
    String sha = requireString("sha256").toLowerCase(Locale.ROOT);
    if (!sha.matches("[0-9a-f]{64}")) {
      throw fail("sha256 must be 64 hex digits, got \"" + sha + "\"");
    }
    this.sha256 = sha;
    this.file = optionalString("file");
    String sig = optionalString("signature");
    this.signature = sig == null ? DEFAULT_SIGNATURE : sig;
    this.inputs = tensors("inputs");
    this.outputs = tensors("outputs");
    this.states = statePairs();
  }

  /** Reads a manifest file. */
  public static ModelManifest read(Path path) throws IOException {
    // readAllBytes rather than readString (Java 11): Android's java.nio.file is older.
    return parse(new String(Files.readAllBytes(path), StandardCharsets.UTF_8), path.toString());
  }

  /**
   * Parses a manifest.
   *
   * @param source names the manifest in error messages (a path, a resource name)
   */
  public static ModelManifest parse(String json, String source) throws InvalidModelException {
    Object root;
    try {
      root = Json.parse(json);
    } catch (IllegalArgumentException e) {
      throw new InvalidModelException(source + ": " + e.getMessage(), e);
    }
    if (!(root instanceof Map<?, ?>)) {
      throw new InvalidModelException(source + ": a manifest is a JSON object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) root;
    return new ModelManifest(source, map);
  }

  /** Where the manifest came from, for messages. */
  public String source() {
    return source;
  }

  /** Lower-case hex sha256 of the model file. */
  public String sha256() {
    return sha256;
  }

  /** The model's file name, or null when the manifest does not say. */
  public String file() {
    return file;
  }

  /** Signature key that the tensor names refer to. */
  public String signature() {
    return signature;
  }

  public List<TensorSpec> inputs() {
    return inputs;
  }

  public List<TensorSpec> outputs() {
    return outputs;
  }

  public List<StatePair> states() {
    return states;
  }

  /** Every field as parsed (numbers are Double). */
  public Map<String, Object> fields() {
    return fields;
  }

  /** The {@code kind} field, or null when the manifest has none. */
  public String kind() throws InvalidModelException {
    return optionalString("kind");
  }

  /** Whether {@code kind} is {@value #SPECTRAL_MASK}. */
  public boolean isSpectralMask() throws InvalidModelException {
    return SPECTRAL_MASK.equals(kind());
  }

  /**
   * The spectral-mask fields, all required.
   *
   * @throws InvalidModelException when {@code kind} is not {@value #SPECTRAL_MASK}, or a field is
   *     missing, not a positive integer, or has a value this reader does not know
   */
  public SpectralMask spectralMask() throws InvalidModelException {
    String kind = kind();
    if (!SPECTRAL_MASK.equals(kind)) {
      throw fail("\"kind\" is " + (kind == null ? "absent" : "\"" + kind + "\"")
          + "; a spectral-mask model says \"" + SPECTRAL_MASK + "\"");
    }
    String transform = requireString("input_transform");
    if (!LN_POWER_TRANSFORM.equals(transform)) {
      throw fail("\"input_transform\" is \"" + transform + "\"; this build computes only \""
          + LN_POWER_TRANSFORM + "\"");
    }
    String mask = requireString("mask");
    if (!mask.equals("magnitude") && !mask.equals("complex")) {
      throw fail("\"mask\" is \"" + mask + "\"; use \"magnitude\" or \"complex\"");
    }
    return new SpectralMask(positiveInt("sample_rate"), positiveInt("window"), positiveInt("hop"),
        positiveInt("fft_size"), positiveInt("bins"), mask.equals("complex"),
        positiveInt("algorithmic_latency_ms"), positiveInt("params"),
        positiveInt("macs_per_frame"));
  }

  /** The input named {@code name}. */
  public TensorSpec input(String name) throws InvalidModelException {
    return find(inputs, "inputs", name);
  }

  /** The output named {@code name}. */
  public TensorSpec output(String name) throws InvalidModelException {
    return find(outputs, "outputs", name);
  }

  /** An integer field, or empty when absent. */
  public OptionalInt optionalInt(String key) throws InvalidModelException {
    return fields.containsKey(key) ? OptionalInt.of(requireInt(key)) : OptionalInt.empty();
  }

  /** An integer field that must be present. */
  public int requireInt(String key) throws InvalidModelException {
    return toInt(fields.get(key), key);
  }

  private int positiveInt(String key) throws InvalidModelException {
    int v = requireInt(key);
    if (v <= 0) {
      throw fail("\"" + key + "\" must be a positive integer, got " + v);
    }
    return v;
  }

  private TensorSpec find(List<TensorSpec> list, String where, String name)
      throws InvalidModelException {
    for (TensorSpec t : list) {
      if (t.name().equals(name)) {
        return t;
      }
    }
    List<String> names = new ArrayList<>();
    list.forEach(t -> names.add(t.name()));
    throw fail(where + " has no tensor named \"" + name + "\" (it lists " + names + ")");
  }

  private String requireString(String key) throws InvalidModelException {
    String s = optionalString(key);
    if (s == null) {
      throw fail("missing field \"" + key + "\"");
    }
    return s;
  }

  private String optionalString(String key) throws InvalidModelException {
    Object v = fields.get(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw fail("\"" + key + "\" must be a string, got " + v);
    }
    return s;
  }

  private int toInt(Object v, String what) throws InvalidModelException {
    if (v == null) {
      throw fail("missing field \"" + what + "\"");
    }
    if (!(v instanceof Double d) || d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
      throw fail("\"" + what + "\" must be an integer, got " + v);
    }
    return d.intValue();
  }

  private List<TensorSpec> tensors(String key) throws InvalidModelException {
    Object v = fields.get(key);
    if (!(v instanceof List<?> list) || list.isEmpty()) {
      throw fail("\"" + key + "\" must be a non-empty array of tensors");
    }
    List<TensorSpec> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String where = key + "[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> t)) {
        throw fail(where + " must be an object");
      }
      Object name = t.get("name");
      if (!(name instanceof String n) || n.isEmpty()) {
        throw fail(where + ".name must be a non-empty string");
      }
      for (TensorSpec seen : out) {
        if (seen.name().equals(n)) {
          throw fail(key + " lists \"" + n + "\" twice");
        }
      }
      Object tensor = t.get("tensor");
      if (tensor != null && !(tensor instanceof String)) {
        throw fail(where + ".tensor must be a string");
      }
      Object dtype = t.get("dtype");
      if (!(dtype instanceof String)) {
        throw fail(where + ".dtype must be a string such as \"float32\" or \"int8\"");
      }
      if (!(t.get("shape") instanceof List<?> dims) || dims.isEmpty()) {
        throw fail(where + ".shape must be a non-empty array of sizes");
      }
      int[] shape = new int[dims.size()];
      for (int d = 0; d < shape.length; d++) {
        shape[d] = toInt(dims.get(d), where + ".shape[" + d + "]");
        if (shape[d] <= 0) {
          throw fail(where + ".shape[" + d + "] must be positive, got " + shape[d]);
        }
      }
      float scale = 0f;
      int zeroPoint = 0;
      Object q = t.get("quantization");
      if (q != null) {
        if (!(q instanceof Map<?, ?> qm) || !(qm.get("scale") instanceof Double s)) {
          throw fail(where + ".quantization must be {\"scale\": S, \"zero_point\": Z}");
        }
        scale = s.floatValue();
        zeroPoint = toInt(qm.get("zero_point"), where + ".quantization.zero_point");
        if (!(scale >= 0) || Float.isInfinite(scale)) {
          throw fail(where + ".quantization.scale must be finite and >= 0, got " + s);
        }
      }
      int position = -1;
      if (t.get("position") != null) {
        position = toInt(t.get("position"), where + ".position");
        if (position < 0) {
          throw fail(where + ".position must be >= 0, got " + position);
        }
      }
      out.add(new TensorSpec(n, (String) tensor, shape, ((String) dtype).toLowerCase(Locale.ROOT),
          scale, zeroPoint, position));
    }
    return Collections.unmodifiableList(out);
  }

  private List<StatePair> statePairs() throws InvalidModelException {
    Object v = fields.get("states");
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> list)) {
      throw fail("\"states\" must be an array of {\"input\": IN, \"output\": OUT}");
    }
    List<StatePair> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof Map<?, ?> m) || !(m.get("input") instanceof String in)
          || !(m.get("output") instanceof String o)) {
        throw fail("states[" + i + "] must be {\"input\": IN, \"output\": OUT}");
      }
      TensorSpec a = input(in);
      TensorSpec b = output(o);
      if (a.elementCount() != b.elementCount() || !a.dtype().equals(b.dtype())) {
        throw fail("state " + in + " → " + o + ": input " + a + " and output " + b
            + " differ in size or type");
      }
      out.add(new StatePair(in, o));
    }
    return Collections.unmodifiableList(out);
  }

  private InvalidModelException fail(String what) {
    return new InvalidModelException(source + ": " + what);
  }
}
