package dev.denoise.core.audio.classic;

/**
 * Tracks the noise power spectral density from the noisy power spectrum, frame by frame.
 * Implementations run on the audio thread: no allocation, locking, logging or I/O in
 * {@link #update}.
 */
public interface NoiseEstimator {

  /**
   * Consumes one frame's noisy power spectrum {@code |Y(k)|^2} and writes the current noise
   * power estimate {@code lambda_d(k)} (same units) to {@code noiseOut}.
   *
   * @param power noisy power per bin, {@code bins} values, never modified
   * @param noiseOut receives the noise power per bin, {@code bins} values
   */
  void update(float[] power, float[] noiseOut, int bins);

  /** Forgets history, as if newly constructed. */
  void reset();

  /** Checks a tracker's constructor arguments, naming the numbers. */
  static void checkArguments(int bins, double hopSeconds, float[] initialNoise) {
    if (bins <= 0 || !(hopSeconds > 0)) {
      throw new IllegalArgumentException(
          "bins and hop must be positive: bins=" + bins + " hopSeconds=" + hopSeconds);
    }
    if (initialNoise != null && initialNoise.length != bins) {
      throw new IllegalArgumentException(String.format(
          "initial noise has %d bins, tracker has %d", initialNoise.length, bins));
    }
  }
}
