package dev.denoise.core.metrics;

/**
 * The resampler STOI reference implementations use before analysis: Octave's {@code resample}
 * filter (Kaiser-windowed sinc, 60 dB rejection, roll-off a tenth of the cutoff) applied as a
 * zero-phase polyphase filter with zero padding at both ends, output length
 * {@code ⌈n·up/down⌉}. pystoi 0.4.1 documents this as {@code resample_oct} on top of SciPy's
 * {@code resample_poly}; STOI is reproduced only when this exact filter and alignment are used,
 * which is why STOI does not go through {@link dev.denoise.core.audio.Resampler} (different
 * filter, other rates). Offline and double precision.
 */
final class OctaveResampling {
  private OctaveResampling() {}

  /** Resamples {@code x} from {@code fromHz} to {@code toHz}; any positive rates. */
  static double[] resample(double[] x, int fromHz, int toHz) {
    int g = gcd(toHz, fromHz);
    int up = toHz / g;
    int down = fromHz / g;
    if (up == down) {
      return x.clone();
    }
    double[] h = filter(up, down);
    int half = (h.length - 1) / 2;
    int n = x.length;
    int outLength = (int) (((long) n * up + down - 1) / down);
    double[] y = new double[outLength];
    for (int k = 0; k < outLength; k++) {
      // y[k] = Σ_j h[j]·u[k·down + half − j], where u is x with up−1 zeros after each sample.
      long m = (long) k * down + half;
      int j = (int) (m % up);
      long i = (m - j) / up;
      if (i >= n) {
        long skip = i - (n - 1);
        j += (int) (skip * up);
        i = n - 1;
      }
      double acc = 0;
      for (; j < h.length && i >= 0; j += up, i--) {
        acc += h[j] * x[(int) i];
      }
      y[k] = acc;
    }
    return y;
  }

  /**
   * The filter taps for a reduced ratio {@code up/down}, normalised to sum {@code up}: length
   * {@code 2L+1} with {@code L = ⌈52 / (28.714·f_roll)⌉}, {@code f_c = 1/(2·max(up, down))},
   * {@code f_roll = f_c/10}, Kaiser β = 0.1102·(60 − 8.7).
   */
  static double[] filter(int up, int down) {
    double rejectionDb = 60.0;
    double stopbandCutoff = 1.0 / (2 * Math.max(up, down));
    double rollOffWidth = stopbandCutoff / 10;
    int half = (int) Math.ceil((rejectionDb - 8) / (28.714 * rollOffWidth));
    double beta = 0.1102 * (rejectionDb - 8.7);
    double i0Beta = besselI0(beta);
    double[] h = new double[2 * half + 1];
    double sum = 0;
    for (int t = -half; t <= half; t++) {
      double r = (double) t / half;
      double window = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta;
      double x = 2 * stopbandCutoff * t;
      double sinc = t == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      h[t + half] = window * sinc;
      sum += h[t + half];
    }
    for (int t = 0; t < h.length; t++) {
      h[t] = h[t] / sum * up;
    }
    return h;
  }

  private static double besselI0(double x) {
    double term = 1;
    double sum = 1;
    double q = x * x / 4;
    for (int k = 1; k < 300 && term > 1e-17 * sum; k++) {
      term *= q / ((double) k * k);
      sum += term;
    }
    return sum;
  }

  private static int gcd(int a, int b) {
    while (b != 0) {
      int t = a % b;
      a = b;
      b = t;
    }
    return a;
  }
}
