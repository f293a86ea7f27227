package dev.denoise.core.image;

import java.util.Arrays;

/**
 * Noise level from the smallest eigenvalues of the covariance of the flattest patches, the
 * patches chosen by their surroundings so the choice does not bias the noise inside them.
 *
 * <p>For white Gaussian noise of variance σ² the covariance of {@code d×d} patches is the clean
 * patch covariance plus σ²·I; natural images concentrate their energy in few principal
 * directions, so the smallest eigenvalues sit near σ² (Chen, Zhu and Heng, "An Efficient
 * Statistical Method for Image Noise Level Estimation", ICCV 2015), more so on weak-texture
 * patches (Liu, Tanaka and Okutomi, IEEE TIP 2013). This class differs from both where they
 * were measured to fail on BSD68 (tools/image-core-eval noise):
 * <ul>
 *   <li><b>Selection without bias.</b> Liu et al. keep patches whose own gradient energy is
 *       small, which also keeps the patches whose <em>noise</em> happens to be small: the
 *       estimate is pulled down, and the fixed-point iteration on the threshold can drift
 *       either way (it did: −13 % to +26 % at σ = 5). Here a patch is ranked by the gradient
 *       energy of a ring around it ({@link #RING} pixels wide, one pixel apart from the patch),
 *       whose noise is independent of the patch's: texture is spatially coherent, noise is
 *       not.</li>
 *   <li><b>Finite-sample correction.</b> The smallest sample eigenvalues of pure noise spread
 *       below σ² (Marchenko–Pastur law for ratio γ = d²/n); the mean of the smallest
 *       {@link #EIGEN_FRACTION} of them is divided by its expected value under that law
 *       ({@link #marchenkoPasturLowerMean}), so a few hundred patches suffice.</li>
 *   <li><b>No threshold to tune.</b> The estimate is computed for the flattest 0.5 %, 1 %, 2 %,
 *       5 %, 10 % and 20 % of the patches (rungs with fewer than {@link #MIN_SELECTED} patches
 *       skipped) and the smallest is kept: texture only adds variance, and on flat content all
 *       rungs agree.</li>
 * </ul>
 * Windows touching a sample at exactly 0 or 1 (clipped 8-bit values, whose noise is gone) are
 * skipped; when that leaves too few (strong noise on a dark or bright photo clips a third of
 * its samples), only the patches must be free of clipping and the rings are ranked on their
 * unclipped samples. σ is NaN only when even that leaves fewer than 4·{@link #PATCH}⁴ patches. Windows are sampled on a stride chosen so at most {@link #MAX_WINDOWS} are ranked,
 * which bounds the cost on large photos.
 *
 * <p>What it measures is all the white noise in the image: on BSD68 some "clean" images carry
 * film grain of σ ≈ 3–4, which is then part of the estimate at low added σ (see the README).
 */
public final class PcaNoiseLevelEstimator implements NoiseLevelEstimator {
  /** Patch side (7 as in Liu et al.: 49 eigenvalues). */
  public static final int PATCH = 7;
  /** Width of the ring whose gradient energy ranks a patch. */
  static final int RING = 3;
  /** Side of the window: the patch, a one-pixel gap and the ring on each side. */
  static final int WINDOW = PATCH + 2 * (RING + 1);
  /**
   * Fraction of the eigenvalues (the smallest) whose mean estimates σ²: 0.05 of 49 is the two
   * smallest. Texture leaks into the next-smallest directions first; on BSD68 (tools/
   * image-core-eval noise, seeds 1 and 2) 0.05 gives fewer misses beyond 10 % than 0.1
   * (3 vs 6 of 408) and a lower mean error at every σ, while 0.02 (one eigenvalue) is no
   * better and noisier.
   */
  static final double EIGEN_FRACTION = 0.05;
  /** Fractions of the windows, flattest first, for which σ is estimated. */
  static final double[] SELECTED_FRACTIONS = {0.005, 0.01, 0.02, 0.05, 0.1, 0.2};
  /** Fewest patches one estimate uses (γ = 49/500 ≈ 0.1). */
  static final int MIN_SELECTED = 500;
  /** Upper bound on ranked windows per channel. */
  public static final int MAX_WINDOWS = 200_000;
  /** Smallest image side accepted: enough windows for a covariance of 49 dimensions. */
  public static final int MIN_SIDE = 32;

  @Override
  public double[] estimateSigma255(PlanarImage image) {
    if (image.width() < MIN_SIDE || image.height() < MIN_SIDE) {
      throw new IllegalArgumentException(String.format(
          "image too small for noise estimation: width=%d height=%d, need at least %d",
          image.width(), image.height(), MIN_SIDE));
    }
    double[] sigma = new double[image.channels()];
    for (int c = 0; c < sigma.length; c++) {
      sigma[c] = estimatePlane(image.plane(c), image.width(), image.height());
    }
    return sigma;
  }

  private static double estimatePlane(float[] plane, int w, int h) {
    double strict = estimatePlane(plane, w, h, true);
    return Double.isNaN(strict) ? estimatePlane(plane, w, h, false) : strict;
  }

  /**
   * One estimate. {@code strict}: windows with any clipped sample are skipped. Otherwise (the
   * fallback for heavily clipped images, where hardly any window is free of clipping) only the
   * patch must be free of it, and the ring's energy is the mean over the differences between
   * unclipped samples.
   */
  private static double estimatePlane(float[] plane, int w, int h, boolean strict) {
    int stride = 1;
    while ((long) ((w - WINDOW) / stride + 1) * ((h - WINDOW) / stride + 1) > MAX_WINDOWS) {
      stride++;
    }
    int nx = (w - WINDOW) / stride + 1;
    int ny = (h - WINDOW) / stride + 1;
    // Windows ranked by ring energy; clipped windows get +∞ and are never selected.
    double[] energy = new double[nx * ny];
    int usable = 0;
    for (int j = 0; j < ny; j++) {
      for (int i = 0; i < nx; i++) {
        double e = ringEnergy(plane, w, i * stride, j * stride, strict);
        energy[j * nx + i] = e;
        if (e < Double.POSITIVE_INFINITY) {
          usable++;
        }
      }
    }
    int minimum = Math.min(MIN_SELECTED, usable);
    if (minimum < 4 * PATCH * PATCH) {
      return Double.NaN; // almost everything is clipped: no noise to measure
    }
    double[] sorted = energy.clone();
    Arrays.sort(sorted);
    double best = Double.POSITIVE_INFINITY;
    boolean anyRung = false;
    for (double fraction : SELECTED_FRACTIONS) {
      int count = (int) (fraction * usable);
      if (count < minimum) {
        continue;
      }
      anyRung = true;
      best = Math.min(best, patchVariance(plane, w, stride, nx, ny, energy, sorted[count - 1]));
    }
    if (!anyRung) {
      best = patchVariance(plane, w, stride, nx, ny, energy, sorted[minimum - 1]);
    }
    return Math.sqrt(Math.max(0, best));
  }

  /**
   * Mean squared horizontal and vertical difference between samples of the window at (x, y)
   * that lie in the ring (outside the patch grown by one pixel), 0…1 scale. {@code strict}: +∞
   * when any sample of the window is exactly 0 or 1. Otherwise +∞ only when a sample of the
   * patch is, and differences touching a clipped ring sample are left out (+∞ if none is left).
   */
  static double ringEnergy(float[] plane, int w, int x, int y, boolean strict) {
    int inner0 = RING;
    int inner1 = RING + PATCH + 2; // exclusive: patch plus the gap on both sides
    int patch0 = RING + 1;
    int patch1 = RING + 1 + PATCH;
    double e = 0;
    int pairs = 0;
    for (int v = 0; v < WINDOW; v++) {
      int row = (y + v) * w + x;
      boolean innerRow = v >= inner0 && v < inner1;
      boolean patchRow = v >= patch0 && v < patch1;
      for (int u = 0; u < WINDOW; u++) {
        float c = plane[row + u];
        boolean clipped = c == 0f || c == 1f;
        if (clipped && (strict || (patchRow && u >= patch0 && u < patch1))) {
          return Double.POSITIVE_INFINITY;
        }
        if (clipped || innerRow && u >= inner0 && u < inner1) {
          continue;
        }
        boolean rightInRing = u + 1 < WINDOW
            && !(innerRow && u + 1 >= inner0 && u + 1 < inner1);
        boolean downInRing = v + 1 < WINDOW
            && !(v + 1 >= inner0 && v + 1 < inner1 && u >= inner0 && u < inner1);
        if (rightInRing) {
          float n = plane[row + u + 1];
          if (n != 0f && n != 1f) {
            double g = n - c;
            e += g * g;
            pairs++;
          }
        }
        if (downInRing) {
          float n = plane[row + w + u];
          if (n != 0f && n != 1f) {
            double g = n - c;
            e += g * g;
            pairs++;
          }
        }
      }
    }
    return pairs > 0 ? e / pairs : Double.POSITIVE_INFINITY;
  }

  /**
   * σ² (0…255 scale) from the patches (the central {@link #PATCH}² of each window) whose ring
   * energy is at most {@code threshold}: mean of the smallest {@link #EIGEN_FRACTION} of the
   * covariance eigenvalues divided by its Marchenko–Pastur expectation.
   */
  private static double patchVariance(float[] plane, int w, int stride, int nx, int ny,
      double[] energy, double threshold) {
    int d = PATCH * PATCH;
    int offset = RING + 1;
    double[] mean = new double[d];
    double[] cov = new double[d * d];
    double[] v = new double[d];
    long count = 0;
    for (int j = 0; j < ny; j++) {
      for (int i = 0; i < nx; i++) {
        if (!(energy[j * nx + i] <= threshold)) {
          continue;
        }
        int k = 0;
        for (int py = 0; py < PATCH; py++) {
          int base = (j * stride + offset + py) * w + i * stride + offset;
          for (int px = 0; px < PATCH; px++) {
            v[k++] = plane[base + px] * 255.0;
          }
        }
        for (int a = 0; a < d; a++) {
          double va = v[a];
          mean[a] += va;
          int row = a * d;
          for (int b = 0; b <= a; b++) {
            cov[row + b] += va * v[b];
          }
        }
        count++;
      }
    }
    for (int a = 0; a < d; a++) {
      mean[a] /= count;
    }
    for (int a = 0; a < d; a++) {
      for (int b = 0; b <= a; b++) {
        double c = cov[a * d + b] / count - mean[a] * mean[b];
        cov[a * d + b] = c;
        cov[b * d + a] = c;
      }
    }
    double[] eig = SymmetricEigen.eigenvalues(cov, d);
    Arrays.sort(eig);
    int k = Math.max(1, (int) Math.round(EIGEN_FRACTION * d));
    double sum = 0;
    for (int i = 0; i < k; i++) {
      sum += eig[i];
    }
    return sum / k / marchenkoPasturLowerMean((double) d / count, (double) k / d);
  }

  /**
   * Mean of the smallest {@code fraction} of the Marchenko–Pastur law with ratio
   * {@code gamma} (0 < γ < 1) and unit variance: the expected mean of the smallest
   * {@code fraction·d} eigenvalues of the sample covariance of n = d/γ white-noise vectors of
   * variance 1. Density {@code √((b−x)(x−a)) / (2πγx)} on {@code [a, b] = [(1∓√γ)²]},
   * integrated by the midpoint rule (4000 cells).
   */
  static double marchenkoPasturLowerMean(double gamma, double fraction) {
    if (!(gamma > 0 && gamma < 1) || !(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException(String.format(
          "need 0 < gamma < 1 and 0 < fraction <= 1: gamma=%s fraction=%s", gamma, fraction));
    }
    double a = (1 - Math.sqrt(gamma)) * (1 - Math.sqrt(gamma));
    double b = (1 + Math.sqrt(gamma)) * (1 + Math.sqrt(gamma));
    int cells = 4000;
    double dx = (b - a) / cells;
    double mass = 0;
    double first = 0;
    for (int i = 0; i < cells && mass < fraction; i++) {
      double x = a + (i + 0.5) * dx;
      double dm = Math.sqrt((b - x) * (x - a)) / (2 * Math.PI * gamma * x) * dx;
      double take = Math.min(dm, fraction - mass);
      mass += take;
      first += take * x;
    }
    return first / mass;
  }
}
