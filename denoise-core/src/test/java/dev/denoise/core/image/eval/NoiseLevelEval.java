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
 *
 * <p>Each clean image is also measured ({@code clean_estimate}): some BSD68 "clean" images
 * carry film grain, which is real white-ish noise the estimator cannot tell from the added
 * noise. The error against {@code √(σ² + clean_estimate²)} (the noise the noisy image really
 * holds, if the grain is white) is summarised beside the error against σ.
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
    System.out.println("image,sigma,estimate,relative_error,clean_estimate,relative_to_total");
    double[] worst = new double[sigmas.length];
    double[] sum = new double[sigmas.length];
    double[] worstTotal = new double[sigmas.length];
    double[] sumTotal = new double[sigmas.length];
    int[] over = new int[sigmas.length];
    String[] worstImage = new String[sigmas.length];
    for (int i = 0; i < files.size(); i++) {
      PlanarImage clean = TestImages.read(files.get(i));
      double[] grain = estimator.estimateSigma255(clean);
      for (int k = 0; k < sigmas.length; k++) {
        PlanarImage noisy = TestImages.addGaussianNoise(clean, sigmas[k],
            seed + 1000L * (long) sigmas[k] + i);
        double[] e = estimator.estimateSigma255(noisy);
        for (int c = 0; c < e.length; c++) {
          double rel = (e[c] - sigmas[k]) / sigmas[k];
          double total = Math.sqrt(sigmas[k] * sigmas[k] + grain[c] * grain[c]);
          double relTotal = (e[c] - total) / total;
          if (Math.abs(rel) > worst[k]) {
            worst[k] = Math.abs(rel);
            worstImage[k] = files.get(i).getFileName().toString();
          }
          over[k] += Math.abs(rel) > 0.10 ? 1 : 0;
          sum[k] += Math.abs(rel) / clean.channels();
          worstTotal[k] = Math.max(worstTotal[k], Math.abs(relTotal));
          sumTotal[k] += Math.abs(relTotal) / clean.channels();
          System.out.printf("%s,%.0f,%.3f,%+.4f,%.3f,%+.4f%n", files.get(i).getFileName(),
              sigmas[k], e[c], rel, grain[c], relTotal);
        }
      }
    }
    for (int k = 0; k < sigmas.length; k++) {
      System.out.printf("# sigma=%.0f images=%d mean|rel|=%.4f worst|rel|=%.4f (%s) over10%%=%d"
          + " | vs sqrt(sigma^2+clean^2): mean|rel|=%.4f worst|rel|=%.4f seed=%d%n",
          sigmas[k], files.size(), sum[k] / files.size(), worst[k], worstImage[k], over[k],
          sumTotal[k] / files.size(), worstTotal[k], seed);
    }
  }
}
