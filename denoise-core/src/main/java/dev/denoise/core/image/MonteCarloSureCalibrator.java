package dev.denoise.core.image;

import dev.denoise.core.Progress;
import java.util.SplittableRandom;

/**
 * Strength by Monte-Carlo SURE (Ramani, Blu and Unser, "Monte-Carlo SURE: A Black-Box
 * Optimization of Regularization Parameters for General Denoising Algorithms", IEEE TIP 2008).
 *
 * <p>For Gaussian noise of known σ, Stein's unbiased risk estimate of the MSE of {@code f} at
 * the noisy image y is {@code ‖f(y) − y‖²/N − σ² + 2σ²·div f(y)/N}; the divergence is estimated
 * with one seeded Gaussian probe b: {@code div ≈ bᵀ(f(y + εb) − f(y))/ε}. It scores the real
 * denoiser, not a masked variant, at two runs per strength. It relies on σ being right and the
 * noise being white Gaussian; {@link Noise2SelfCalibrator} does not.
 */
public final class MonteCarloSureCalibrator implements StrengthCalibrator {
  /** Probe step as a fraction of σ: small against σ, large against float rounding. */
  static final double EPSILON_PER_SIGMA = 0.05;

  private final long seed;

  /** Probe seed 1. */
  public MonteCarloSureCalibrator() {
    this(1);
  }

  /** @param seed seeds the divergence probe */
  public MonteCarloSureCalibrator(long seed) {
    this.seed = seed;
  }

  /** Losses: the SURE estimate of the MSE (0…1 sample scale). */
  @Override
  public Result calibrate(ImageDenoiser denoiser, PlanarImage noisy, double sigma255,
      double[] strengths, Progress progress) {
    StrengthCalibrator.checkStrengths(strengths);
    if (!(sigma255 > 0)) {
      throw new IllegalArgumentException("SURE needs a positive sigma255, got " + sigma255);
    }
    double sigma = sigma255 / 255.0;
    double eps = EPSILON_PER_SIGMA * sigma;
    PlanarImage probe = new PlanarImage(noisy.width(), noisy.height(), noisy.channels());
    PlanarImage shifted = noisy.copy();
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int c = 0; c < noisy.channels(); c++) {
      float[] b = probe.plane(c);
      float[] p = shifted.plane(c);
      for (int i = 0; i < b.length; i++) {
        double u1 = rnd.nextDouble();
        double u2 = rnd.nextDouble();
        b[i] = (float) (Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2));
        p[i] += (float) (eps * b[i]);
      }
    }
    double[] losses = new double[strengths.length];
    int runs = 2 * strengths.length;
    for (int s = 0; s < strengths.length; s++) {
      int base = 2 * s;
      PlanarImage f = denoiser.denoise(noisy, sigma255, strengths[s],
          progress.part(base, runs));
      PlanarImage fp = denoiser.denoise(shifted, sigma255, strengths[s],
          progress.part(base + 1, runs));
      double residual = 0;
      double divergence = 0;
      long n = 0;
      for (int c = 0; c < noisy.channels(); c++) {
        float[] y = noisy.plane(c);
        float[] a = f.plane(c);
        float[] ap = fp.plane(c);
        float[] b = probe.plane(c);
        for (int i = 0; i < y.length; i++) {
          double r = (double) a[i] - y[i];
          residual += r * r;
          divergence += b[i] * ((double) ap[i] - a[i]);
        }
        n += y.length;
      }
      losses[s] = residual / n - sigma * sigma + 2 * sigma * sigma * (divergence / eps) / n;
    }
    progress.update(1);
    return Result.lowest(strengths, losses);
  }
}
