package dev.denoise.core.image;

import java.util.Random;

/** Seeded synthetic images and metrics for the BM3D tests. */
final class Bm3dTestImages {
  private Bm3dTestImages() {}

  /**
   * A {@code size × size} test scene in [0.1, 0.9]: a smooth diagonal gradient, a bright
   * rectangle and a dark disc with sharp edges, and a patch of fine sinusoidal stripes. The
   * {@code channel} (0…2) tints the scene so colour channels differ but share edges.
   */
  static float[] scene(int size, int channel) {
    float[] out = new float[size * size];
    double tint = 0.08 * (channel - 1);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        double v = 0.25 + 0.3 * (x + 0.5 * y) / (1.5 * size) + tint;
        if (x > size / 8 && x < size / 2 && y > size / 8 && y < size / 3) {
          v = 0.8 - tint;
        }
        double dx = x - 0.7 * size;
        double dy = y - 0.35 * size;
        if (dx * dx + dy * dy < (0.15 * size) * (0.15 * size)) {
          v = 0.15 + tint;
        }
        if (y > size / 2 && x > size / 2) {
          v = 0.5 + 0.25 * Math.sin(2 * Math.PI * (x + 0.3 * y) / 6.0) + tint;
        }
        out[y * size + x] = (float) Math.max(0.1, Math.min(0.9, v));
      }
    }
    return out;
  }

  static PlanarImage sceneImage(int size, int channels) {
    float[][] planes = new float[channels][];
    for (int c = 0; c < channels; c++) {
      planes[c] = scene(size, channels == 1 ? 1 : c);
    }
    return new PlanarImage(size, size, planes);
  }

  /** {@code clean} plus white Gaussian noise of {@code sigma255}, not clipped, seeded. */
  static PlanarImage withNoise(PlanarImage clean, double sigma255, long seed) {
    Random rnd = new Random(seed);
    PlanarImage out = clean.copy();
    for (int c = 0; c < out.channels(); c++) {
      float[] p = out.plane(c);
      for (int i = 0; i < p.length; i++) {
        p[i] += (float) (rnd.nextGaussian() * sigma255 / 255);
      }
    }
    return out;
  }

  /** PSNR in dB for peak 1 over all channels (a private helper: no shared metrics here). */
  static double psnr(PlanarImage reference, PlanarImage estimate) {
    double sum = 0;
    long n = 0;
    for (int c = 0; c < reference.channels(); c++) {
      float[] a = reference.plane(c);
      float[] b = estimate.plane(c);
      for (int i = 0; i < a.length; i++) {
        double e = a[i] - b[i];
        sum += e * e;
        n++;
      }
    }
    return 10 * Math.log10(n / sum);
  }

  /** 3×3 box blur with edge replication: the baseline BM3D must clearly beat. */
  static PlanarImage boxBlur3(PlanarImage in) {
    int w = in.width();
    int h = in.height();
    PlanarImage out = new PlanarImage(w, h, in.channels());
    for (int c = 0; c < in.channels(); c++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          float s = 0;
          for (int j = -1; j <= 1; j++) {
            for (int i = -1; i <= 1; i++) {
              int xx = Math.max(0, Math.min(w - 1, x + i));
              int yy = Math.max(0, Math.min(h - 1, y + j));
              s += in.get(c, xx, yy);
            }
          }
          out.set(c, x, y, s / 9);
        }
      }
    }
    return out;
  }
}
