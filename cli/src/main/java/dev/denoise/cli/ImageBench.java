package dev.denoise.cli;

import dev.denoise.core.Progress;
import dev.denoise.core.image.ImageDenoiser;
import dev.denoise.core.image.ImageTiler;
import dev.denoise.core.image.NeuralImageDenoiser;
import dev.denoise.core.image.PlanarImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Photo denoiser throughput for the bench command: megapixels per second of each available
 * method (classic ones single-threaded, the neural one with its interpreter on every core), run through the same tiler as {@code denoise image} on a seeded
 * synthetic colour image.
 */
public final class ImageBench {
  private ImageBench() {}

  /**
   * Megapixels per second per method name, in {@link ImageMethods#NAMES} order; methods not
   * available in this build are left out. One untimed warm-up pass on a 64×64 crop precedes
   * each timed pass.
   *
   * @param width image width in pixels
   * @param height image height in pixels
   * @param sigma255 noise level added and given to the methods
   * @param seed seeds the synthetic image and its noise
   */
  public static Map<String, Double> megapixelsPerSecond(int width, int height, double sigma255,
      long seed) {
    PlanarImage noisy = syntheticNoisy(width, height, 3, sigma255, seed);
    PlanarImage warm = syntheticNoisy(64, 64, 3, sigma255, seed);
    Map<String, Double> result = new LinkedHashMap<>();
    for (String name : ImageMethods.NAMES) {
      ImageDenoiser d;
      try {
        d = ImageMethods.lookup(name);
      } catch (ImageMethods.UnavailableException e) {
        continue;
      }
      try {
        ImageTiler tiler = new ImageTiler(ImageMethods.defaultTile(d, width, height),
            ImageMethods.TILE_OVERLAP,
            ImageMethods.halo(d, sigma255, 3), ImageMethods.alignment(d));
        tiler.process(warm, d, sigma255, 1.0, Progress.NONE);
        long t0 = System.nanoTime();
        tiler.process(noisy, d, sigma255, 1.0, Progress.NONE);
        double seconds = (System.nanoTime() - t0) / 1e9;
        result.put(name, width * (double) height / 1e6 / seconds);
      } finally {
        if (d instanceof NeuralImageDenoiser neural) {
          neural.close();
        }
      }
    }
    return result;
  }

  /**
   * A seeded scene of soft discs and gradients (values 0.1…0.9) plus Gaussian noise of
   * {@code sigma255}, not clipped.
   */
  static PlanarImage syntheticNoisy(int width, int height, int channels, double sigma255,
      long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    double[][] discs = new double[12][3 + channels];
    for (double[] d : discs) {
      d[0] = rnd.nextDouble() * width;
      d[1] = rnd.nextDouble() * height;
      d[2] = (0.05 + 0.2 * rnd.nextDouble()) * Math.min(width, height);
      for (int c = 0; c < channels; c++) {
        d[3 + c] = rnd.nextDouble() * 0.3 - 0.15;
      }
    }
    PlanarImage img = new PlanarImage(width, height, channels);
    double s = sigma255 / 255.0;
    for (int c = 0; c < channels; c++) {
      float[] p = img.plane(c);
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          double v = 0.3 + 0.3 * x / width + 0.1 * y / height;
          for (double[] d : discs) {
            double dx = x - d[0];
            double dy = y - d[1];
            if (dx * dx + dy * dy < d[2] * d[2]) {
              v += d[3 + c];
            }
          }
          v = Math.max(0.1, Math.min(0.9, v));
          double u1 = rnd.nextDouble();
          double u2 = rnd.nextDouble();
          v += s * Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
          p[y * width + x] = (float) v;
        }
      }
    }
    return img;
  }

  /** One tiling's timing of the neural photo path. */
  public record TilingTiming(String tiling, int tile, double seconds, double megapixelsPerSecond) {}

  /**
   * The neural path on one {@code width × height} image with the tiling of session 2 (768-pixel
   * cores, every tile side mirrored by the receptive radius) and with the current one (mirror
   * only the image's border, {@link NeuralImageDenoiser#bestTile}), alternating {@code rounds}
   * times in this process; each keeps its fastest round. Same outputs (both equal the whole-
   * image result), so the ratio of the times is the saving.
   */
  public static List<TilingTiming> neuralTiling(int width, int height, double sigma255,
      long seed, int rounds) {
    PlanarImage noisy = syntheticNoisy(width, height, 3, sigma255, seed);
    ImageDenoiser d;
    try {
      d = ImageMethods.lookup("neural");
    } catch (ImageMethods.UnavailableException e) {
      throw new IllegalStateException("the neural photo model is not available: " + e.getMessage());
    }
    NeuralImageDenoiser neural = (NeuralImageDenoiser) d;
    // Only denoise(): the default denoiseTile then mirrors every side, as before.
    ImageDenoiser mirrorEverySide = new ImageDenoiser() {
      @Override
      public PlanarImage denoise(PlanarImage tile, double s, double strength, Progress p) {
        return neural.denoise(tile, s, strength, p);
      }

      @Override
      public String name() {
        return "neural";
      }
    };
    int bestTile = ImageMethods.defaultTile(neural, width, height);
    double[] seconds = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
    try {
      for (int r = 0; r < rounds; r++) {
        seconds[0] = Math.min(seconds[0], timeTiler(LEGACY_NEURAL_TILE, mirrorEverySide, neural,
            noisy, sigma255));
        seconds[1] = Math.min(seconds[1], timeTiler(bestTile, neural, neural, noisy, sigma255));
      }
    } finally {
      neural.close();
    }
    double mp = width * (double) height / 1e6;
    return List.of(
        new TilingTiming("768, mirror every side", LEGACY_NEURAL_TILE, seconds[0], mp / seconds[0]),
        new TilingTiming("best tile, mirror the border", bestTile, seconds[1], mp / seconds[1]));
  }

  /** The neural core side before {@link NeuralImageDenoiser#bestTile}. */
  static final int LEGACY_NEURAL_TILE = 768;

  private static double timeTiler(int tile, ImageDenoiser d, NeuralImageDenoiser geometry,
      PlanarImage noisy, double sigma255) {
    ImageTiler tiler = new ImageTiler(tile, ImageMethods.TILE_OVERLAP, geometry.halo(),
        geometry.alignment());
    long t0 = System.nanoTime();
    tiler.process(noisy, d, sigma255, 1.0, Progress.NONE);
    return (System.nanoTime() - t0) / 1e9;
  }
}
