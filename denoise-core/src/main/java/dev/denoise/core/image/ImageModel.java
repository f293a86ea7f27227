package dev.denoise.core.image;

/**
 * A learned photo denoiser that maps one noisy RGB tile to its denoised version, behind which a
 * runtime (TensorFlow Lite in {@code tflite-models}, a fake in tests) hides. The core never sees
 * the runtime; {@link NeuralImageDenoiser} turns a model into an {@link ImageDenoiser}.
 *
 * <p>Contract of {@link #denoise}: planes are RGB in [0, 1] (8-bit code / 255), row-major,
 * {@code width * height} samples each; {@code width} and {@code height} are multiples of
 * {@link #sizeMultiple()} and at most {@link #maxSide()}; the model may keep buffers for the
 * last size it saw, so a run of equal tiles allocates nothing. One thread at a time.
 */
public interface ImageModel extends AutoCloseable {

  /** Tile sides must be multiples of this (2 for a pixel-unshuffle network). */
  int sizeMultiple();

  /**
   * Context radius in pixels: an output pixel depends on inputs at most this far away, so tiles
   * read with at least this much halo give the whole-image result.
   */
  int receptiveRadius();

  /** The largest tile side the model accepts (memory bound of its runtime). */
  int maxSide();

  /** Largest noise level, in 8-bit units, the model was trained for; larger levels are clamped. */
  double maxSigma255();

  /**
   * Denoises one tile.
   *
   * @param rgb three input planes
   * @param width tile width
   * @param height tile height
   * @param sigma255 noise standard deviation on the 0…255 scale
   * @param out three output planes of the same size, overwritten
   */
  void denoise(float[][] rgb, int width, int height, double sigma255, float[][] out);

  /** Short model name for messages, e.g. {@code "photo_ffdnet_small_float32"}. */
  String name();

  /** Frees the runtime; further calls fail. Closing twice is harmless. */
  @Override
  void close();
}
