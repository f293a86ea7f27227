package dev.denoise.core.image;

/** Estimates the standard deviation of additive white Gaussian noise from a noisy image. */
public interface NoiseLevelEstimator {

  /**
   * Per-channel noise standard deviation on the 0…255 scale ({@code sigma255}), one entry per
   * channel of {@code image}. The image is not modified.
   */
  double[] estimateSigma255(PlanarImage image);

  /** Mean of the per-channel estimates: the single sigma255 an {@link ImageDenoiser} takes. */
  default double estimateMeanSigma255(PlanarImage image) {
    double[] s = estimateSigma255(image);
    double sum = 0;
    for (double v : s) {
      sum += v;
    }
    return sum / s.length;
  }
}
