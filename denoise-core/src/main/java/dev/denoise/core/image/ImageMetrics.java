package dev.denoise.core.image;

/**
 * Full-reference image quality metrics: PSNR and SSIM.
 *
 * <p>SSIM follows Wang, Bovik, Sheikh and Simoncelli (IEEE TIP 2004) as computed by
 * scikit-image's {@code structural_similarity(gaussian_weights=True, sigma=1.5,
 * use_sample_covariance=False, data_range=R)}: local statistics under an 11-tap Gaussian window
 * (σ = 1.5 px, truncated at 3.5 σ, normalised to sum 1), borders extended by symmetric
 * reflection ({@code d c b a | a b c d}), constants {@code C1 = (0.01 R)²},
 * {@code C2 = (0.03 R)²}, and the mean of the SSIM map over the pixels at least 5 px from the
 * border. Colour images score the mean of the per-channel SSIMs. All arithmetic is in double.
 * {@code tools/ssim_parity.py} produces the reference values checked by the tests.
 */
public final class ImageMetrics {
  /** Gaussian window standard deviation, pixels. */
  public static final double SSIM_SIGMA = 1.5;
  /** Window radius: {@code int(3.5 · 1.5 + 0.5)} as in scipy.ndimage. */
  public static final int SSIM_RADIUS = (int) (3.5 * SSIM_SIGMA + 0.5);
  public static final double SSIM_K1 = 0.01;
  public static final double SSIM_K2 = 0.03;

  private static final double[] SSIM_WINDOW = gaussianWindow(SSIM_SIGMA, SSIM_RADIUS);

  private ImageMetrics() {}

  /** Mean squared error over all samples of all channels. */
  public static double mse(PlanarImage reference, PlanarImage test) {
    checkSameShape(reference, test);
    double sum = 0;
    long n = 0;
    for (int c = 0; c < reference.channels(); c++) {
      float[] a = reference.plane(c);
      float[] b = test.plane(c);
      for (int i = 0; i < a.length; i++) {
        double d = (double) a[i] - b[i];
        sum += d * d;
      }
      n += a.length;
    }
    return sum / n;
  }

  /**
   * Peak signal-to-noise ratio in dB, {@code 10 log10(R² / MSE)} over all channels;
   * {@code +∞} for identical images.
   *
   * @param dataRange R, the peak-to-peak range of the samples (1.0 for [0, 1] images)
   */
  public static double psnr(PlanarImage reference, PlanarImage test, double dataRange) {
    double mse = mse(reference, test);
    return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(dataRange * dataRange / mse);
  }

  /**
   * Mean SSIM (see the class comment), averaged over channels.
   *
   * @param dataRange R, the peak-to-peak range of the samples (1.0 for [0, 1] images)
   * @throws IllegalArgumentException when the images differ in shape or a side is shorter than
   *     the 11-px window
   */
  public static double ssim(PlanarImage reference, PlanarImage test, double dataRange) {
    checkSameShape(reference, test);
    int w = reference.width();
    int h = reference.height();
    int win = 2 * SSIM_RADIUS + 1;
    if (w < win || h < win) {
      throw new IllegalArgumentException(String.format(
          "SSIM needs sides of at least %d px: width=%d height=%d", win, w, h));
    }
    double sum = 0;
    for (int c = 0; c < reference.channels(); c++) {
      sum += ssimPlane(reference.plane(c), test.plane(c), w, h, dataRange);
    }
    return sum / reference.channels();
  }

  private static double ssimPlane(float[] x, float[] y, int w, int h, double range) {
    int n = w * h;
    double[] xx = new double[n];
    double[] yy = new double[n];
    double[] xy = new double[n];
    double[] xs = new double[n];
    double[] ys = new double[n];
    for (int i = 0; i < n; i++) {
      double a = x[i];
      double b = y[i];
      xs[i] = a;
      ys[i] = b;
      xx[i] = a * a;
      yy[i] = b * b;
      xy[i] = a * b;
    }
    double[] tmp = new double[n];
    double[] ux = gaussianBlur(xs, w, h, tmp);
    double[] uy = gaussianBlur(ys, w, h, tmp);
    double[] uxx = gaussianBlur(xx, w, h, tmp);
    double[] uyy = gaussianBlur(yy, w, h, tmp);
    double[] uxy = gaussianBlur(xy, w, h, tmp);
    double c1 = (SSIM_K1 * range) * (SSIM_K1 * range);
    double c2 = (SSIM_K2 * range) * (SSIM_K2 * range);
    double sum = 0;
    int pad = SSIM_RADIUS;
    for (int row = pad; row < h - pad; row++) {
      for (int col = pad; col < w - pad; col++) {
        int i = row * w + col;
        double mx = ux[i];
        double my = uy[i];
        double vx = uxx[i] - mx * mx;
        double vy = uyy[i] - my * my;
        double vxy = uxy[i] - mx * my;
        double s = (2 * mx * my + c1) * (2 * vxy + c2)
            / ((mx * mx + my * my + c1) * (vx + vy + c2));
        sum += s;
      }
    }
    return sum / ((double) (w - 2 * pad) * (h - 2 * pad));
  }

  /** Separable Gaussian correlation with symmetric reflection; {@code in} is overwritten. */
  private static double[] gaussianBlur(double[] in, int w, int h, double[] tmp) {
    double[] k = SSIM_WINDOW;
    int r = SSIM_RADIUS;
    for (int row = 0; row < h; row++) {
      int base = row * w;
      for (int col = 0; col < w; col++) {
        double s = 0;
        for (int j = -r; j <= r; j++) {
          s += k[j + r] * in[base + reflect(col + j, w)];
        }
        tmp[base + col] = s;
      }
    }
    for (int row = 0; row < h; row++) {
      for (int col = 0; col < w; col++) {
        double s = 0;
        for (int j = -r; j <= r; j++) {
          s += k[j + r] * tmp[reflect(row + j, h) * w + col];
        }
        in[row * w + col] = s;
      }
    }
    return in;
  }

  /** scipy.ndimage "reflect" (half-sample symmetric) index into [0, n). */
  static int reflect(int i, int n) {
    int period = 2 * n;
    int m = i % period;
    if (m < 0) {
      m += period;
    }
    return m < n ? m : period - 1 - m;
  }

  private static double[] gaussianWindow(double sigma, int radius) {
    double[] k = new double[2 * radius + 1];
    double sum = 0;
    for (int j = -radius; j <= radius; j++) {
      k[j + radius] = Math.exp(-0.5 * j * j / (sigma * sigma));
      sum += k[j + radius];
    }
    for (int j = 0; j < k.length; j++) {
      k[j] /= sum;
    }
    return k;
  }

  private static void checkSameShape(PlanarImage a, PlanarImage b) {
    if (a.width() != b.width() || a.height() != b.height() || a.channels() != b.channels()) {
      throw new IllegalArgumentException(String.format(
          "images differ in shape: %dx%dx%d vs %dx%dx%d", a.width(), a.height(), a.channels(),
          b.width(), b.height(), b.channels()));
    }
  }
}
