package dev.denoise.core.audio.mask;

import dev.denoise.core.audio.SpectralProcessor;
import dev.denoise.core.audio.Stft;
import dev.denoise.core.audio.StftStage;
import dev.denoise.core.audio.classic.ClassicDenoiser;
import dev.denoise.core.audio.classic.Strength;
import dev.denoise.core.audio.rnn.NeuralVoiceStage;

/**
 * Voice denoiser at 48 kHz around a {@link MaskModel}: the project's standard STFT
 * ({@link ClassicDenoiser#standardStft}: 960-sample sqrt-Hann window, 480-sample hop, FFT 1024,
 * 513 bins) streamed by an {@link StftStage}, with the model's mask applied to each frame.
 *
 * <p>Per frame of {@link #frameSize()} = 480 samples:
 * <ol>
 *   <li>Spectrum X of the newest 20 ms window (unnormalised forward FFT, {@link Stft#forward}).
 *   <li>{@code ln(|X|² + 1e-8)} per bin → {@link MaskModel#infer} → mask M.
 *   <li>Magnitude mask: M clamped to [0, 1] (NaN leaves the bin alone, 1). Complex mask: a bin
 *       with a non-finite part is left alone (1 + 0i).
 *   <li>Strength: |M| is raised to the gain floor (a complex M keeps its phase), then
 *       {@code G = mix·M + (1 − mix)}; {@code Y = G·X}. Mixing the masks is the same as mixing the
 *       time signals, because the synthesis is linear.
 *   <li>Inverse FFT, synthesis window, overlap-add; one hop out.
 * </ol>
 *
 * <p>Latency: {@link #latencySamples()} = 480 samples (window − hop), the delay of the output
 * against the input; the models' manifests state 20 ms of algorithmic latency (the 20 ms window
 * that each output sample depends on). {@link #process} allocates nothing beyond what the model
 * allocates (none, by {@link MaskModel}'s contract).
 *
 * <p>Voice activity: mask models have no VAD output, so {@link #lastVadProbability()} is the mean
 * applied gain magnitude of the last frame, clamped to [0, 1] (the same proxy the live path uses
 * for the classic denoiser).
 *
 * <p>Owns its model: {@link #close} closes it.
 */
public final class SpectralMaskDenoiser implements NeuralVoiceStage {
  /** The rate the mask models are trained at. */
  public static final int SAMPLE_RATE = 48000;
  /** Added to the power before the logarithm, as the models were trained. */
  public static final float LN_POWER_EPSILON = 1e-8f;

  private final MaskModel model;
  private final boolean complex;
  private final StftStage stage;
  private final float[] lnPower;
  private final float[] maskRe;
  private final float[] maskIm;
  private volatile Strength strength;
  private volatile float lastMeanGain;

  /**
   * @param model the mask model (owned from now on)
   * @param strength gain floor and wet/dry mix
   * @throws IllegalArgumentException when the model's bin count is not the standard framing's
   */
  public SpectralMaskDenoiser(MaskModel model, Strength strength) {
    Stft stft = ClassicDenoiser.standardStft(SAMPLE_RATE);
    if (model.bins() != stft.bins()) {
      throw new IllegalArgumentException(String.format(
          "mask model has %d bins; the %d Hz standard framing (window %d, hop %d, FFT %d) has %d",
          model.bins(), SAMPLE_RATE, stft.windowLength(), stft.hopSize(), stft.fftSize(),
          stft.bins()));
    }
    this.model = model;
    this.complex = model.complexMask();
    this.strength = strength;
    this.lnPower = new float[stft.bins()];
    this.maskRe = new float[stft.bins()];
    this.maskIm = new float[stft.bins()];
    this.stage = new StftStage(stft, new MaskApplier());
    reset();
  }

  /** The STFT this denoiser runs: the models' framing. */
  public Stft stft() {
    return stage.stft();
  }

  @Override
  public int frameSize() {
    return stage.frameSize();
  }

  @Override
  public int latencySamples() {
    return stage.latencySamples();
  }

  @Override
  public void setStrength(Strength strength) {
    this.strength = strength;
  }

  /** Mean applied gain magnitude of the last frame in [0, 1] (see the class comment). */
  @Override
  public float lastVadProbability() {
    return Math.min(1f, lastMeanGain);
  }

  @Override
  public void process(float[] in, int inOffset, float[] out, int outOffset) {
    stage.process(in, inOffset, out, outOffset);
  }

  /** Clears the STFT history and the model's state. */
  @Override
  public void reset() {
    stage.reset();
  }

  @Override
  public void close() {
    model.close();
  }

  /** The per-frame work, on the spectrum {@link StftStage} hands over. */
  private final class MaskApplier implements SpectralProcessor {
    @Override
    public void process(float[] re, float[] im, int bins) {
      for (int k = 0; k < bins; k++) {
        lnPower[k] = (float) Math.log(re[k] * re[k] + im[k] * im[k] + LN_POWER_EPSILON);
      }
      model.infer(lnPower, maskRe, maskIm);
      Strength s = strength;
      float floor = s.gainFloor();
      float wet = (float) s.mix();
      float dry = 1 - wet;
      double sum = 0;
      if (complex) {
        for (int k = 0; k < bins; k++) {
          float mr = maskRe[k];
          float mi = maskIm[k];
          if (!Float.isFinite(mr) || !Float.isFinite(mi)) {
            mr = 1f;
            mi = 0f;
          }
          float magnitude = (float) Math.sqrt(mr * mr + mi * mi);
          if (magnitude < floor) {
            if (magnitude > 0) {
              mr *= floor / magnitude;
              mi *= floor / magnitude;
            } else {
              mr = floor;
            }
          }
          float gr = wet * mr + dry;
          float gi = wet * mi;
          float xr = re[k];
          float xi = im[k];
          re[k] = gr * xr - gi * xi;
          im[k] = gr * xi + gi * xr;
          sum += Math.sqrt(gr * gr + gi * gi);
        }
      } else {
        for (int k = 0; k < bins; k++) {
          float m = maskRe[k];
          m = m >= 0 ? Math.min(m, 1f) : (m < 0 ? 0f : 1f);
          float g = wet * Math.max(m, floor) + dry;
          re[k] *= g;
          im[k] *= g;
          sum += g;
        }
      }
      lastMeanGain = (float) (sum / bins);
    }

    @Override
    public void reset() {
      model.reset();
      lastMeanGain = 0f;
    }
  }
}
