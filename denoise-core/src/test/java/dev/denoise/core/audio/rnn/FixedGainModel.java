package dev.denoise.core.audio.rnn;

import java.util.Arrays;

/**
 * Test double for {@link GainModel}: the same gains and VAD every frame. Counts frames, resets
 * and closes so tests can check how the denoiser drives its model.
 */
public final class FixedGainModel implements GainModel {
  private final float[] gains;
  private final float vad;
  private int featureVersion = FeatureExtractor.FEATURE_VERSION;
  int frames;
  int resets;
  int closes;

  /** {@code gain} on every band. */
  public FixedGainModel(float gain, float vad) {
    this(filled(gain), vad);
  }

  /** One gain per band (copied). */
  public FixedGainModel(float[] gains, float vad) {
    if (gains.length != FeatureExtractor.BANDS) {
      throw new IllegalArgumentException("gains=" + gains.length + " bands=" + FeatureExtractor.BANDS);
    }
    this.gains = gains.clone();
    this.vad = vad;
  }

  private static float[] filled(float gain) {
    float[] g = new float[FeatureExtractor.BANDS];
    Arrays.fill(g, gain);
    return g;
  }

  /** Pretends to be trained on another feature version. */
  FixedGainModel withFeatureVersion(int version) {
    this.featureVersion = version;
    return this;
  }

  @Override
  public int featureVersion() {
    return featureVersion;
  }

  @Override
  public int featureCount() {
    return FeatureExtractor.FEATURE_COUNT;
  }

  @Override
  public int bandCount() {
    return FeatureExtractor.BANDS;
  }

  @Override
  public float infer(float[] features, float[] out) {
    frames++;
    System.arraycopy(gains, 0, out, 0, gains.length);
    return vad;
  }

  @Override
  public void reset() {
    resets++;
  }

  @Override
  public void close() {
    closes++;
  }
}
