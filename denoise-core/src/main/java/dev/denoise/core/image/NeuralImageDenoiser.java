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

  /**
   * The tile side for {@link ImageTiler} (with {@link #halo()}, {@link #alignment()} and the given
   * overlap) that hands the model the fewest pixels for a {@code width × height} image, every
   * tile within the model's {@link ImageModel#maxSide()}. The count of tiles per axis matters
   * more than their size: 4000 pixels in 768-pixel cores take 6 cores (4 608 pixels) where
   * 826-pixel cores take 5 (4 130); with halos and borders the model sees 1.33 pixels per image
   * pixel at the best side against 1.74 at 768 for a 4000 × 3000 photo.
   *
   * @param minTile the smallest side considered (at least 16)
   */
  public int bestTile(int width, int height, int overlap, int minTile) {
    int m = model.sizeMultiple();
    int r = (model.receptiveRadius() + m - 1) / m * m;
    int halo = halo();
    int best = -1;
    double bestCost = Double.POSITIVE_INFINITY;
    for (int t = Math.max(16, minTile); t <= model.maxSide(); t++) {
      long[] x = axisCost(width, t, overlap, halo, r, m);
      long[] y = axisCost(height, t, overlap, halo, r, m);
      if (x == null || y == null) {
        break; // a larger core only makes larger tiles
      }
      // Separable: the model pixels are (sum of padded widths) × (sum of padded heights).
      double cost = (double) x[0] * y[0];
      if (cost < bestCost) {
        bestCost = cost;
        best = t;
      }
    }
    if (best < 0) {
      throw new IllegalArgumentException(String.format(
          "no tile of at least %d pixels fits the model's %d-pixel limit with a %d-pixel halo",
          minTile, model.maxSide(), halo));
    }
    return best;
  }

  /** {sum of padded tile sides} along one axis for core {@code t}, or null if one is too big. */
  private long[] axisCost(int length, int t, int overlap, int halo, int r, int m) {
    int core = Math.min(t, length);
    long sum = 0;
    for (int start : ImageTiler.starts(length, t, Math.min(overlap, t / 2))) {
      int r0 = ImageTiler.readStart(start, halo, m);
      int r1 = ImageTiler.readEnd(start, core, length, halo);
      int side = ((r0 == 0 ? r : 0) + (r1 - r0) + (r1 == length ? r : 0) + m - 1) / m * m;
      if (side > model.maxSide()) {
        return null;
      }
      sum += side;
    }
    return new long[] {sum};
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
    return denoiseTile(noisy, TileEdges.WHOLE, sigma255, strength, progress);
  }

  /**
   * As {@link #denoise}, mirroring only the sides in {@code edges}: a side inside the image
   * already carries at least {@link #halo()} real context pixels (the tiler's halo), which is
   * what the mirrored border stands in for at the image's border. The tiler then discards that
   * context, so the kept core equals the whole-image result, and the model runs on
   * (core + 2·halo)² pixels instead of (core + 2·halo + 2·radius)².
   */
  @Override
  public PlanarImage denoiseTile(PlanarImage noisy, TileEdges edges, double sigma255,
      double strength, Progress progress) {
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
    int left = edges.left() ? r : 0;
    int top = edges.top() ? r : 0;
    int pw = (left + w + (edges.right() ? r : 0) + m - 1) / m * m;
    int ph = (top + h + (edges.bottom() ? r : 0) + m - 1) / m * m;
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
        int sy = mirror(y - top, h);
        for (int x = 0; x < pw; x++) {
          dst[y * pw + x] = src[sy * w + mirror(x - left, w)];
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
          int i = (y + top) * pw + x + left;
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
