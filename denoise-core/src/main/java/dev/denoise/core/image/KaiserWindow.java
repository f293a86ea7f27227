package dev.denoise.core.image;

import dev.denoise.core.dsp.KaiserSinc;

/** The separable 2-D Kaiser window BM3D uses to weight blocks on aggregation. */
final class KaiserWindow {
  private KaiserWindow() {}

  /** Row-major {@code size × size} window, outer product of the 1-D Kaiser window of shape β. */
  static float[] square(int size, double beta) {
    double[] w = new double[size];
    for (int n = 0; n < size; n++) {
      double r = size == 1 ? 0 : 2.0 * n / (size - 1) - 1;
      w[n] = KaiserSinc.besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / KaiserSinc.besselI0(beta);
    }
    float[] out = new float[size * size];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        out[y * size + x] = (float) (w[y] * w[x]);
      }
    }
    return out;
  }
}
