package dev.denoise.core.image.eval;

import dev.denoise.core.Progress;
import dev.denoise.core.image.ImageDenoiser;
import dev.denoise.core.image.ImageMetrics;
import dev.denoise.core.image.Noise2SelfCalibrator;
import dev.denoise.core.image.NonLocalMeansDenoiser;
import dev.denoise.core.image.PlanarImage;
import dev.denoise.core.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Noise2Self strength choice against the clean-image oracle for NL-means (a script, not a unit
 * test): {@code tools/image-core-eval n2s [IMAGES_DIR] [SET] [SEED] [N] [SIGMAS]}. N images
 * spread over the sorted set (0 = all), SIGMAS comma-separated (default 15,25,50). Prints the
 * PSNR at every grid strength, the oracle and the self-calibrated choice, and the gap in dB.
 */
public final class Noise2SelfEval {
  private Noise2SelfEval() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "../shared/data/images")
        .resolve(args.length > 1 ? args[1] : "BSD68");
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
    int count = args.length > 3 ? Integer.parseInt(args[3]) : 0;
    String[] sigmaArgs = (args.length > 4 ? args[4] : "15,25,50").split(",");
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
    }
    if (count > 0) {
      files = TestImages.spread(files, count);
    }
    ImageDenoiser nlm = new NonLocalMeansDenoiser();
    Noise2SelfCalibrator calibrator = new Noise2SelfCalibrator();
    double[] grid = Noise2SelfCalibrator.DEFAULT_STRENGTHS;
    System.out.println("image,sigma,oracle_strength,oracle_psnr,n2s_strength,n2s_psnr,gap_db");
    for (String sigmaArg : sigmaArgs) {
      double sigma = Double.parseDouble(sigmaArg);
      double worst = 0;
      double sumGap = 0;
      for (int i = 0; i < files.size(); i++) {
        PlanarImage clean = TestImages.read(files.get(i));
        PlanarImage noisy = TestImages.addGaussianNoise(clean, sigma,
            seed + 1000L * (long) sigma + i);
        double[] psnr = new double[grid.length];
        int best = 0;
        for (int k = 0; k < grid.length; k++) {
          psnr[k] = ImageMetrics.psnr(clean, nlm.denoise(noisy, sigma, grid[k], Progress.NONE), 1);
          if (psnr[k] > psnr[best]) {
            best = k;
          }
        }
        double chosen = calibrator.calibrate(nlm, noisy, sigma, grid, Progress.NONE)
            .bestStrength();
        int c = java.util.Arrays.binarySearch(grid, chosen);
        double gap = psnr[best] - psnr[c];
        worst = Math.max(worst, gap);
        sumGap += gap;
        System.out.printf("%s,%.0f,%.2f,%.3f,%.2f,%.3f,%.3f%n", files.get(i).getFileName(), sigma,
            grid[best], psnr[best], chosen, psnr[c], gap);
      }
      System.out.printf("# sigma=%.0f images=%d mean_gap=%.3f worst_gap=%.3f seed=%d%n", sigma,
          files.size(), sumGap / files.size(), worst, seed);
    }
  }
}
