package dev.denoise.cli;

import dev.denoise.core.image.Bm3dDenoiser;
import dev.denoise.core.image.ImageDenoiser;
import dev.denoise.core.image.NeuralImageDenoiser;
import dev.denoise.core.image.NonLocalMeansDenoiser;
import dev.denoise.core.image.WaveletShrinkageDenoiser;
import dev.denoise.tflite.TfliteImageModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The one place that maps a {@code --method} name to a denoiser. Extend {@link #lookup} when a
 * method lands.
 */
public final class ImageMethods {
  /** The photo model bundled in tflite-models (float32: the desktop runs float, DESIGN.md). */
  public static final String DEFAULT_PHOTO_MODEL = "models/photo/photo_ffdnet_small_float32";

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
    return lookup(name, null);
  }

  /**
   * The denoiser for {@code name}; {@code "neural"} runs {@code model} (a {@code .tflite} with
   * its manifest beside it) or, when null, the bundled {@link #DEFAULT_PHOTO_MODEL}. A neural
   * denoiser holds a TFLite interpreter: close it ({@link NeuralImageDenoiser#close()}).
   *
   * @throws UnavailableException with a one-line reason when it cannot run here
   */
  public static ImageDenoiser lookup(String name, Path model) throws UnavailableException {
    if (model != null && !name.equals("neural")) {
      throw new UnavailableException("--model is only used by --method neural, not " + name);
    }
    switch (name) {
      case "nlm":
        return new NonLocalMeansDenoiser();
      case "bm3d":
        return new Bm3dDenoiser();
      case "wavelet":
        return new WaveletShrinkageDenoiser();
      case "neural":
        try {
          TfliteImageModel.Options options = TfliteImageModel.Options.defaults();
          return new NeuralImageDenoiser(model == null
              ? TfliteImageModel.openResource(DEFAULT_PHOTO_MODEL, options)
              : TfliteImageModel.open(model, options));
        } catch (IOException | RuntimeException e) {
          throw new UnavailableException("method 'neural' cannot load its model: "
              + e.getMessage());
        }
      default:
        throw new UnavailableException(
            "unknown method '" + name + "' (choose one of " + String.join(", ", NAMES) + ")");
    }
  }

  /** Whether {@code denoiser}'s strength is a blend with the input (the neural model). */
  public static boolean blendsStrength(ImageDenoiser denoiser) {
    return denoiser instanceof NeuralImageDenoiser;
  }

  /** Read-rectangle alignment for {@link dev.denoise.core.image.ImageTiler} (1 = none). */
  public static int alignment(ImageDenoiser denoiser) {
    return denoiser instanceof NeuralImageDenoiser neural ? neural.alignment() : 1;
  }

  /**
   * Default tile side for {@code denoiser} on a {@code width × height} image: 256 for the classic
   * methods; for the neural one the side that hands the model the fewest pixels
   * ({@link NeuralImageDenoiser#bestTile}, at least {@value #MIN_NEURAL_TILE}: small tiles spend
   * most of their time on halos).
   */
  public static int defaultTile(ImageDenoiser denoiser, int width, int height) {
    if (denoiser instanceof NeuralImageDenoiser neural) {
      return neural.bestTile(width, height, TILE_OVERLAP, MIN_NEURAL_TILE);
    }
    return 256;
  }

  /** Overlap of neighbouring tile cores the CLI asks for (halved for tiles under 64). */
  public static final int TILE_OVERLAP = 32;

  /** Smallest neural tile side {@link #defaultTile} considers. */
  public static final int MIN_NEURAL_TILE = 256;

  /**
   * Context pixels the tiler must read around each tile so tiling does not change the result
   * (the method's support radius; 32 for methods that do not say).
   */
  public static int halo(ImageDenoiser denoiser, double sigma255, int channels) {
    // BM3D: search radius 19 plus a block of at most 12 is 31; 32 keeps matching inside the
    // context for tiles (a non-local method tiled is close to, not equal to, the whole image).
    if (denoiser instanceof NeuralImageDenoiser neural) {
      return neural.halo();
    }
    if (denoiser instanceof NonLocalMeansDenoiser) {
      return NonLocalMeansDenoiser.parameters(sigma255, 1, channels).contextRadius();
    }
    return 32;
  }
}
