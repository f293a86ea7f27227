package dev.denoise.tflite;

import static dev.denoise.tflite.StreamingGraph.expectField;

import dev.denoise.core.audio.Stft;
import dev.denoise.core.audio.classic.ClassicDenoiser;
import dev.denoise.core.audio.mask.MaskModel;
import dev.denoise.core.audio.mask.SpectralMaskDenoiser;
import dev.denoise.tflite.ModelManifest.SpectralMask;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * A {@link MaskModel} over a streaming TensorFlow Lite graph (the U-Net and CRN voice models):
 * one invocation per 10 ms frame, any number of states (LSTM/GRU vectors, causal-conv history)
 * passed in and out as tensors.
 *
 * <p>The model interface, by name; the manifest says {@code "kind": "spectral_mask"} and carries
 * the framing fields of {@link ModelManifest#spectralMask()}, which must be the core's
 * ({@link SpectralMaskDenoiser}: 48 kHz, window 960, hop 480, FFT 1024, 513 bins,
 * {@code ln(power + 1e-8)}):
 * <table>
 *   <caption>tensors</caption>
 *   <tr><th>name</th><th>role</th><th>size</th></tr>
 *   <tr><td>{@value #SPECTRUM} (input)</td><td>{@code ln(re² + im² + 1e-8)} per bin</td>
 *       <td>513</td></tr>
 *   <tr><td>{@value #MASK} (output, {@code "mask": "magnitude"})</td><td>gain per bin in
 *       [0, 1]</td><td>513</td></tr>
 *   <tr><td>{@value #MASK_RE}, {@value #MASK_IM} (outputs, {@code "mask": "complex"})</td>
 *       <td>complex mask; clean = (re + i·im)·X</td><td>513 each</td></tr>
 *   <tr><td>each {@code states[k].input} / {@code .output}</td><td>state; the output of frame t
 *       is the input of frame t + 1, zero at the start</td><td>any, equal</td></tr>
 * </table>
 * Shapes are free as long as the element counts match. Every model input must be
 * {@value #SPECTRUM} or a state input. Tensors are float32 or int8, each int8 tensor with its
 * own quantization; states are carried as real values ({@link StreamingGraph}, shared with
 * {@link TfliteGainModel}). {@link #infer} allocates nothing.
 *
 * <p>Threads: one thread at a time, as {@link MaskModel} says. Options are the gain model's
 * ({@link TfliteGainModel.Options}: threads, delegate, an extra delegate the caller closes).
 */
public final class TfliteMaskModel implements MaskModel {
  /** Name of the log-power input. */
  public static final String SPECTRUM = "spectrum";
  /** Name of the magnitude mask output. */
  public static final String MASK = "mask";
  /** Names of the complex mask outputs. */
  public static final String MASK_RE = "mask_re";
  public static final String MASK_IM = "mask_im";

  private final StreamingGraph graph;
  private final SpectralMask spec;
  private final StreamingGraph.Port spectrum;
  private final StreamingGraph.Port maskRe;
  private final StreamingGraph.Port maskIm;

  private TfliteMaskModel(ModelFile file, TfliteGainModel.Options options)
      throws InvalidModelException {
    ModelManifest manifest = file.manifest();
    this.spec = checkFraming(manifest);
    this.graph = new StreamingGraph(file, options, Set.of(SPECTRUM), "mask models");
    try {
      checkRoles(manifest, spec);
      spectrum = graph.input(SPECTRUM);
      maskRe = graph.output(spec.complex() ? MASK_RE : MASK);
      maskIm = spec.complex() ? graph.output(MASK_IM) : null;
    } catch (InvalidModelException | RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  /** Opens {@code tflite} with the manifest beside it ({@link ModelFile#open(Path)}). */
  public static TfliteMaskModel open(Path tflite, TfliteGainModel.Options options)
      throws IOException {
    return open(ModelFile.open(tflite), options);
  }

  /**
   * Loads a verified model file.
   *
   * @throws InvalidModelException when the manifest is not a spectral-mask manifest for this
   *     build's framing, when the runtime refuses the model, or when its tensors differ from
   *     the manifest
   */
  public static TfliteMaskModel open(ModelFile file, TfliteGainModel.Options options)
      throws InvalidModelException {
    return new TfliteMaskModel(file, options);
  }

  /** The manifest's framing and cost fields. */
  public SpectralMask spec() {
    return spec;
  }

  @Override
  public int bins() {
    return spectrum.count;
  }

  @Override
  public boolean complexMask() {
    return spec.complex();
  }

  @Override
  public void infer(float[] lnPower, float[] maskRe, float[] maskIm) {
    int bins = spectrum.count;
    if (lnPower.length < bins || maskRe.length < bins || (maskIm != null && maskIm.length < bins)
        || (this.maskIm != null && maskIm == null)) {
      throw new IllegalArgumentException(String.format(
          "lnPower.length=%d maskRe.length=%d maskIm.length=%s (need %d each%s)",
          lnPower.length, maskRe.length, maskIm == null ? "null" : maskIm.length, bins,
          this.maskIm != null ? ", complex mask" : ""));
    }
    for (int k = 0; k < bins; k++) {
      spectrum.write(k, lnPower[k]);
    }
    graph.run();
    for (int k = 0; k < bins; k++) {
      maskRe[k] = this.maskRe.read(k);
    }
    if (this.maskIm != null) {
      for (int k = 0; k < bins; k++) {
        maskIm[k] = this.maskIm.read(k);
      }
    }
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
    return "TfliteMaskModel[" + graph.source() + "]";
  }

  /** The manifest's spectral-mask fields, after checking them against the core's framing. */
  private static SpectralMask checkFraming(ModelManifest manifest) throws InvalidModelException {
    SpectralMask s = manifest.spectralMask();
    Stft stft = ClassicDenoiser.standardStft(SpectralMaskDenoiser.SAMPLE_RATE);
    expectField(manifest, "sample_rate", s.sampleRate(), SpectralMaskDenoiser.SAMPLE_RATE,
        "spectral-mask framing");
    expectField(manifest, "window", s.window(), stft.windowLength(),
        "spectral-mask framing");
    expectField(manifest, "hop", s.hop(), stft.hopSize(),
        "spectral-mask framing");
    expectField(manifest, "fft_size", s.fftSize(), stft.fftSize(),
        "spectral-mask framing");
    expectField(manifest, "bins", s.bins(), stft.bins(),
        "spectral-mask framing");
    return s;
  }

  private static void checkRoles(ModelManifest manifest, SpectralMask s)
      throws InvalidModelException {
    StreamingGraph.expectCount(manifest, manifest.input(SPECTRUM), s.bins(), "input",
        "mask models");
    if (s.complex()) {
      StreamingGraph.expectCount(manifest, manifest.output(MASK_RE), s.bins(), "output",
          "complex mask models");
      StreamingGraph.expectCount(manifest, manifest.output(MASK_IM), s.bins(), "output",
          "complex mask models");
    } else {
      StreamingGraph.expectCount(manifest, manifest.output(MASK), s.bins(), "output",
          "magnitude mask models");
    }
  }
}
