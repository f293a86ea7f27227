package dev.denoise.core.audio.classic;

/**
 * MMSE log-spectral amplitude estimator, Ephraim &amp; Malah, "Speech enhancement using a minimum
 * mean-square error log-spectral amplitude estimator", IEEE TASSP 33(2), 1985:
 * {@code G = xi/(1+xi) * exp(0.5 * E1(v))}, {@code v = xi/(1+xi) * gamma}, with the
 * decision-directed a-priori SNR. The gain is capped at 1 (for tiny {@code v} the formula grows
 * without bound, which would amplify noise-only bins).
 */
public final class MmseLsaGain extends DecisionDirectedGain {

  /** @see WienerGain#WienerGain(int, float, float) */
  public MmseLsaGain(int maxBins, float smoothing, float xiMinDb) {
    super(maxBins, smoothing, xiMinDb);
  }

  @Override
  float gain(float xi, float gamma) {
    float ratio = xi / (1 + xi);
    double v = Math.max(ratio * gamma, 1e-10);
    return (float) (ratio * Math.exp(0.5 * exponentialIntegral(v)));
  }

  /**
   * The exponential integral {@code E1(x) = integral from x to infinity of e^-t / t dt} for
   * {@code x > 0}, to about 1e-9 relative: power series below 1, continued fraction (modified
   * Lentz) above.
   */
  static double exponentialIntegral(double x) {
    if (!(x > 0)) {
      throw new IllegalArgumentException("E1 needs x > 0: " + x);
    }
    if (x <= 1) {
      // E1(x) = -gamma - ln x - sum_{k>=1} (-x)^k / (k * k!)
      double sum = 0;
      double term = 1;
      for (int k = 1; k <= 30; k++) {
        term *= -x / k;
        double add = term / k;
        sum += add;
        if (Math.abs(add) < 1e-16 * Math.abs(sum)) {
          break;
        }
      }
      return -EULER_GAMMA - Math.log(x) - sum;
    }
    // E1(x) = e^-x * 1/(x + 1 - 1/(x + 3 - 4/(x + 5 - ...))), modified Lentz.
    double tiny = 1e-300;
    double b = x + 1;
    double c = 1 / tiny;
    double d = 1 / b;
    double h = d;
    for (int i = 1; i <= 200; i++) {
      double a = -(double) i * i;
      b += 2;
      d = 1 / (a * d + b);
      c = b + a / c;
      double delta = c * d;
      h *= delta;
      if (Math.abs(delta - 1) < 1e-12) {
        break;
      }
    }
    return h * Math.exp(-x);
  }

  private static final double EULER_GAMMA = 0.5772156649015329;
}
