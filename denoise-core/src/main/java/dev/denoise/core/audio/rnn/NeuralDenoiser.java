package dev.denoise.core.audio.rnn;

import dev.denoise.core.audio.Stft;
import dev.denoise.core.audio.StreamingStage;
import dev.denoise.core.audio.classic.Strength;
import java.util.Arrays;

/**
 * RNNoise-style voice denoiser at 48 kHz: one state object per stream that runs analysis →
 * features → {@link GainModel} → pitch filter → band gains → synthesis every 10 ms.
 *
 * <p>Per frame of {@link #frameSize()} = 480 samples:
 * <ol>
 *   <li>{@link FeatureExtractor}: spectrum X of the newest 20 ms window, pitch-delayed spectrum
 *       P, band energies, pitch correlations and the feature vector.
 *   <li>{@link GainModel#infer}: 22 band gains and a VAD probability. Gains outside [0, 1] are
 *       clamped; a NaN gain leaves its band alone (1).
 *   <li>Release limit: a band's gain falls by at most a factor {@link #RELEASE} per frame
 *       ({@code g ← max(g, 0.6 g_prev)}, about −4.4 dB per 10 ms), so speech tails decay like a
 *       short reverberation instead of being cut.
 *   <li>{@link PitchFilter} on X (when enabled).
 *   <li>{@code G = mix · max(g, floor) + (1 − mix)} with the {@link Strength}, interpolated to
 *       the bins with the same triangular bands; {@code Y = mix · max(g, floor)·X_filtered
 *       + (1 − mix)·X}.
 *   <li>Inverse FFT, sqrt-Hann synthesis window, overlap-add; one hop out.
 * </ol>
 *
 * <p>Algorithmic latency: {@link #latencySamples()} = 480 samples, 10 ms (window − hop); the
 * pitch filter looks only into the past. {@link #process} allocates nothing.
 *
 * <p>Owns its model: {@link #close} closes it.
 */
public final class NeuralDenoiser implements NeuralVoiceStage {
  /** Largest per-frame fall of a band gain, as a factor. */
  public static final float RELEASE = 0.6f;

  private final GainModel model;
  private final boolean pitchFilterEnabled;
  private final FeatureExtractor extractor;
  private final PitchFilter pitchFilter;
  private final Stft stft;
  private final BandLayout bands;
  private volatile Strength strength;
  private final float[] modelGains = new float[FeatureExtractor.BANDS];
  private final float[] gains = new float[FeatureExtractor.BANDS];
  private final float[] lastGains = new float[FeatureExtractor.BANDS];
  private final float[] binGains = new float[FeatureExtractor.BINS];
  private final float[] re = new float[FeatureExtractor.BINS];
  private final float[] im = new float[FeatureExtractor.BINS];
  private final float[] overlap = new float[FeatureExtractor.WINDOW];
  private volatile float lastVad;

  /**
   * @param model the gain model (owned from now on)
   * @param strength gain floor and wet/dry mix
   * @param pitchFilter whether to run the {@link PitchFilter}
   * @throws IllegalArgumentException when the model expects other features or bands
   */
  public NeuralDenoiser(GainModel model, Strength strength, boolean pitchFilter) {
    if (model.featureVersion() != FeatureExtractor.FEATURE_VERSION
        || model.featureCount() != FeatureExtractor.FEATURE_COUNT
        || model.bandCount() != FeatureExtractor.BANDS) {
      throw new IllegalArgumentException(String.format(
          "model expects feature version %d, %d features, %d bands; this build computes "
              + "version %d, %d features, %d bands", model.featureVersion(),
          model.featureCount(), model.bandCount(), FeatureExtractor.FEATURE_VERSION,
          FeatureExtractor.FEATURE_COUNT, FeatureExtractor.BANDS));
    }
    this.model = model;
    this.strength = strength;
    this.pitchFilterEnabled = pitchFilter;
    this.extractor = new FeatureExtractor();
    this.stft = extractor.stft();
    this.bands = extractor.bands();
    this.pitchFilter = new PitchFilter(bands);
    reset();
  }

  @Override
  public int frameSize() {
    return FeatureExtractor.HOP;
  }

  @Override
  public int latencySamples() {
    return FeatureExtractor.WINDOW - FeatureExtractor.HOP;
  }

  @Override
  public void setStrength(Strength strength) {
    this.strength = strength;
  }

  /** The model's voice activity probability for the last frame. Safe from any thread. */
  @Override
  public float lastVadProbability() {
    return lastVad;
  }

  @Override
  public void process(float[] in, int inOffset, float[] out, int outOffset) {
    StreamingStage.checkFrame("in", in, inOffset, FeatureExtractor.HOP);
    StreamingStage.checkFrame("out", out, outOffset, FeatureExtractor.HOP);
    extractor.process(in, inOffset);
    float vad = model.infer(extractor.features(), modelGains);
    lastVad = vad >= 0 ? Math.min(vad, 1f) : 0f;
    for (int b = 0; b < FeatureExtractor.BANDS; b++) {
      float g = modelGains[b];
      g = g >= 0 ? Math.min(g, 1f) : (g < 0 ? 0f : 1f);
      g = Math.max(g, RELEASE * lastGains[b]);
      gains[b] = g;
      lastGains[b] = g;
    }
    float[] xRe = extractor.spectrumRe();
    float[] xIm = extractor.spectrumIm();
    System.arraycopy(xRe, 0, re, 0, FeatureExtractor.BINS);
    System.arraycopy(xIm, 0, im, 0, FeatureExtractor.BINS);
    if (pitchFilterEnabled) {
      pitchFilter.apply(re, im, extractor.pitchSpectrumRe(), extractor.pitchSpectrumIm(),
          extractor.bandEnergy(), extractor.pitchBandEnergy(), extractor.pitchCorrelation(),
          gains);
    }
    Strength s = strength;
    float floor = s.gainFloor();
    float wet = (float) s.mix();
    for (int b = 0; b < FeatureExtractor.BANDS; b++) {
      gains[b] = Math.max(gains[b], floor);
    }
    bands.interpolate(gains, binGains);
    for (int k = 0; k < FeatureExtractor.BINS; k++) {
      float g = wet * binGains[k];
      re[k] = g * re[k] + (1 - wet) * xRe[k];
      im[k] = g * im[k] + (1 - wet) * xIm[k];
    }
    stft.inverseAdd(re, im, overlap, 0);
    int hop = FeatureExtractor.HOP;
    System.arraycopy(overlap, 0, out, outOffset, hop);
    System.arraycopy(overlap, hop, overlap, 0, FeatureExtractor.WINDOW - hop);
    Arrays.fill(overlap, FeatureExtractor.WINDOW - hop, FeatureExtractor.WINDOW, 0f);
  }

  @Override
  public void reset() {
    extractor.reset();
    model.reset();
    Arrays.fill(overlap, 0f);
    Arrays.fill(lastGains, 0f);
    lastVad = 0f;
  }

  @Override
  public void close() {
    model.close();
  }
}
