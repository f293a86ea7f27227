package dev.denoise.core.image;

import dev.denoise.core.Progress;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks a denoiser's strength on the noisy image itself, without a clean reference, by the
 * J-invariant self-supervised loss of Noise2Self (Batson and Royer, ICML 2019).
 *
 * <p>For a set J of pixels on a regular grid (every {@code spacing}-th pixel in x and y, at a
 * given phase), the J pixels are replaced by the mean of their in-image edge neighbours (none of
 * which is in J) plus fresh noise that restores their noise level to σ, the result is
 * denoised, and only the J pixels are scored against the noisy input. The denoised value at a
 * J pixel then does not depend on the noise at that pixel, so the expected loss is the true MSE
 * plus σ² (a constant): its minimiser over strengths estimates the strength with the best true
 * MSE. Several phases may be averaged to lower the variance.
 *
 * <p>Why the refill noise: a plain neighbour mean is a better estimate than a noisy pixel (its
 * noise is σ/2), so a denoiser that keeps its centre pixel scores best at low strength on the
 * masked image although it needs more strength on the real one; at σ = 50 this chose strength
 * 0.5 where 1.0 was best (−0.45 dB). Noise independent of the J pixels keeps J-invariance.
 * Edge neighbours blur less than the 3×3 ring (measured: fewer over-strong picks).
 *
 * <p>How much refill: a masked pixel should sit as far from the clean value as a real noisy
 * pixel does, σ² on average. The neighbour mean misses it by its own noise (σ²/n) plus the
 * interpolation error of the clean image, which is large on texture and edges; a fixed refill of
 * σ²(1 − 1/n) ignores the second term, so masked pixels were noisier than real ones and the
 * loss favoured one grid step more strength than the clean-image oracle at σ ≤ 25 (NL-means,
 * BSD68, 0.30 dB mean at σ = 15). The interpolation error is measured on the image itself, per
 * channel, on the same grid shifted by (1, 1) (no J pixel and no neighbour of one): the mean of
 * {@code (x − mean)² − σ²(1 + 1/n)}, what the squared miss holds beyond noise. The refill
 * variance is {@code σ²(1 − 1/n)} minus it, at least 0.
 *
 * <p>Remaining bias: what is scored is the masked denoiser, whose centre pixel carries the
 * interpolation; {@link MonteCarloSureCalibrator} scores the real denoiser and has no such bias
 * when the noise is Gaussian with a known σ; this class needs neither assumption for its loss.
 *
 * <p>Cost: {@code strengths × phases} denoiser runs; calibrate large photos on a crop (see
 * {@link #centreCrop}). Works with any {@link ImageDenoiser}, including a neural one whose
 * "strength" is a blend weight between input and network output.
 */
public final class Noise2SelfCalibrator implements StrengthCalibrator {
  /** The four edge neighbours {dx, dy} used to fill a masked pixel. */
  private static final int[][] CROSS = {{0, -1}, {-1, 0}, {1, 0}, {0, 1}};
  private final int spacing;
  private final int[][] phases;
  private final long seed;

  /** Spacing 4 with two phases, (0, 0) and (2, 2): 1/8 of the pixels are scored; seed 1. */
  public Noise2SelfCalibrator() {
    this(4, new int[][] {{0, 0}, {2, 2}}, 1);
  }

  /**
   * @param spacing grid spacing, at least 2 (so no J pixel neighbours another)
   * @param phases offsets {x, y} of the grids, each in [0, spacing)
   * @param seed seed of the refill noise (phase k uses seed + k)
   */
  public Noise2SelfCalibrator(int spacing, int[][] phases, long seed) {
    if (spacing < 2 || phases.length == 0) {
      throw new IllegalArgumentException(String.format(
          "need spacing >= 2 and at least one phase: spacing=%d phases=%d", spacing,
          phases.length));
    }
    for (int[] p : phases) {
      if (p.length != 2 || p[0] < 0 || p[1] < 0 || p[0] >= spacing || p[1] >= spacing) {
        throw new IllegalArgumentException(
            "phase " + Arrays.toString(p) + " outside [0, " + spacing + ")²");
      }
    }
    this.spacing = spacing;
    this.phases = phases.clone();
    this.seed = seed;
  }

  /** Losses: mean squared error against the noisy input on the masked pixels. */
  @Override
  public Result calibrate(ImageDenoiser denoiser, PlanarImage noisy, double sigma255,
      double[] strengths, Progress progress) {
    StrengthCalibrator.checkStrengths(strengths);
    PlanarImage[] masked = new PlanarImage[phases.length];
    for (int k = 0; k < phases.length; k++) {
      masked[k] = mask(noisy, spacing, phases[k][0], phases[k][1], sigma255, seed + k);
    }
    double[] losses = new double[strengths.length];
    int runs = strengths.length * phases.length;
    for (int s = 0; s < strengths.length; s++) {
      double loss = 0;
      for (int k = 0; k < phases.length; k++) {
        int base = s * phases.length + k;
        PlanarImage out = denoiser.denoise(masked[k], sigma255, strengths[s],
            progress.part(base, runs));
        loss += maskedError(out, noisy, spacing, phases[k][0], phases[k][1]);
      }
      losses[s] = loss / phases.length;
    }
    progress.update(1);
    return Result.lowest(strengths, losses);
  }

  /**
   * A copy of {@code image} whose grid pixels ({@code x ≡ px}, {@code y ≡ py} mod
   * {@code spacing}) hold the mean of their n in-image edge neighbours plus fresh Gaussian noise
   * of variance {@code max(σ²(1 − 1/n) − interpolationError, 0)} (seeded), where
   * {@code interpolationError} is {@link #interpolationError} of the channel: a masked pixel is
   * then about as far from the clean value as a real noisy one.
   */
  static PlanarImage mask(PlanarImage image, int spacing, int px, int py, double sigma255,
      long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    double variance = (sigma255 / 255.0) * (sigma255 / 255.0);
    PlanarImage out = image.copy();
    int w = image.width();
    int h = image.height();
    for (int c = 0; c < image.channels(); c++) {
      float[] src = image.plane(c);
      float[] dst = out.plane(c);
      // Measured on the grid shifted by (1, 1): neither those pixels nor their neighbours are in
      // J, so the masked image does not depend on the J pixels at all.
      double interpolation = interpolationError(src, w, h, spacing, (px + 1) % spacing,
          (py + 1) % spacing, variance);
      double[] mean = new double[1];
      for (int y = py; y < h; y += spacing) {
        for (int x = px; x < w; x += spacing) {
          int n = neighbourMean(src, w, h, x, y, mean);
          double refill = Math.max(0, variance * (1 - 1.0 / n) - interpolation);
          dst[y * w + x] = (float) (mean[0] + Math.sqrt(refill) * gaussian(rnd));
        }
      }
    }
    return out;
  }

  /**
   * The clean image's mean squared interpolation error at the grid pixels ({@code x ≡ px},
   * {@code y ≡ py} mod {@code spacing}), estimated from the noisy plane: mean of {@code (x − neighbourMean)² − variance·(1 + 1/n)} over the grid, at
   * least 0 (0…1 sample scale, squared).
   */
  static double interpolationError(float[] src, int w, int h, int spacing, int px, int py,
      double variance) {
    double[] mean = new double[1];
    double sum = 0;
    long count = 0;
    for (int y = py; y < h; y += spacing) {
      for (int x = px; x < w; x += spacing) {
        int n = neighbourMean(src, w, h, x, y, mean);
        double d = src[y * w + x] - mean[0];
        sum += d * d - variance * (1 + 1.0 / n);
        count++;
      }
    }
    return count == 0 ? 0 : Math.max(0, sum / count);
  }

  /** Writes the mean of the in-image edge neighbours of (x, y) to {@code mean[0]}; returns n. */
  private static int neighbourMean(float[] src, int w, int h, int x, int y, double[] mean) {
    double sum = 0;
    int n = 0;
    for (int[] d : CROSS) {
      int xx = x + d[0];
      int yy = y + d[1];
      if (xx >= 0 && yy >= 0 && xx < w && yy < h) {
        sum += src[yy * w + xx];
        n++;
      }
    }
    mean[0] = sum / n;
    return n;
  }

  private static double gaussian(SplittableRandom rnd) {
    double u1 = rnd.nextDouble();
    double u2 = rnd.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Mean squared difference over the grid pixels and channels. */
  static double maskedError(PlanarImage denoised, PlanarImage noisy, int spacing, int px,
      int py) {
    int w = noisy.width();
    double sum = 0;
    long n = 0;
    for (int c = 0; c < noisy.channels(); c++) {
      float[] a = denoised.plane(c);
      float[] b = noisy.plane(c);
      for (int y = py; y < noisy.height(); y += spacing) {
        for (int x = px; x < w; x += spacing) {
          double d = (double) a[y * w + x] - b[y * w + x];
          sum += d * d;
          n++;
        }
      }
    }
    return sum / n;
  }

  /** The centred crop of at most {@code maxSide}×{@code maxSide} pixels (a copy). */
  public static PlanarImage centreCrop(PlanarImage image, int maxSide) {
    int w = Math.min(maxSide, image.width());
    int h = Math.min(maxSide, image.height());
    return TileSource.of(image).read((image.width() - w) / 2, (image.height() - h) / 2, w, h);
  }
}
