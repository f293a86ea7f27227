package dev.denoise.core.image.eval;

import dev.denoise.core.image.NoiseLevelEstimator;
import dev.denoise.core.image.PcaNoiseLevelEstimator;
import dev.denoise.core.image.PlanarImage;
import dev.denoise.core.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Noise-level estimation error over a whole benchmark set (a script, not a unit test):
 * {@code tools/image-core-eval noise [IMAGES_DIR] [SET] [SEED]}. Prints one line per image and
 * σ, then the worst and mean relative error per σ. Noise: i.i.d. Gaussian, not clipped, seeded
 * by {@code seed + 1000·σ + index}.
 */
public final class NoiseLevelEval {
  private NoiseLevelEval() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "../shared/data/images")
        .resolve(args.length > 1 ? args[1] : "BSD68");
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
    }
    double[] sigmas = {5, 10, 15, 25, 35, 50};
    NoiseLevelEstimator estimator = new PcaNoiseLevelEstimator();
    System.out.println("image,sigma,estimate,relative_error");
    double[] worst = new double[sigmas.length];
    double[] sum = new double[sigmas.length];
    for (int i = 0; i < files.size(); i++) {
      PlanarImage clean = TestImages.read(files.get(i));
      for (int k = 0; k < sigmas.length; k++) {
        PlanarImage noisy = TestImages.addGaussianNoise(clean, sigmas[k],
            seed + 1000L * (long) sigmas[k] + i);
        for (double e : estimator.estimateSigma255(noisy)) {
          double rel = (e - sigmas[k]) / sigmas[k];
          worst[k] = Math.max(worst[k], Math.abs(rel));
          sum[k] += Math.abs(rel) / clean.channels();
          System.out.printf("%s,%.0f,%.3f,%+.4f%n", files.get(i).getFileName(), sigmas[k], e, rel);
        }
      }
    }
    for (int k = 0; k < sigmas.length; k++) {
      System.out.printf("# sigma=%.0f images=%d mean|rel|=%.4f worst|rel|=%.4f seed=%d%n",
          sigmas[k], files.size(), sum[k] / files.size(), worst[k], seed);
    }
  }
}
