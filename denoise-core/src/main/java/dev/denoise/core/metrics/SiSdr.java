package dev.denoise.core.metrics;

/**
 * Scale-invariant signal-to-distortion ratio (Le Roux, Wisdom, Erdogan, Hershey, "SDR –
 * half-baked or well done?", ICASSP 2019).
 *
 * <p>Both signals are made zero-mean, the reference is scaled by the least-squares factor
 * {@code α = ⟨ŝ, s⟩ / ‖s‖²}, and {@code SI-SDR = 10·log10(‖α·s‖² / ‖α·s − ŝ‖²)} in dB. The
 * value does not change when the estimate is multiplied by any non-zero constant.
 */
public final class SiSdr {
  private SiSdr() {}

  /**
   * SI-SDR of {@code estimate} against {@code reference}, in dB. {@code +Infinity} when the
   * estimate is an exact (scaled) copy, {@code -Infinity} when it is orthogonal to the reference
   * or silent.
   *
   * @throws IllegalArgumentException when the lengths differ or the zero-mean reference is
   *     silent (the target direction is undefined)
   */
  public static double db(float[] reference, float[] estimate) {
    SignalChecks.sameLength("reference", reference, "estimate", estimate);
    int n = reference.length;
    double meanS = 0;
    double meanE = 0;
    for (int i = 0; i < n; i++) {
      meanS += reference[i];
      meanE += estimate[i];
    }
    meanS = n == 0 ? 0 : meanS / n;
    meanE = n == 0 ? 0 : meanE / n;
    double ss = 0;
    double se = 0;
    for (int i = 0; i < n; i++) {
      double s = reference[i] - meanS;
      double e = estimate[i] - meanE;
      ss += s * s;
      se += s * e;
    }
    if (ss == 0) {
      throw new IllegalArgumentException("reference is silent after removing its mean (n=" + n + ")");
    }
    double alpha = se / ss;
    if (alpha == 0) {
      return Double.NEGATIVE_INFINITY;
    }
    double target = 0;
    double distortion = 0;
    for (int i = 0; i < n; i++) {
      double t = alpha * (reference[i] - meanS);
      double d = (estimate[i] - meanE) - t;
      target += t * t;
      distortion += d * d;
    }
    return 10 * Math.log10(target / distortion);
  }
}
