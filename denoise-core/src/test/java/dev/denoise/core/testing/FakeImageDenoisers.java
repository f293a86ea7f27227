package dev.denoise.core.testing;

import dev.denoise.core.Progress;
import dev.denoise.core.image.ImageDenoiser;
import dev.denoise.core.image.PlanarImage;

/** Real, tiny {@link ImageDenoiser}s for tests of tiling, calibration and commands. */
public final class FakeImageDenoisers {
  private FakeImageDenoisers() {}

  /**
   * A (2·radius+1)² box mean with half-sample symmetric borders: a local operator whose
   * context radius is {@code radius}. Strength blends input and mean: {@code in + s·(mean − in)}
   * clamped to [0, 1] in s, so strength 0 is the identity.
   */
  public static ImageDenoiser boxMean(int radius) {
    return new ImageDenoiser() {
      @Override
      public PlanarImage denoise(PlanarImage noisy, double sigma255, double strength,
          Progress progress) {
        int w = noisy.width();
        int h = noisy.height();
        double s = Math.max(0, Math.min(1, strength));
        PlanarImage out = new PlanarImage(w, h, noisy.channels());
        int n = (2 * radius + 1) * (2 * radius + 1);
        for (int c = 0; c < noisy.channels(); c++) {
          float[] in = noisy.plane(c);
          float[] o = out.plane(c);
          for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
              double sum = 0;
              for (int dy = -radius; dy <= radius; dy++) {
                int yy = reflect(y + dy, h);
                for (int dx = -radius; dx <= radius; dx++) {
                  sum += in[yy * w + reflect(x + dx, w)];
                }
              }
              double v = in[y * w + x];
              o[y * w + x] = (float) (v + s * (sum / n - v));
            }
          }
          progress.update((c + 1.0) / noisy.channels());
        }
        return out;
      }

      @Override
      public String name() {
        return "box" + (2 * radius + 1);
      }
    };
  }

  /** Returns a constant image: exposes the tiler's blend weights directly. */
  public static ImageDenoiser constant(float value) {
    return new ImageDenoiser() {
      @Override
      public PlanarImage denoise(PlanarImage noisy, double sigma255, double strength,
          Progress progress) {
        PlanarImage out = new PlanarImage(noisy.width(), noisy.height(), noisy.channels());
        for (int c = 0; c < out.channels(); c++) {
          java.util.Arrays.fill(out.plane(c), value);
        }
        return out;
      }

      @Override
      public String name() {
        return "constant";
      }
    };
  }

  /**
   * Adversarial for seams: adds a different constant to every tile (the tile's own mean minus
   * 0.5, times 4), as a denoiser with tile-dependent bias would.
   */
  public static ImageDenoiser tileBiased() {
    return new ImageDenoiser() {
      @Override
      public PlanarImage denoise(PlanarImage noisy, double sigma255, double strength,
          Progress progress) {
        PlanarImage out = noisy.copy();
        for (int c = 0; c < out.channels(); c++) {
          float[] p = out.plane(c);
          double mean = 0;
          for (float v : p) {
            mean += v;
          }
          float bias = (float) (4 * (mean / p.length - 0.5));
          for (int i = 0; i < p.length; i++) {
            p[i] += bias;
          }
        }
        return out;
      }

      @Override
      public String name() {
        return "tile-biased";
      }
    };
  }

  private static int reflect(int i, int n) {
    int period = 2 * n;
    int m = ((i % period) + period) % period;
    return m < n ? m : period - 1 - m;
  }
}
