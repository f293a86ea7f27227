package dev.denoise.core.image;

/** The separable 2-D Kaiser window BM3D uses to weight blocks on aggregation. */
final class KaiserWindow {
  private KaiserWindow() {}

  /** Row-major {@code size × size} window, outer product of the 1-D Kaiser window of shape β. */
  static float[] square(int size, double beta) {
    double[] w = new double[size];
    for (int n = 0; n < size; n++) {
      double r = size == 1 ? 0 : 2.0 * n / (size - 1) - 1;
      w[n] = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / besselI0(beta);
    }
    float[] out = new float[size * size];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        out[y * size + x] = (float) (w[y] * w[x]);
      }
    }
    return out;
  }

  /** Modified Bessel function of the first kind, order 0, by its power series. */
  static double besselI0(double x) {
    double sum = 1;
    double term = 1;
    double q = x * x / 4;
    for (int k = 1; k < 200 && term > 1e-17 * sum; k++) {
      term *= q / ((double) k * k);
      sum += term;
    }
    return sum;
  }
}
