package dev.denoise.core.image;

import dev.denoise.core.Progress;

/**
 * Pixelwise non-local means (Buades, Coll and Morel), computed per search offset.
 *
 * <p>For one offset {@code o} the squared difference between the image and its shift by
 * {@code o} is summed over channels, box-filtered to patch distances {@code D(p, p+o)} (two
 * running sums), turned into weights and accumulated. Offsets are visited on a half-plane and
 * each weight is used for both pixels of the pair, so the cost is
 * {@code O(N · C · (2S+1)² / 2)} instead of the naive {@code O(N · (2S+1)² · (2r+1)²)}.
 *
 * <p>Weights follow the IPOL reference (Buades, Coll, Morel, "Non-Local Means Denoising", IPOL
 * 2011): {@code w = exp(−max(d² − 2σ², 0) / h²)} with {@code d²} the mean squared difference
 * per sample over the patch and channels, and the centre pixel weighted like its most similar
 * neighbour. Patch radius {@code r} and search radius {@code S} come from the IPOL table for the
 * noise level; {@code h = k·σ} uses the IPOL factor k times a gain for this pixelwise variant
 * (IPOL aggregates whole patches, which averages more; pixelwise needs a larger h), see
 * {@link #parameters}. {@code strength} multiplies {@code h}. Borders are extended by
 * symmetric reflection.
 *
 * <p>Memory: the padded input (floats), one double accumulator per channel and two for the
 * weights, about {@code (12·C + 16)·N} bytes plus a few region buffers; run large photos
 * through {@link ImageTiler}. Weights come from a table of {@code exp(−t)} ({@link ExpTable}).
 * Thread-safe (no state).
 */
public final class NonLocalMeansDenoiser implements ImageDenoiser {

  /**
   * Filter parameters.
   *
   * @param patchRadius r: patches are (2r+1)² pixels
   * @param searchRadius S: offsets up to ±S in each axis
   * @param h255 the filtering parameter h on the 0…255 scale (already times strength)
   */
  public record Parameters(int patchRadius, int searchRadius, double h255) {
    /** Pixels from a pixel that its output can depend on: {@code S + r}. */
    public int contextRadius() {
      return searchRadius + patchRadius;
    }
  }

  /**
   * Parameters for {@code channels} (1 = gray table, otherwise colour table) and the noise level
   * {@code sigma255}, with {@code h} multiplied by {@code strength}.
   *
   * <p>r and S are IPOL 2011's. k is IPOL's factor times a gain (gray 2.0, 1.6, 1.25, 1.1, 1.1;
   * colour 1.15, 1.1, 1.1 per row) that puts strength 1.0 near the best mean PSNR of this
   * pixelwise variant, measured on 192² crops of scikit-image's bundled photos (gray: camera,
   * moon, coins, brick, grass, gravel, text; colour: astronaut, chelsea, coffee, rocket,
   * motorcycle) at σ = 10…50 with seeded noise. The BSD68/CBSD68 benchmark images were not used
   * to choose them.
   */
  public static Parameters parameters(double sigma255, double strength, int channels) {
    if (!(sigma255 >= 0) || !(strength > 0)) {
      throw new IllegalArgumentException(String.format(
          "need sigma255 >= 0 and strength > 0: sigma255=%s strength=%s", sigma255, strength));
    }
    int r;
    int s;
    double k;
    if (channels == 1) {
      if (sigma255 <= 15) {
        r = 1; s = 10; k = 0.40 * 2.0;
      } else if (sigma255 <= 30) {
        r = 2; s = 10; k = 0.40 * 1.6;
      } else if (sigma255 <= 45) {
        r = 3; s = 17; k = 0.35 * 1.25;
      } else if (sigma255 <= 75) {
        r = 4; s = 17; k = 0.35 * 1.1;
      } else {
        r = 5; s = 17; k = 0.30 * 1.1;
      }
    } else {
      if (sigma255 <= 25) {
        r = 1; s = 10; k = 0.55 * 1.15;
      } else if (sigma255 <= 55) {
        r = 2; s = 17; k = 0.40 * 1.1;
      } else {
        r = 3; s = 17; k = 0.35 * 1.1;
      }
    }
    return new Parameters(r, s, k * sigma255 * strength);
  }

  @Override
  public String name() {
    return "nlm";
  }

  @Override
  public PlanarImage denoise(PlanarImage noisy, double sigma255, double strength,
      Progress progress) {
    return denoise(noisy, sigma255, parameters(sigma255, strength, noisy.channels()), progress);
  }

  /** Denoises with explicit parameters; {@code sigma255} enters the weights as 2σ². */
  public PlanarImage denoise(PlanarImage noisy, double sigma255, Parameters p,
      Progress progress) {
    int w = noisy.width();
    int h = noisy.height();
    int channels = noisy.channels();
    int r = p.patchRadius();
    int s = p.searchRadius();
    int pad = s + r;
    int wp = w + 2 * pad;
    int hp = h + 2 * pad;
    float[][] padded = new float[channels][];
    for (int c = 0; c < channels; c++) {
      padded[c] = reflectPad(noisy.plane(c), w, h, pad);
    }
    double sigma2 = (sigma255 / 255.0) * (sigma255 / 255.0);
    double hh = (p.h255() / 255.0) * (p.h255() / 255.0);
    if (hh == 0) {
      return noisy.copy();
    }
    double norm = 1.0 / ((2 * r + 1) * (2 * r + 1) * channels);
    int n = w * h;
    double[][] acc = new double[channels][n];
    double[] weightSum = new double[n];
    double[] weightMax = new double[n];
    int maxRegion = (w + s + 2 * r) * (h + s + 2 * r);
    float[] diff = new float[maxRegion];
    float[] rows = new float[maxRegion];
    float[] weights = new float[maxRegion];
    double[] columns = new double[w + s];
    int offsets = (2 * s + 1) * (2 * s + 1) / 2;
    int done = 0;
    for (int dy = 0; dy <= s; dy++) {
      for (int dx = -s; dx <= s; dx++) {
        if (dy == 0 && dx <= 0) {
          continue;
        }
        // Region of patch positions: every p in the image and every q − o for q in the image.
        int rx0 = Math.min(0, -dx);
        int ry0 = -dy;
        int rw = w + Math.abs(dx);
        int rh = h + dy;
        int ew = rw + 2 * r;
        int eh = rh + 2 * r;
        for (int yy = 0; yy < eh; yy++) {
          int a = (ry0 - r + yy + pad) * wp + (rx0 - r + pad);
          int b = a + dy * wp + dx;
          int row = yy * ew;
          java.util.Arrays.fill(diff, row, row + ew, 0f);
          for (int c = 0; c < channels; c++) {
            float[] u = padded[c];
            for (int xx = 0; xx < ew; xx++) {
              float d = u[a + xx] - u[b + xx];
              diff[row + xx] += d * d;
            }
          }
        }
        boxRows(diff, rows, ew, eh, rw, 2 * r + 1);
        boxColumns(rows, columns, weights, rw, rh, 2 * r + 1, norm, sigma2, hh);
        accumulate(padded, weights, acc, weightSum, weightMax, w, h, wp, pad, dx, dy, rx0, ry0, rw);
        progress.update(++done / (double) offsets);
      }
    }
    PlanarImage out = new PlanarImage(w, h, channels);
    for (int c = 0; c < channels; c++) {
      float[] src = noisy.plane(c);
      float[] dst = out.plane(c);
      double[] a = acc[c];
      for (int i = 0; i < n; i++) {
        double total = weightSum[i] + weightMax[i];
        dst[i] = total > 0 ? (float) ((a[i] + weightMax[i] * src[i]) / total) : src[i];
      }
    }
    return out;
  }

  /** Horizontal running sums of {@code len} samples: {@code out[y·rw + x]} for x < rw. */
  private static void boxRows(float[] in, float[] out, int ew, int eh, int rw, int len) {
    for (int y = 0; y < eh; y++) {
      int row = y * ew;
      double sum = 0;
      for (int x = 0; x < len; x++) {
        sum += in[row + x];
      }
      int o = y * rw;
      out[o] = (float) sum;
      for (int x = 1; x < rw; x++) {
        sum += in[row + x + len - 1] - in[row + x - 1];
        out[o + x] = (float) sum;
      }
    }
  }

  /**
   * Vertical running sums (row by row, for cache order) turned into NL-means weights,
   * {@code rw × rh}.
   */
  private static void boxColumns(float[] rows, double[] columns, float[] weights, int rw,
      int rh, int len, double norm, double sigma2, double hh) {
    java.util.Arrays.fill(columns, 0, rw, 0);
    for (int y = 0; y < len; y++) {
      int row = y * rw;
      for (int x = 0; x < rw; x++) {
        columns[x] += rows[row + x];
      }
    }
    double offset = 2 * sigma2 / norm;
    double scale = norm / hh * ExpTable.STEPS_PER_UNIT;
    for (int y = 0; y < rh; y++) {
      int out = y * rw;
      for (int x = 0; x < rw; x++) {
        double t = (columns[x] - offset) * scale;
        weights[out + x] = ExpTable.negExp(t);
      }
      if (y + 1 < rh) {
        int add = (y + len) * rw;
        int sub = y * rw;
        for (int x = 0; x < rw; x++) {
          columns[x] += rows[add + x] - rows[sub + x];
        }
      }
    }
  }

  private static void accumulate(float[][] padded, float[] weights, double[][] acc,
      double[] weightSum, double[] weightMax, int w, int h, int wp, int pad, int dx, int dy,
      int rx0, int ry0, int rw) {
    int channels = padded.length;
    for (int y = 0; y < h; y++) {
      int forward = (y - ry0) * rw - rx0; // weight index of p = (0, y)
      int backward = (y - dy - ry0) * rw - dx - rx0; // weight index of q − o for q = (0, y)
      int src = (y + pad) * wp + pad;
      int row = y * w;
      for (int x = 0; x < w; x++) {
        float wf = weights[forward + x];
        float wb = weights[backward + x];
        weightSum[row + x] += wf + wb;
        float m = Math.max(wf, wb);
        if (m > weightMax[row + x]) {
          weightMax[row + x] = m;
        }
      }
      int toward = src + dy * wp + dx;
      int away = src - dy * wp - dx;
      for (int c = 0; c < channels; c++) {
        double[] a = acc[c];
        float[] u = padded[c];
        for (int x = 0; x < w; x++) {
          a[row + x] += weights[forward + x] * u[toward + x] + weights[backward + x] * u[away + x];
        }
      }
    }
  }

  /** A copy of {@code plane} extended by {@code pad} on every side, half-sample symmetric. */
  static float[] reflectPad(float[] plane, int w, int h, int pad) {
    int wp = w + 2 * pad;
    float[] out = new float[wp * (h + 2 * pad)];
    for (int y = 0; y < h + 2 * pad; y++) {
      int sy = ImageMetrics.reflect(y - pad, h) * w;
      int row = y * wp;
      for (int x = 0; x < wp; x++) {
        out[row + x] = plane[sy + ImageMetrics.reflect(x - pad, w)];
      }
    }
    return out;
  }
}
