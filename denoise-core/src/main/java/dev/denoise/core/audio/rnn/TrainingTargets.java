package dev.denoise.core.audio.rnn;

/**
 * Training targets of the neural voice path, from the clean and the noisy band energies of the
 * same frame (both from a {@link FeatureExtractor}, so framing and bands match the features).
 *
 * <p>Target vector, {@link #COUNT} = 23 floats: the 22 ideal band gains
 * {@code g_b = min(1, sqrt(E_b^clean / E_b^noisy))}, or {@link #UNDEFINED} (−1) where both
 * energies are below {@link #SILENT_BAND_ENERGY} (the gain does not matter there; training masks
 * it out of the loss), then the voice activity target at index {@link #VAD}.
 */
public final class TrainingTargets {
  /** Number of target values per frame. */
  public static final int COUNT = FeatureExtractor.BANDS + 1;
  /** Index of the voice activity target. */
  public static final int VAD = FeatureExtractor.BANDS;
  /** Marks a band whose gain is undefined. */
  public static final float UNDEFINED = -1f;
  /** Band energy (per-bin power) below which a band counts as silent: −90 dB. */
  public static final float SILENT_BAND_ENERGY = 1e-9f;
  /** Clean frame power (dB re full scale) at and below which the VAD target is 0. */
  public static final double VAD_ZERO_DB = -60;
  /** Clean frame power (dB re full scale) at and above which the VAD target is 1. */
  public static final double VAD_ONE_DB = -50;

  private TrainingTargets() {}

  /**
   * Ideal band gains into {@code out[0, bands)}; see the class comment. Allocates nothing.
   */
  public static void idealGains(float[] cleanEnergy, float[] noisyEnergy, float[] out) {
    for (int b = 0; b < FeatureExtractor.BANDS; b++) {
      float s = cleanEnergy[b];
      float x = noisyEnergy[b];
      if (s < SILENT_BAND_ENERGY && x < SILENT_BAND_ENERGY) {
        out[b] = UNDEFINED;
      } else {
        out[b] = x <= 0 ? 1f : (float) Math.min(1, Math.sqrt(s / x));
      }
    }
  }

  /**
   * Voice activity target from the clean frame's mean per-bin power
   * ({@link FeatureExtractor#framePower()}): 0 at or below {@link #VAD_ZERO_DB}, 1 at or above
   * {@link #VAD_ONE_DB}, linear in dB between.
   */
  public static float vad(float cleanFramePower) {
    double db = 10 * Math.log10(cleanFramePower + FeatureExtractor.ENERGY_FLOOR);
    return (float) Math.max(0, Math.min(1, (db - VAD_ZERO_DB) / (VAD_ONE_DB - VAD_ZERO_DB)));
  }
}
