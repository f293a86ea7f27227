package dev.denoise.core.image;

import dev.denoise.core.Progress;

/**
 * A whole-image denoiser (classic or neural).
 *
 * <p>Implementations are stateless between calls or document otherwise. The input is never
 * modified; a new image of the same size and channel count is returned.
 */
public interface ImageDenoiser {

  /**
   * Denoises {@code noisy}.
   *
   * @param noisy the input, values nominally in [0, 1]
   * @param sigma255 the noise standard deviation on the 0…255 scale (per the image's channels)
   * @param strength multiplier of the method's nominal strength; 1.0 is the calibrated default
   * @param progress receives progress in [0, 1] and may cancel; never null (use
   *     {@link Progress#NONE})
   * @return the denoised image
   * @throws java.util.concurrent.CancellationException when {@code progress} asks to cancel
   */
  PlanarImage denoise(PlanarImage noisy, double sigma255, double strength, Progress progress);

  /**
   * Denoises one tile cut by {@link ImageTiler} with at least the halo this denoiser needs:
   * {@code edges} says which sides of {@code tile} are the image's border. Only the tile's core
   * (away from the non-border sides by the halo) has to match the whole-image result. The
   * default ignores {@code edges} and calls {@link #denoise}.
   */
  default PlanarImage denoiseTile(PlanarImage tile, TileEdges edges, double sigma255,
      double strength, Progress progress) {
    return denoise(tile, sigma255, strength, progress);
  }

  /** Short name used on the command line and in tables, e.g. {@code "nlm"}, {@code "bm3d"}. */
  String name();

  /**
   * The argument checks every implementation makes.
   *
   * @throws IllegalArgumentException when {@code sigma255} or {@code strength} is negative, NaN or
   *     infinite, naming the value
   */
  static void checkArguments(double sigma255, double strength) {
    if (!(sigma255 >= 0) || Double.isInfinite(sigma255)) {
      throw new IllegalArgumentException("sigma255 must be finite and >= 0, got " + sigma255);
    }
    if (!(strength >= 0) || Double.isInfinite(strength)) {
      throw new IllegalArgumentException("strength must be finite and >= 0, got " + strength);
    }
  }
}
