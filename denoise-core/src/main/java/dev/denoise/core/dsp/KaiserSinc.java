package dev.denoise.core.dsp;

/**
 * Kaiser-windowed sinc low-pass prototypes, shared by the resampler and STOI's 10 kHz
 * resampling.
 */
public final class KaiserSinc {
  private KaiserSinc() {}

  /**
   * Linear-phase low-pass of {@code 2·half + 1} taps: {@code sinc(2·cutoff·k)} under a Kaiser
   * window of shape {@code beta}, scaled so the taps sum to {@code dcGain}.
   *
   * @param cutoff cutoff frequency in cycles per sample (0 … 0.5)
   */
  public static double[] lowpass(int half, double cutoff, double beta, double dcGain) {
    double[] h = new double[2 * half + 1];
    double i0Beta = besselI0(beta);
    double sum = 0;
    for (int k = -half; k <= half; k++) {
      double r = (double) k / half;
      double window = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta;
      double x = 2 * cutoff * k;
      double sinc = k == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      h[k + half] = window * sinc;
      sum += h[k + half];
    }
    for (int k = 0; k < h.length; k++) {
      h[k] = h[k] / sum * dcGain;
    }
    return h;
  }

  /** Modified Bessel function of the first kind, order 0, by its power series. */
  public static double besselI0(double x) {
    double term = 1;
    double sum = 1;
    double q = x * x / 4;
    for (int k = 1; k < 300 && term > 1e-17 * sum; k++) {
      term *= q / ((double) k * k);
      sum += term;
    }
    return sum;
  }

  /** Greatest common divisor of two positive integers. */
  public static int gcd(int a, int b) {
    while (b != 0) {
      int t = a % b;
      a = b;
      b = t;
    }
    return a;
  }
}
