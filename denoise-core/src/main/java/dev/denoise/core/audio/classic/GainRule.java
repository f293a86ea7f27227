package dev.denoise.core.audio.classic;

/**
 * Turns a noisy power spectrum and a noise estimate into a real gain per bin, {@code 0 <= G <= 1}.
 * May keep history (decision-directed rules do). Runs on the audio thread: no allocation,
 * locking, logging or I/O in {@link #computeGains}.
 */
public interface GainRule {

  /**
   * @param power noisy power {@code |Y(k)|^2} per bin
   * @param noise noise power estimate {@code lambda_d(k)} per bin
   * @param gain receives the gain per bin
   * @param bins number of bins
   */
  void computeGains(float[] power, float[] noise, float[] gain, int bins);

  /** Forgets history, as if newly constructed. */
  void reset();
}
