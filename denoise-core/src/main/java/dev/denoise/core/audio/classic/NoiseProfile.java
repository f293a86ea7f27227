package dev.denoise.core.audio.classic;

import dev.denoise.core.audio.Stft;

/**
 * A noise power spectrum measured on a segment the user marked as noise only.
 *
 * <p>The power per bin is the mean of {@code |Y(k)|^2} over all full frames of the segment,
 * framed exactly as the denoiser frames its input (same {@link Stft}), so it can seed or replace
 * the tracker's estimate directly.
 */
public final class NoiseProfile {
  private final float[] power;

  private NoiseProfile(float[] power) {
    this.power = power;
  }

  /**
   * Measures the profile of {@code samples[offset, offset + length)}.
   *
   * @throws IllegalArgumentException when the segment is shorter than one window
   */
  public static NoiseProfile measure(Stft stft, float[] samples, int offset, int length) {
    int window = stft.windowLength();
    if (length < window || offset < 0 || offset > samples.length - length) {
      throw new IllegalArgumentException(String.format(
          "noise segment must hold at least one window: length=%d window=%d offset=%d "
              + "samples=%d", length, window, offset, samples.length));
    }
    int bins = stft.bins();
    float[] re = new float[bins];
    float[] im = new float[bins];
    double[] sum = new double[bins];
    int frames = 0;
    for (int start = offset; start + window <= offset + length; start += stft.hopSize()) {
      stft.forward(samples, start, re, im);
      for (int k = 0; k < bins; k++) {
        sum[k] += (double) re[k] * re[k] + (double) im[k] * im[k];
      }
      frames++;
    }
    float[] power = new float[bins];
    for (int k = 0; k < bins; k++) {
      power[k] = (float) (sum[k] / frames);
    }
    return new NoiseProfile(power);
  }

  /** Noise power per bin (a copy). */
  public float[] power() {
    return power.clone();
  }

  /** Number of bins. */
  public int bins() {
    return power.length;
  }
}
