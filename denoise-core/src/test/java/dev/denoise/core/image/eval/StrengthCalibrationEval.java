package dev.denoise.core.image.eval;

import dev.denoise.core.Progress;
import dev.denoise.core.image.ImageDenoiser;
import dev.denoise.core.image.ImageMetrics;
import dev.denoise.core.image.MonteCarloSureCalibrator;
import dev.denoise.core.image.Noise2SelfCalibrator;
import dev.denoise.core.image.NonLocalMeansDenoiser;
import dev.denoise.core.image.PlanarImage;
import dev.denoise.core.image.StrengthCalibrator;
import dev.denoise.core.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Self-calibrated NL-means strength (Noise2Self and Monte-Carlo SURE) against the clean-image
 * oracle on the same grid (a script, not a unit test):
 * {@code tools/image-core-eval calibration [IMAGES_DIR] [SET] [SEED] [N] [SIGMAS] [CALIBRATORS]}.
 * N images spread over the sorted set (0 = all), SIGMAS comma-separated (default 15,25,50),
 * CALIBRATORS {@code n2s}, {@code sure} or both (default {@code n2s,sure}). Prints the oracle and
 * each calibrator's choice with its PSNR gap in dB, then mean and worst gaps.
 */
public final class StrengthCalibrationEval {
  private StrengthCalibrationEval() {}

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
    List<String> names = List.of((args.length > 5 ? args[5] : "n2s,sure").split(","));
    StrengthCalibrator[] calibrators = new StrengthCalibrator[names.size()];
    for (int m = 0; m < calibrators.length; m++) {
      calibrators[m] = switch (names.get(m)) {
        case "n2s" -> new Noise2SelfCalibrator();
        case "sure" -> new MonteCarloSureCalibrator();
        default -> throw new IllegalArgumentException(
            "unknown calibrator '" + names.get(m) + "' (n2s, sure)");
      };
    }
    double[] grid = StrengthCalibrator.DEFAULT_STRENGTHS;
    StringBuilder header = new StringBuilder("image,sigma,oracle_strength,oracle_psnr");
    for (String name : names) {
      header.append(',').append(name).append("_strength,").append(name).append("_gap_db");
    }
    System.out.println(header);
    for (String sigmaArg : sigmaArgs) {
      double sigma = Double.parseDouble(sigmaArg);
      double[] worst = new double[calibrators.length];
      double[] sum = new double[calibrators.length];
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
        StringBuilder row = new StringBuilder(String.format("%s,%.0f,%.2f,%.3f",
            files.get(i).getFileName(), sigma, grid[best], psnr[best]));
        for (int m = 0; m < calibrators.length; m++) {
          double chosen = calibrators[m].calibrate(nlm, noisy, sigma, grid, Progress.NONE)
              .bestStrength();
          double gap = psnr[best] - psnr[Arrays.binarySearch(grid, chosen)];
          worst[m] = Math.max(worst[m], gap);
          sum[m] += gap;
          row.append(String.format(",%.2f,%.3f", chosen, gap));
        }
        System.out.println(row);
      }
      StringBuilder summary = new StringBuilder(
          String.format("# sigma=%.0f images=%d", sigma, files.size()));
      for (int m = 0; m < calibrators.length; m++) {
        summary.append(String.format(" %s_mean_gap=%.3f %s_worst_gap=%.3f", names.get(m),
            sum[m] / files.size(), names.get(m), worst[m]));
      }
      System.out.println(summary.append(" seed=").append(seed));
    }
  }
}
