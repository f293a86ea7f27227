package dev.denoise.core.image;

import dev.denoise.core.Progress;

/**
 * Chooses a denoiser's {@code strength} from the noisy image alone (no clean reference), by
 * minimising an estimate of the denoiser's mean squared error over a grid.
 */
public interface StrengthCalibrator {
  /** The default strength grid, 0.5 … 2.0 in steps of 0.25 around the calibrated 1.0. */
  double[] DEFAULT_STRENGTHS = {0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0};

  /**
   * The losses behind a choice.
   *
   * @param bestStrength the strength with the smallest loss
   * @param strengths the grid, as given
   * @param losses the calibrator's loss per strength (0…1 sample scale, squared); only their
   *     order matters
   */
  record Result(double bestStrength, double[] strengths, double[] losses) {
    /** The result whose best strength has the smallest loss (the first such on ties). */
    public static Result lowest(double[] strengths, double[] losses) {
      int best = 0;
      for (int s = 1; s < losses.length; s++) {
        if (losses[s] < losses[best]) {
          best = s;
        }
      }
      return new Result(strengths[best], strengths.clone(), losses);
    }
  }

  /** The check every calibrator makes on its grid. */
  static void checkStrengths(double[] strengths) {
    if (strengths.length == 0) {
      throw new IllegalArgumentException("no strengths to choose from");
    }
  }

  /**
   * Evaluates the loss of {@code denoiser} on {@code noisy} for each strength.
   *
   * @param sigma255 the noise level given to the denoiser (and used by the loss where needed)
   * @throws java.util.concurrent.CancellationException when {@code progress} cancels
   */
  Result calibrate(ImageDenoiser denoiser, PlanarImage noisy, double sigma255,
      double[] strengths, Progress progress);
}
