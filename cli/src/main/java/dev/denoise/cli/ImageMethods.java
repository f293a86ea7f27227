package dev.denoise.cli;

import dev.denoise.core.image.Bm3dDenoiser;
import dev.denoise.core.image.ImageDenoiser;
import dev.denoise.core.image.NonLocalMeansDenoiser;
import dev.denoise.core.image.WaveletShrinkageDenoiser;
import java.util.List;

/**
 * The one place that maps a {@code --method} name to a denoiser. Extend {@link #lookup} when a
 * method lands.
 */
public final class ImageMethods {
  /** Every name the commands accept, in table order. */
  public static final List<String> NAMES = List.of("nlm", "bm3d", "wavelet", "neural");

  /** A method that is known but cannot run in this build, or an unknown name. */
  public static final class UnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    UnavailableException(String message) {
      super(message);
    }
  }

  private ImageMethods() {}

  /**
   * The denoiser for {@code name}.
   *
   * @throws UnavailableException with a one-line reason when it cannot run here
   */
  public static ImageDenoiser lookup(String name) throws UnavailableException {
    switch (name) {
      case "nlm":
        return new NonLocalMeansDenoiser();
      case "bm3d":
        return new Bm3dDenoiser();
      case "wavelet":
        return new WaveletShrinkageDenoiser();
      case "neural":
        throw new UnavailableException(
            "method 'neural' is not available yet: no photo model is bundled in this build");
      default:
        throw new UnavailableException(
            "unknown method '" + name + "' (choose one of " + String.join(", ", NAMES) + ")");
    }
  }

  /**
   * Context pixels the tiler must read around each tile so tiling does not change the result
   * (the method's support radius; 32 for methods that do not say).
   */
  public static int halo(ImageDenoiser denoiser, double sigma255, int channels) {
    // BM3D: search radius 19 plus a block of at most 12 is 31; 32 keeps matching inside the
    // context for tiles (a non-local method tiled is close to, not equal to, the whole image).
    if (denoiser instanceof NonLocalMeansDenoiser) {
      return NonLocalMeansDenoiser.parameters(sigma255, 1, channels).contextRadius();
    }
    return 32;
  }
}
