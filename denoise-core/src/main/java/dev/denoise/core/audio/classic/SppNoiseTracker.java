package dev.denoise.core.audio.classic;

import java.util.Arrays;

/**
 * Noise power tracking by speech presence probability, after Gerkmann &amp; Hendriks, "Unbiased
 * MMSE-based noise power estimation with low complexity and low tracking delay", IEEE TASLP
 * 20(4), 2012.
 *
 * <p>Per bin, with the previous estimate {@code lambda}: the a-posteriori probability of speech
 * presence given a fixed typical a-priori SNR {@code xiH1} (15 dB) and equal priors is
 * {@code p = 1 / (1 + (1 + xiH1) exp(-gamma xiH1 / (1 + xiH1)))}, {@code gamma = |Y|^2/lambda};
 * the noise periodogram is estimated as {@code (1 - p) |Y|^2 + p lambda} and recursively
 * averaged ({@code alpha}, 0.8 per 16 ms as in the paper, converted to this hop). To keep the
 * estimate from locking up when noise rises, {@code p} is capped at 0.99 where its smoothed
 * value stays above 0.99. The estimate is unbiased in noise-only bins and follows a level change
 * within about a second, without the minimum search's window delay.
 */
public final class SppNoiseTracker implements NoiseEstimator {
  private static final double PAPER_HOP_SECONDS = 0.016;
  private static final double XI_H1_DB = 15;
  private final int bins;
  private final float alpha;
  private final float alphaP;
  private final float xiH1;
  private final float[] initialNoise;
  private final float[] noise;
  private final float[] smoothedPresence;
  private boolean seeded;

  /**
   * @param initialNoise optional starting noise power per bin (copied), or null to start from the
   *     first frame's power
   */
  public SppNoiseTracker(int bins, double hopSeconds, float[] initialNoise) {
    NoiseEstimator.checkArguments(bins, hopSeconds, initialNoise);
    double scale = hopSeconds / PAPER_HOP_SECONDS;
    this.bins = bins;
    this.alpha = (float) Math.pow(0.8, scale);
    this.alphaP = (float) Math.pow(0.9, scale);
    this.xiH1 = (float) Math.pow(10, XI_H1_DB / 10);
    this.initialNoise = initialNoise == null ? null : initialNoise.clone();
    this.noise = new float[bins];
    this.smoothedPresence = new float[bins];
    reset();
  }

  @Override
  public void update(float[] power, float[] noiseOut, int bins) {
    if (bins != this.bins) {
      throw new IllegalArgumentException("bins=" + bins + " but tracker has " + this.bins);
    }
    if (!seeded) {
      System.arraycopy(power, 0, noise, 0, bins);
      seeded = true;
    }
    float ratio = xiH1 / (1 + xiH1);
    for (int k = 0; k < bins; k++) {
      float lambda = Math.max(noise[k], 1e-20f);
      float gamma = power[k] / lambda;
      float p = (float) (1 / (1 + (1 + xiH1) * Math.exp(-gamma * ratio)));
      smoothedPresence[k] = alphaP * smoothedPresence[k] + (1 - alphaP) * p;
      if (smoothedPresence[k] > 0.99f) {
        p = Math.min(p, 0.99f);
      }
      float periodogram = (1 - p) * power[k] + p * lambda;
      noise[k] = alpha * noise[k] + (1 - alpha) * periodogram;
      noiseOut[k] = noise[k];
    }
  }

  @Override
  public void reset() {
    Arrays.fill(smoothedPresence, 0f);
    if (initialNoise != null) {
      System.arraycopy(initialNoise, 0, noise, 0, bins);
      seeded = true;
    } else {
      Arrays.fill(noise, 0f);
      seeded = false;
    }
  }
}
