package dev.denoise.core.image;

/** Estimates the standard deviation of additive white Gaussian noise from a noisy image. */
public interface NoiseLevelEstimator {

  /**
   * Per-channel noise standard deviation on the 0…255 scale ({@code sigma255}), one entry per
   * channel of {@code image}, NaN for a channel where nothing can be measured (almost every
   * sample clipped at 0 or 1). The image is not modified.
   */
  double[] estimateSigma255(PlanarImage image);

  /**
   * Mean of the measurable per-channel estimates: the single sigma255 an {@link ImageDenoiser}
   * takes; NaN when no channel could be measured.
   */
  default double estimateMeanSigma255(PlanarImage image) {
    double[] s = estimateSigma255(image);
    double sum = 0;
    int n = 0;
    for (double v : s) {
      if (!Double.isNaN(v)) {
        sum += v;
        n++;
      }
    }
    return n > 0 ? sum / n : Double.NaN;
  }
}
