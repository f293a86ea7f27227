package dev.denoise.core.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.denoise.core.image.PixelConversions;
import dev.denoise.core.image.PlanarImage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Test-side image helpers: PNG reading (javax.imageio is fine in tests, never in core's main),
 * the BSD68/CBSD68 benchmark folders, seeded Gaussian noise and seeded synthetic scenes.
 */
public final class TestImages {
  /** Benchmark images as seen from a module directory (CI clones beside {@code shared/}). */
  public static final Path BENCHMARK_ROOT = Path.of("..", "..", "shared", "data", "images");

  private TestImages() {}

  /** Reads an 8-bit PNG/JPEG: gray images give 1 channel, everything else RGB. */
  public static PlanarImage read(Path file) {
    try {
      BufferedImage img = ImageIO.read(file.toFile());
      if (img == null) {
        throw new IOException("no image reader for " + file);
      }
      int w = img.getWidth();
      int h = img.getHeight();
      if (img.getType() == BufferedImage.TYPE_BYTE_GRAY) {
        int[] gray = img.getRaster().getSamples(0, 0, w, h, 0, (int[]) null);
        return PixelConversions.fromGray(gray, w, h);
      }
      return PixelConversions.fromArgb(img.getRGB(0, 0, w, h, null, 0, w), w, h);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The sorted PNG files of a benchmark set ("BSD68" or "CBSD68"), skipping the calling test
   * with a clear message when the folder is absent.
   */
  public static List<Path> benchmark(String set) {
    Path dir = BENCHMARK_ROOT.resolve(set);
    assumeTrue(Files.isDirectory(dir),
        "benchmark images not found at " + dir.toAbsolutePath().normalize()
            + " (clone the repo beside shared/data/images to run this test)");
    return benchmarkList(set);
  }

  /** The sorted PNG files of a benchmark set; fails (no assumption) when it is absent. */
  public static List<Path> benchmarkList(String set) {
    Path dir = BENCHMARK_ROOT.resolve(set);
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> list = new ArrayList<>(files.filter(p -> p.toString().endsWith(".png"))
          .sorted().toList());
      return list;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code n} files spread evenly over the sorted list (first, …, deterministic). */
  public static List<Path> spread(List<Path> files, int n) {
    List<Path> out = new ArrayList<>();
    for (int i = 0; i < n && i < files.size(); i++) {
      out.add(files.get((int) ((long) i * files.size() / n)));
    }
    return out;
  }

  /** A copy of {@code clean} plus i.i.d. Gaussian noise of {@code sigma255}, not clipped. */
  public static PlanarImage addGaussianNoise(PlanarImage clean, double sigma255, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    PlanarImage out = clean.copy();
    double s = sigma255 / 255.0;
    for (int c = 0; c < out.channels(); c++) {
      float[] p = out.plane(c);
      for (int i = 0; i < p.length; i++) {
        p[i] += (float) (s * gaussian(rnd));
      }
    }
    return out;
  }

  /**
   * A seeded piecewise-smooth scene with edges and fine texture, values within [0.1, 0.9]:
   * gradients, a few rectangles and discs of random levels, and a low-amplitude stripe texture.
   */
  public static PlanarImage scene(int width, int height, int channels, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    PlanarImage img = new PlanarImage(width, height, channels);
    double gx = rnd.nextDouble() * 0.3;
    double gy = rnd.nextDouble() * 0.3;
    int shapes = 6;
    double[][] shape = new double[shapes][4 + channels];
    for (double[] s : shape) {
      s[0] = rnd.nextDouble() * width;
      s[1] = rnd.nextDouble() * height;
      s[2] = (0.1 + 0.25 * rnd.nextDouble()) * Math.min(width, height);
      s[3] = rnd.nextBoolean() ? 1 : 0;
      for (int c = 0; c < channels; c++) {
        s[4 + c] = rnd.nextDouble() * 0.4 - 0.2;
      }
    }
    double stripes = 0.3 + rnd.nextDouble() * 0.5;
    for (int c = 0; c < channels; c++) {
      float[] p = img.plane(c);
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          double v = 0.35 + gx * x / width + gy * y / height + 0.05 * c;
          for (double[] s : shape) {
            double dx = x - s[0];
            double dy = y - s[1];
            boolean inside = s[3] == 1
                ? dx * dx + dy * dy < s[2] * s[2]
                : Math.abs(dx) < s[2] && Math.abs(dy) < 0.6 * s[2];
            if (inside) {
              v += s[4 + c];
            }
          }
          v += 0.04 * Math.sin(stripes * x + 0.2 * y);
          p[y * width + x] = (float) Math.max(0.1, Math.min(0.9, v));
        }
      }
    }
    return img;
  }

  private static double gaussian(SplittableRandom rnd) {
    // Box–Muller; deterministic for a seed on every JVM (StrictMath would be needed for bit
    // equality across JVMs; seeds are for repeatability, not for cross-JVM golden values).
    double u1 = rnd.nextDouble();
    double u2 = rnd.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  }
}
