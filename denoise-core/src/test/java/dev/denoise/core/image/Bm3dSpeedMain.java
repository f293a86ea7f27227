package dev.denoise.core.image;

import dev.denoise.core.Progress;

/**
 * Times {@link Bm3dDenoiser} on the seeded synthetic test scene (not a benchmark image).
 *
 * <p>Usage: {@code Bm3dSpeedMain size channels sigma255 repetitions threads [threads ...]}. For
 * each thread count it runs once to warm up, then {@code repetitions} times, and prints the best
 * and median time and the corresponding megapixels per second.
 */
public final class Bm3dSpeedMain {
  private Bm3dSpeedMain() {}

  public static void main(String[] args) {
    if (args.length < 5) {
      throw new IllegalArgumentException(
          "usage: size channels sigma255 repetitions threads [threads ...]");
    }
    int size = Integer.parseInt(args[0]);
    int channels = Integer.parseInt(args[1]);
    double sigma255 = Double.parseDouble(args[2]);
    int repetitions = Integer.parseInt(args[3]);
    PlanarImage noisy = Bm3dTestImages.withNoise(
        Bm3dTestImages.sceneImage(size, channels), sigma255, 1);
    double megapixels = size * (double) size / 1e6;
    System.out.printf("# scene %dx%d channels=%d sigma255=%s noise seed=1, %d cpus%n", size, size,
        channels, sigma255, Runtime.getRuntime().availableProcessors());
    for (int a = 4; a < args.length; a++) {
      int threads = Integer.parseInt(args[a]);
      Bm3dDenoiser bm3d = new Bm3dDenoiser(threads);
      bm3d.denoise(noisy, sigma255, 1.0, Progress.NONE);
      double[] seconds = new double[repetitions];
      for (int r = 0; r < repetitions; r++) {
        long start = System.nanoTime();
        bm3d.denoise(noisy, sigma255, 1.0, Progress.NONE);
        seconds[r] = (System.nanoTime() - start) / 1e9;
      }
      java.util.Arrays.sort(seconds);
      double best = seconds[0];
      double median = seconds[repetitions / 2];
      System.out.printf("threads=%d best=%.3fs (%.4f MP/s) median=%.3fs (%.4f MP/s)%n", threads,
          best, megapixels / best, median, megapixels / median);
    }
  }
}
