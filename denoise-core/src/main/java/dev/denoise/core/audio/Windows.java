package dev.denoise.core.audio;

/**
 * Analysis/synthesis windows for the STFT.
 *
 * <p>Both windows are <em>periodic</em> (length {@code n}, period {@code n}) and
 * power-complementary at 50% overlap: {@code w[i]^2 + w[i + n/2]^2 = 1}. Used for analysis and
 * synthesis alike, they give perfect reconstruction at 50% overlap with unit gain; at 75% overlap
 * the overlap-added {@code w^2} is the constant 2, which {@link Stft} divides out.
 */
public final class Windows {
  private Windows() {}

  /** Names the window shapes available to {@link #create}. */
  public enum Shape {
    /** {@code sqrt(0.5 - 0.5 cos(2 pi i / n))}: square root of the periodic Hann window. */
    SQRT_HANN,
    /** Vorbis window {@code sin(pi/2 sin^2(pi (i + 0.5) / n))}: better side-lobe fall-off. */
    VORBIS
  }

  /** Returns a new window of {@code n} samples ({@code n} even, at least 2). */
  public static float[] create(Shape shape, int n) {
    if (n < 2 || n % 2 != 0) {
      throw new IllegalArgumentException("window length must be even and >= 2: n=" + n);
    }
    float[] w = new float[n];
    for (int i = 0; i < n; i++) {
      switch (shape) {
        case SQRT_HANN:
          w[i] = (float) Math.sqrt(0.5 - 0.5 * Math.cos(2 * Math.PI * i / n));
          break;
        case VORBIS:
          double s = Math.sin(Math.PI * (i + 0.5) / n);
          w[i] = (float) Math.sin(0.5 * Math.PI * s * s);
          break;
        default:
          throw new AssertionError(shape);
      }
    }
    return w;
  }
}
