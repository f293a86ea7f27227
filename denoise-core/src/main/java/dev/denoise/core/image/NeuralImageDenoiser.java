package dev.denoise.core.image;

import dev.denoise.core.Progress;

/**
 * An {@link ImageDenoiser} over an {@link ImageModel}: gray images run as R = G = B with the
 * three outputs averaged; the input is extended by mirroring, {@link ImageModel#receptiveRadius()}
 * pixels rounded up to the model's size multiple on every side plus what rounds each side up to
 * that multiple, and the result is cropped back. Tile with {@link #halo()} and
 * {@link #alignment()}: a pixel-unshuffle network's output depends on the 2×2 grid's phase, so
 * tiles must start on that grid (and the border is a whole number of cells for the same reason). Images whose padded side exceeds {@link ImageModel#maxSide()} are
 * refused (run them through {@link ImageTiler} with {@link #halo()}).
 *
 * <p>Why pad by the full radius: the model then sees the same mirrored surroundings at an image
 * border whether it runs on the whole image or on a tile of it, whatever the tile's parity, so
 * tiling with {@link #halo()} reproduces the whole-image result (an odd tile padded by one
 * column would otherwise put a different neighbour beside the border than the whole image has).
 *
 * <p>{@code strength} is applied as a blend weight, {@code out = noisy + strength · (model −
 * noisy)} (the model has no strength knob); wrap it in {@link BlendedDenoiser} when a
 * {@link StrengthCalibrator} will try several strengths on one input. Progress is reported
 * before and after the model runs; cancellation takes effect between tiles. Owns the model:
 * {@link #close()} closes it. Not thread-safe.
 */
public final class NeuralImageDenoiser implements ImageDenoiser, AutoCloseable {
  private final ImageModel model;

  public NeuralImageDenoiser(ImageModel model) {
    if (model == null) {
      throw new IllegalArgumentException("model must not be null");
    }
    this.model = model;
  }

  /** Halo for {@link ImageTiler}: the model's receptive radius plus padding slack. */
  public int halo() {
    return model.receptiveRadius() + model.sizeMultiple();
  }

  /** Alignment for {@link ImageTiler}: the model's size multiple. */
  public int alignment() {
    return model.sizeMultiple();
  }

  /** The wrapped model. */
  public ImageModel model() {
    return model;
  }

  @Override
  public String name() {
    return "neural";
  }

  @Override
  public PlanarImage denoise(PlanarImage noisy, double sigma255, double strength,
      Progress progress) {
    int channels = noisy.channels();
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("the neural model takes gray or RGB images, got "
          + channels + " channels");
    }
    ImageDenoiser.checkArguments(sigma255, strength);
    int w = noisy.width();
    int h = noisy.height();
    int m = model.sizeMultiple();
    int r = (model.receptiveRadius() + m - 1) / m * m;
    int pw = (w + 2 * r + m - 1) / m * m;
    int ph = (h + 2 * r + m - 1) / m * m;
    if (Math.max(pw, ph) > model.maxSide()) {
      throw new IllegalArgumentException(String.format(
          "a %dx%d image (%dx%d with the model's %d-pixel mirrored border) is larger than the"
              + " model's %d-pixel tiles; run it through ImageTiler", w, h, pw, ph, r,
          model.maxSide()));
    }
    progress.update(0);
    float[][] in = new float[3][pw * ph];
    for (int c = 0; c < 3; c++) {
      float[] src = noisy.plane(channels == 1 ? 0 : c);
      float[] dst = in[c];
      for (int y = 0; y < ph; y++) {
        int sy = mirror(y - r, h);
        for (int x = 0; x < pw; x++) {
          dst[y * pw + x] = src[sy * w + mirror(x - r, w)];
        }
      }
    }
    float[][] out = new float[3][pw * ph];
    model.denoise(in, pw, ph, Math.min(sigma255, model.maxSigma255()), out);
    PlanarImage result = new PlanarImage(w, h, channels);
    float weight = (float) strength;
    for (int c = 0; c < channels; c++) {
      float[] y0 = noisy.plane(c);
      float[] dst = result.plane(c);
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int i = (y + r) * pw + x + r;
          float f = channels == 1 ? (out[0][i] + out[1][i] + out[2][i]) / 3f : out[c][i];
          float n = y0[y * w + x];
          dst[y * w + x] = n + weight * (f - n);
        }
      }
    }
    progress.update(1);
    return result;
  }

  /** Index {@code i} reflected into {@code [0, n)} without repeating the edge sample. */
  private static int mirror(int i, int n) {
    if (n == 1) {
      return 0;
    }
    int period = 2 * (n - 1);
    int k = Math.floorMod(i, period);
    return k < n ? k : period - k;
  }

  @Override
  public void close() {
    model.close();
  }
}
