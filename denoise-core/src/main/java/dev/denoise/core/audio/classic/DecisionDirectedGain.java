package dev.denoise.core.audio.classic;

import java.util.Arrays;

/**
 * Base for gain rules driven by the a-priori SNR {@code xi}, estimated with the
 * decision-directed approach of Ephraim &amp; Malah (1984):
 * {@code xi(l) = a * G(l-1)^2 * gamma(l-1) + (1 - a) * max(gamma(l) - 1, 0)}, with the
 * a-posteriori SNR {@code gamma = |Y|^2 / lambda}. {@code a} close to 1 smooths {@code xi} over
 * time, which is what suppresses musical noise; {@code xi} is floored at {@code xiMin}
 * (Cappé 1994) for the same reason.
 */
abstract class DecisionDirectedGain implements GainRule {
  private final float smoothing;
  private final float xiMin;
  private final int maxBins;
  private final float[] previousCleanSnr;
  private boolean first = true;

  DecisionDirectedGain(int maxBins, float smoothing, float xiMinDb) {
    this.maxBins = maxBins;
    this.smoothing = smoothing;
    this.xiMin = (float) Math.pow(10, xiMinDb / 10);
    this.previousCleanSnr = new float[maxBins];
  }

  /** The gain for one bin given its a-priori and a-posteriori SNRs (linear). */
  abstract float gain(float xi, float gamma);

  @Override
  public final void computeGains(float[] power, float[] noise, float[] gain, int bins) {
    if (bins > maxBins) {
      throw new IllegalArgumentException("bins=" + bins + " exceeds maxBins=" + maxBins);
    }
    for (int k = 0; k < bins; k++) {
      float gamma = power[k] / Math.max(noise[k], 1e-20f);
      float ml = Math.max(gamma - 1f, 0f);
      float xi = first ? ml : smoothing * previousCleanSnr[k] + (1 - smoothing) * ml;
      xi = Math.max(xi, xiMin);
      float g = Math.min(1f, gain(xi, gamma));
      gain[k] = g;
      previousCleanSnr[k] = g * g * gamma;
    }
    first = false;
  }

  @Override
  public void reset() {
    Arrays.fill(previousCleanSnr, 0f);
    first = true;
  }
}
