package dev.denoise.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/** Seeded test photos written as real files. */
final class CliImages {
  private CliImages() {}

  /**
   * A smooth scene plus seeded Gaussian noise of {@code sigma255}, 8-bit, of the given type
   * (gray images hold channel 0; ARGB images get an alpha ramp along x).
   */
  static BufferedImage noisy(int w, int h, int type, double sigma255, long seed) {
    BufferedImage img = new BufferedImage(w, h, type);
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int[] rgb = new int[3];
        for (int c = 0; c < 3; c++) {
          double v = clean(c, x, y, w, h) + sigma255 * gaussian(rnd);
          rgb[c] = (int) Math.max(0, Math.min(255, Math.round(v)));
        }
        if (type == BufferedImage.TYPE_BYTE_GRAY) {
          img.getRaster().setSample(x, y, 0, rgb[0]); // setRGB would apply the linear-gray curve
        } else {
          int alpha = (x * 255 / w) & 0xff;
          img.setRGB(x, y, alpha << 24 | rgb[0] << 16 | rgb[1] << 8 | rgb[2]);
        }
      }
    }
    return img;
  }

  /** The noise-free value (0…255) of channel c. */
  static double clean(int c, int x, int y, int w, int h) {
    double v = 70 + 100.0 * x / w + 40 * c;
    if ((x - w / 2) * (x - w / 2) + (y - h / 2) * (y - h / 2) < w * h / 16) {
      v -= 50;
    }
    return v;
  }

  static Path write(BufferedImage img, String format, Path file) throws IOException {
    if (!ImageIO.write(img, format, file.toFile())) {
      throw new IOException("no writer for " + format);
    }
    return file;
  }

  private static double gaussian(SplittableRandom rnd) {
    double radius = Math.sqrt(-2 * Math.log(1 - rnd.nextDouble()));
    return radius * Math.cos(2 * Math.PI * rnd.nextDouble());
  }
}
