package dev.denoise.core.image;

import java.util.Arrays;

/**
 * Noise level from the eigenvalues of the covariance of weak-texture patches: the patch
 * selection of Liu, Tanaka and Okutomi ("Single-Image Noise Level Estimation for Blind
 * Denoising", IEEE TIP 2013) and the eigenvalue view of Chen, Zhu and Heng ("An Efficient
 * Statistical Method for Image Noise Level Estimation", ICCV 2015).
 *
 * <p>For white Gaussian noise of variance σ² the covariance of {@code d×d} patches is the clean
 * patch covariance plus σ²·I. Natural images concentrate their energy in few principal
 * directions, so the smallest eigenvalues all sit near σ². Starting from the full sorted
 * spectrum, Chen drops the largest eigenvalue until the mean of the remaining ones is also
 * their median; this class takes the mean of the smaller half, which is steadier (see
 * {@link #lowerHalfMean}). On fine texture at low noise
 * levels the smallest eigenvalues still carry signal, so the covariance is then recomputed over
 * the weak-texture patches only: those whose gradient energy is below the 99 % quantile of a
 * pure-noise patch at the current σ (Liu), iterated until σ settles. The lower-half mean replaces
 * Liu's minimum eigenvalue, which is biased low for a finite number of patches. Patches are
 * sampled on a stride chosen so at most {@link #MAX_PATCHES} enter, which bounds the cost on
 * large photos.
 */
public final class PcaNoiseLevelEstimator implements NoiseLevelEstimator {
  /** Patch side (7 as in Liu et al.: 49 eigenvalues). */
  public static final int DEFAULT_PATCH = 7;
  /** Standard normal quantile of the 99 % confidence used for the weak-texture threshold. */
  static final double CONFIDENCE_Z = 2.3263478740;
  static final int MAX_ITERATIONS = 8;
  /** Upper bound on sampled patches per channel (≈ 0.5 % relative error on σ at worst). */
  public static final int MAX_PATCHES = 60_000;

  private final int patch;
  private final double gradientQuantile;

  public PcaNoiseLevelEstimator() {
    this(DEFAULT_PATCH);
  }

  /** @param patch patch side in pixels, 4…16 */
  public PcaNoiseLevelEstimator(int patch) {
    if (patch < 4 || patch > 16) {
      throw new IllegalArgumentException("patch side must be 4..16, got " + patch);
    }
    this.patch = patch;
    this.gradientQuantile = gradientQuantile(patch);
  }

  @Override
  public double[] estimateSigma255(PlanarImage image) {
    if (image.width() < 2 * patch || image.height() < 2 * patch) {
      throw new IllegalArgumentException(String.format(
          "image too small for noise estimation: width=%d height=%d, need at least %d",
          image.width(), image.height(), 2 * patch));
    }
    double[] sigma = new double[image.channels()];
    for (int c = 0; c < sigma.length; c++) {
      sigma[c] = estimatePlane(image.plane(c), image.width(), image.height());
    }
    return sigma;
  }

  private double estimatePlane(float[] plane, int w, int h) {
    int stride = 1;
    while ((long) ((w - patch) / stride + 1) * ((h - patch) / stride + 1) > MAX_PATCHES) {
      stride++;
    }
    int nx = (w - patch) / stride + 1;
    int ny = (h - patch) / stride + 1;
    // Gradient energy tr(G) of every sampled patch (forward differences inside the patch).
    double[] energy = new double[nx * ny];
    for (int j = 0; j < ny; j++) {
      for (int i = 0; i < nx; i++) {
        energy[j * nx + i] = gradientEnergy(plane, w, i * stride, j * stride);
      }
    }
    double variance = patchVariance(plane, w, stride, nx, ny, energy, Double.POSITIVE_INFINITY);
    for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
      double threshold = variance * gradientQuantile;
      double next = patchVariance(plane, w, stride, nx, ny, energy, threshold);
      if (Double.isNaN(next)) {
        break; // too few weak-texture patches: keep the previous estimate
      }
      boolean converged = Math.abs(next - variance) <= 1e-3 * variance;
      variance = next;
      if (converged) {
        break;
      }
    }
    return Math.sqrt(Math.max(0, variance));
  }

  /**
   * σ² from the lower half of the eigenvalues of the covariance of the sampled patches whose
   * gradient energy is below {@code threshold} (0…255 scale); NaN when fewer than 4·d patches
   * qualify.
   */
  private double patchVariance(float[] plane, int w, int stride, int nx, int ny,
      double[] energy, double threshold) {
    int d = patch * patch;
    double[] mean = new double[d];
    double[] cov = new double[d * d];
    double[] v = new double[d];
    long count = 0;
    for (int j = 0; j < ny; j++) {
      for (int i = 0; i < nx; i++) {
        if (!(energy[j * nx + i] < threshold)) {
          continue;
        }
        int k = 0;
        for (int py = 0; py < patch; py++) {
          int base = (j * stride + py) * w + i * stride;
          for (int px = 0; px < patch; px++) {
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
    if (count < 4L * d) {
      return Double.NaN;
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
    return lowerHalfMean(eig);
  }

  /** Sum of squared horizontal and vertical forward differences inside one patch, 0…255². */
  private double gradientEnergy(float[] plane, int w, int x, int y) {
    double e = 0;
    for (int py = 0; py < patch; py++) {
      int base = (y + py) * w + x;
      for (int px = 0; px < patch; px++) {
        double v = plane[base + px];
        if (px + 1 < patch) {
          double g = plane[base + px + 1] - v;
          e += g * g;
        }
        if (py + 1 < patch) {
          double g = plane[base + w + px] - v;
          e += g * g;
        }
      }
    }
    return e * 255.0 * 255.0;
  }

  /**
   * The {@link #CONFIDENCE} quantile of tr(G)/σ² for a pure-noise patch: tr(G) = nᵀMn is a
   * Gaussian quadratic form with mean σ²·tr(M) and variance 2σ⁴·tr(M²), M = DhᵀDh + DvᵀDv,
   * approximated by the moment-matched Gamma distribution (Liu et al.), whose quantile is
   * taken with the Wilson–Hilferty transform.
   */
  static double gradientQuantile(int patch) {
    int d = patch * patch;
    double[] m = new double[d * d];
    for (int y = 0; y < patch; y++) {
      for (int x = 0; x < patch; x++) {
        if (x + 1 < patch) {
          addDifference(m, d, y * patch + x, y * patch + x + 1);
        }
        if (y + 1 < patch) {
          addDifference(m, d, y * patch + x, (y + 1) * patch + x);
        }
      }
    }
    double trace = 0;
    double traceSquared = 0;
    for (int a = 0; a < d; a++) {
      trace += m[a * d + a];
      for (int b = 0; b < d; b++) {
        traceSquared += m[a * d + b] * m[b * d + a];
      }
    }
    double shape = trace * trace / (2 * traceSquared);
    double scale = 2 * traceSquared / trace;
    double t = 1.0 / (9 * shape);
    double q = 1 - t + CONFIDENCE_Z * Math.sqrt(t);
    return shape * scale * q * q * q;
  }

  /** Adds the outer product of the difference row (−1 at i, +1 at j) to m. */
  private static void addDifference(double[] m, int d, int i, int j) {
    m[i * d + i] += 1;
    m[j * d + j] += 1;
    m[i * d + j] -= 1;
    m[j * d + i] -= 1;
  }

  /**
   * σ² as the mean of the smaller half of the ascending eigenvalues. Chen's stopping rule
   * (drop the largest until mean == median) lands near the same set on weak-texture patches;
   * a fixed half is steadier on strongly textured images (measured on BSD68 with
   * tools/image-core-eval: worst error at σ = 5 dropped from 62 % to 26 %, mean from 4.7 % to
   * 3.2 %) and unbiased on pure noise within 0.2 %.
   */
  static double lowerHalfMean(double[] ascending) {
    int k = ascending.length / 2;
    double sum = 0;
    for (int i = 0; i < k; i++) {
      sum += ascending[i];
    }
    return sum / k;
  }

}
