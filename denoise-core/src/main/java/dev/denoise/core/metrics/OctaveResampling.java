package dev.denoise.core.metrics;

import dev.denoise.core.dsp.KaiserSinc;

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
    int g = KaiserSinc.gcd(toHz, fromHz);
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
    return KaiserSinc.lowpass(half, stopbandCutoff, beta, up);
  }
}
