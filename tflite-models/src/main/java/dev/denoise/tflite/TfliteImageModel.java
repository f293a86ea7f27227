package dev.denoise.tflite;

import dev.denoise.core.image.ImageModel;
import dev.denoise.tflite.ModelManifest.TensorSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.tensorflow.lite.DataType;
import org.tensorflow.lite.Interpreter;
import org.tensorflow.lite.Tensor;

/**
 * An {@link ImageModel} over a TensorFlow Lite photo denoiser (see
 * {@code tflite-models/training/export_photo.py}).
 *
 * <p>The model interface, by signature name: inputs {@value #IMAGE} {@code [1, H, W, 3]} (RGB in
 * [0, 1]) and {@value #NOISE_LEVEL} {@code [1, H, W, 1]} (noise standard deviation in the same
 * units, filled with one value), output {@value #DENOISED} {@code [1, H, W, 3]}; all float32 or
 * all int8 (an int8 tensor with its own scale and zero point, {@code q = clamp(floor(x / scale +
 * 0.5) + zero_point, -128, 127)}). The manifest must say {@code "kind": "photo-denoiser"} and give
 * {@code size_multiple}, {@code receptive_radius} and {@code max_noise_level}; the file's tensors
 * are checked against it at load ({@link ModelFile#bind}) at the stored size. Each call resizes
 * the inputs to the tile's size when it differs from the previous one (then the interpreter
 * re-plans its memory and new direct buffers are allocated); equal tiles reuse everything.
 *
 * <p>Threads: one caller at a time; the interpreter itself uses {@link Options#threads()}.
 * {@link #close} closes the interpreter (which owns the XNNPACK delegate); later calls throw.
 */
public final class TfliteImageModel implements ImageModel {
  /** Input: RGB tile. */
  public static final String IMAGE = "image";
  /** Input: noise level map. */
  public static final String NOISE_LEVEL = "noise_level";
  /** Output: denoised RGB tile. */
  public static final String DENOISED = "denoised";
  /** The manifest's {@code kind} for models this adapter runs. */
  public static final String KIND = "photo-denoiser";

  /**
   * How to run the model.
   *
   * @param threads interpreter threads
   * @param delegate where it runs ({@link Delegate#XNNPACK}: about 5× the built-in float kernels
   *     here)
   * @param maxSide largest tile side accepted (bounds the interpreter's arena: about
   *     {@code 40 · maxSide²} bytes for the small model in float32)
   * @param accelerator an extra TFLite delegate added to the interpreter (Android's GPU or NNAPI
   *     delegate), or null; the caller owns it and closes it after the model
   */
  public record Options(int threads, Delegate delegate, int maxSide,
      org.tensorflow.lite.Delegate accelerator) {
    /** Every core, XNNPACK, tiles up to 1024 pixels. */
    public static Options defaults() {
      return new Options(Runtime.getRuntime().availableProcessors(), Delegate.XNNPACK, 1024);
    }

    /** Options without an extra delegate. */
    public Options(int threads, Delegate delegate, int maxSide) {
      this(threads, delegate, maxSide, null);
    }

    public Options {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be >= 1, got " + threads);
      }
      if (delegate == null) {
        throw new IllegalArgumentException("delegate must not be null");
      }
      if (maxSide < 16) {
        throw new IllegalArgumentException("maxSide must be >= 16, got " + maxSide);
      }
    }
  }

  private final String source;
  private final String name;
  private final Interpreter interpreter;
  private final int imageIndex;
  private final int levelIndex;
  private final int outputIndex;
  private final Quant imageQuant;
  private final Quant levelQuant;
  private final Quant outputQuant;
  private final int sizeMultiple;
  private final int receptiveRadius;
  private final double maxNoiseLevel;
  private final int maxSide;
  private final Object[] inputs = new Object[2];
  private final Map<Integer, Object> outputs = new HashMap<>();
  private ByteBuffer imageBuffer;
  private ByteBuffer levelBuffer;
  private ByteBuffer outputBuffer;
  private int width;
  private int height;
  private float filledLevel = Float.NaN;
  private boolean closed;

  /** Float32 (scale 0) or int8 quantization of one tensor. */
  private record Quant(boolean int8, float scale, int zeroPoint) {
    int bytes() {
      return int8 ? 1 : 4;
    }

    void put(ByteBuffer b, int i, float x) {
      if (int8) {
        int q = (int) Math.floor(x / scale + 0.5f) + zeroPoint;
        b.put(i, (byte) Math.max(-128, Math.min(127, q)));
      } else {
        b.putFloat(4 * i, x);
      }
    }

    float get(ByteBuffer b, int i) {
      return int8 ? (b.get(i) - zeroPoint) * scale : b.getFloat(4 * i);
    }
  }

  private TfliteImageModel(ModelFile file, Options options) throws InvalidModelException {
    this.source = file.source();
    ModelManifest manifest = file.manifest();
    Object kind = manifest.fields().get("kind");
    if (!KIND.equals(kind)) {
      throw new InvalidModelException(manifest.source() + ": \"kind\" is " + kind + "; this adapter runs \""
          + KIND + "\" models");
    }
    Object model = manifest.fields().get("model");
    this.name = model instanceof String s ? s : source;
    this.sizeMultiple = manifest.requireInt("size_multiple");
    this.receptiveRadius = manifest.requireInt("receptive_radius");
    if (sizeMultiple < 1 || receptiveRadius < 0) {
      throw new InvalidModelException(manifest.source() + ": size_multiple " + sizeMultiple
          + " must be >= 1 and receptive_radius " + receptiveRadius + " >= 0");
    }
    Object level = manifest.fields().get("max_noise_level");
    if (!(level instanceof Double d) || !(d > 0) || d > 1) {
      throw new InvalidModelException(manifest.source() + ": \"max_noise_level\" must be a number"
          + " in (0, 1] (noise standard deviation in [0, 1] units), got " + level);
    }
    this.maxNoiseLevel = d;
    this.maxSide = options.maxSide();
    checkShape(manifest, manifest.input(IMAGE), 3);
    checkShape(manifest, manifest.input(NOISE_LEVEL), 1);
    checkShape(manifest, manifest.output(DENOISED), 3);
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
      throw new InvalidModelException(source + ": TensorFlow Lite " + TfliteGainModel.runtime()
          + " cannot load the model: " + e.getMessage(), e);
    }
    this.interpreter = created;
    try {
      ModelFile.Tensors tensors = file.bind(interpreter);
      imageIndex = tensors.inputIndex(IMAGE);
      levelIndex = tensors.inputIndex(NOISE_LEVEL);
      outputIndex = tensors.outputIndex(DENOISED);
      imageQuant = quant(tensors.input(IMAGE), manifest);
      levelQuant = quant(tensors.input(NOISE_LEVEL), manifest);
      outputQuant = quant(tensors.output(DENOISED), manifest);
    } catch (InvalidModelException | RuntimeException e) {
      interpreter.close();
      throw e;
    }
  }

  /** Opens {@code tflite} with the manifest beside it ({@link ModelFile#open(Path)}). */
  public static TfliteImageModel open(Path tflite, Options options) throws IOException {
    return new TfliteImageModel(ModelFile.open(tflite), options);
  }

  /** Loads a verified model file. */
  public static TfliteImageModel open(ModelFile file, Options options) throws InvalidModelException {
    return new TfliteImageModel(file, options);
  }

  /**
   * Opens a model bundled on the classpath as {@code folder/model.tflite} with
   * {@code folder/manifest.json}, e.g. {@code models/photo/photo_ffdnet_small_float32}.
   */
  public static TfliteImageModel openResource(String folder, Options options) throws IOException {
    ClassLoader loader = TfliteImageModel.class.getClassLoader();
    byte[] manifest = readResource(loader, folder + "/manifest.json");
    byte[] model = readResource(loader, folder + "/model.tflite");
    ModelManifest parsed = ModelManifest.parse(new String(manifest, StandardCharsets.UTF_8),
        "classpath:" + folder + "/manifest.json");
    return new TfliteImageModel(ModelFile.of(ByteBuffer.wrap(model), parsed,
        "classpath:" + folder + "/model.tflite"), options);
  }

  private static byte[] readResource(ClassLoader loader, String name) throws IOException {
    try (InputStream in = loader.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("no resource " + name + " on the classpath (is tflite-models in "
            + "this build?)");
      }
      return in.readAllBytes();
    }
  }

  @Override
  public int sizeMultiple() {
    return sizeMultiple;
  }

  @Override
  public int receptiveRadius() {
    return receptiveRadius;
  }

  @Override
  public int maxSide() {
    return maxSide;
  }

  @Override
  public double maxSigma255() {
    return maxNoiseLevel * 255.0;
  }

  @Override
  public String name() {
    return name;
  }

  /** Whether the model computes in int8. */
  public boolean int8() {
    return imageQuant.int8();
  }

  @Override
  public void denoise(float[][] rgb, int width, int height, double sigma255, float[][] out) {
    if (closed) {
      throw new IllegalStateException(name + " is closed");
    }
    int n = width * height;
    if (rgb.length != 3 || out.length != 3 || width <= 0 || height <= 0
        || width % sizeMultiple != 0 || height % sizeMultiple != 0
        || Math.max(width, height) > maxSide) {
      throw new IllegalArgumentException(String.format(
          "need 3 input and 3 output planes and a tile of positive sides, multiples of %d, at most"
              + " %d: got %d/%d planes, %dx%d", sizeMultiple, maxSide, rgb.length, out.length,
          width, height));
    }
    for (int c = 0; c < 3; c++) {
      if (rgb[c].length < n || out[c].length < n) {
        throw new IllegalArgumentException(String.format(
            "plane %d holds %d input / %d output samples, a %dx%d tile needs %d", c,
            rgb[c].length, out[c].length, width, height, n));
      }
    }
    if (width != this.width || height != this.height) {
      resize(width, height);
    }
    float level = (float) (Math.max(0, Math.min(sigma255 / 255.0, maxNoiseLevel)));
    if (level != filledLevel) {
      for (int i = 0; i < n; i++) {
        levelQuant.put(levelBuffer, i, level);
      }
      filledLevel = level;
    }
    float[] r = rgb[0];
    float[] g = rgb[1];
    float[] b = rgb[2];
    for (int i = 0; i < n; i++) {
      imageQuant.put(imageBuffer, 3 * i, r[i]);
      imageQuant.put(imageBuffer, 3 * i + 1, g[i]);
      imageQuant.put(imageBuffer, 3 * i + 2, b[i]);
    }
    outputBuffer.rewind();
    interpreter.runForMultipleInputsOutputs(inputs, outputs);
    float[] or = out[0];
    float[] og = out[1];
    float[] ob = out[2];
    for (int i = 0; i < n; i++) {
      or[i] = outputQuant.get(outputBuffer, 3 * i);
      og[i] = outputQuant.get(outputBuffer, 3 * i + 1);
      ob[i] = outputQuant.get(outputBuffer, 3 * i + 2);
    }
  }

  private void resize(int w, int h) {
    interpreter.resizeInput(imageIndex, new int[] {1, h, w, 3});
    interpreter.resizeInput(levelIndex, new int[] {1, h, w, 1});
    interpreter.allocateTensors();
    int n = w * h;
    imageBuffer = ByteBuffer.allocateDirect(3 * n * imageQuant.bytes()).order(ByteOrder.nativeOrder());
    levelBuffer = ByteBuffer.allocateDirect(n * levelQuant.bytes()).order(ByteOrder.nativeOrder());
    outputBuffer = ByteBuffer.allocateDirect(3 * n * outputQuant.bytes())
        .order(ByteOrder.nativeOrder());
    inputs[imageIndex] = imageBuffer;
    inputs[levelIndex] = levelBuffer;
    outputs.clear();
    outputs.put(outputIndex, outputBuffer);
    filledLevel = Float.NaN;
    this.width = w;
    this.height = h;
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
    return "TfliteImageModel[" + source + "]";
  }

  private static void checkShape(ModelManifest manifest, TensorSpec spec, int channels)
      throws InvalidModelException {
    int[] s = spec.shape();
    if (s.length != 4 || s[0] != 1 || s[3] != channels) {
      throw new InvalidModelException(manifest.source() + ": " + spec + " must have shape"
          + " [1, H, W, " + channels + "]");
    }
  }

  private Quant quant(Tensor t, ModelManifest manifest) throws InvalidModelException {
    DataType type = t.dataType();
    if (type == DataType.FLOAT32) {
      return new Quant(false, 0f, 0);
    }
    if (type == DataType.INT8) {
      float scale = t.quantizationParams().getScale();
      if (!(scale > 0)) {
        throw new InvalidModelException(source + ": int8 tensor " + t.name()
            + " has no quantization scale (" + scale + ")");
      }
      return new Quant(true, scale, t.quantizationParams().getZeroPoint());
    }
    throw new InvalidModelException(manifest.source() + ": tensor " + t.name() + " is "
        + ModelFile.dtypeName(type) + "; photo models use float32 or int8");
  }
}
