package dev.denoise.core.image;

import dev.denoise.core.Progress;

/**
 * Runs any {@link ImageDenoiser} over overlapping tiles with smooth blending and bounded memory.
 *
 * <p>Geometry per axis: cores of {@code tileSize} pixels (the whole side when it is shorter)
 * spaced evenly so neighbours overlap by at least {@code overlap} pixels. Each core is read with
 * up to {@code halo} extra context pixels on every side (clipped at the image border), denoised,
 * and only the core is kept. With {@code halo} ≥ the denoiser's context radius a local operator
 * gives exactly its whole-image result (the overlap then only averages equal values). Tiles go
 * through {@link ImageDenoiser#denoiseTile} with the sides that are the image's border, so a
 * denoiser that pads its input pads only there.
 *
 * <p>Alignment: with {@code align} &gt; 1 the read rectangle's left and top edges are moved out
 * to multiples of {@code align} (up to {@code align − 1} more context pixels), for denoisers
 * whose result depends on the pixel grid's phase, such as a network that starts with a 2×2
 * pixel-unshuffle: every tile then sees the 2×2 grid the whole image has.
 *
 * <p>Blending: each core carries a separable window, flat inside and a raised-cosine ramp
 * {@code ½ − ½·cos(π(j + ½)/m)} across each overlap of length {@code m} with a neighbour (flat at
 * the image border); per axis the windows are divided by their sum at each coordinate, so the
 * 2-D weights of all tiles covering a pixel sum to 1 (a partition of unity, checked by a test).
 *
 * <p>Memory: one strip accumulator of {@code tileSize × width × channels} floats, the current
 * tile with its halo, the denoiser's own buffers for one tile, and the rows handed to the sink;
 * never a full-size image. Finished rows go to the {@link RowSink} in order as soon as no later
 * tile touches them.
 */
public final class ImageTiler {
  private final int tileSize;
  private final int overlap;
  private final int halo;
  private final int align;

  /** A tiler without alignment ({@code align} 1). */
  public ImageTiler(int tileSize, int overlap, int halo) {
    this(tileSize, overlap, halo, 1);
  }

  /**
   * @param tileSize core side in pixels, at least 16
   * @param overlap minimum overlap of neighbouring cores, 0 … tileSize/2
   * @param halo context pixels read around each core and discarded, ≥ 0
   * @param align read rectangles start at multiples of this, 1 … 64
   */
  public ImageTiler(int tileSize, int overlap, int halo, int align) {
    if (tileSize < 16 || overlap < 0 || overlap > tileSize / 2 || halo < 0 || align < 1
        || align > 64) {
      throw new IllegalArgumentException(String.format(
          "need tileSize >= 16, 0 <= overlap <= tileSize/2, halo >= 0, 1 <= align <= 64:"
              + " tileSize=%d overlap=%d halo=%d align=%d", tileSize, overlap, halo, align));
    }
    this.tileSize = tileSize;
    this.overlap = overlap;
    this.halo = halo;
    this.align = align;
  }

  public int tileSize() {
    return tileSize;
  }

  public int overlap() {
    return overlap;
  }

  public int halo() {
    return halo;
  }

  /** Convenience for images already in memory: tiles {@code noisy} into a new image. */
  public PlanarImage process(PlanarImage noisy, ImageDenoiser denoiser, double sigma255,
      double strength, Progress progress) {
    PlanarImage out = new PlanarImage(noisy.width(), noisy.height(), noisy.channels());
    process(TileSource.of(noisy), denoiser, sigma255, strength, RowSink.into(out), progress);
    return out;
  }

  /**
   * Denoises {@code source} tile by tile into {@code sink}.
   *
   * @throws java.util.concurrent.CancellationException when {@code progress} cancels; rows
   *     already written stay written
   */
  public void process(TileSource source, ImageDenoiser denoiser, double sigma255,
      double strength, RowSink sink, Progress progress) {
    int w = source.width();
    int h = source.height();
    int channels = source.channels();
    int[] xs = starts(w, tileSize, overlap);
    int[] ys = starts(h, tileSize, overlap);
    int tw = Math.min(tileSize, w);
    int th = Math.min(tileSize, h);
    float[][] wx = weights(xs, tw, w);
    float[][] wy = weights(ys, th, h);
    float[][] acc = new float[channels][th * w];
    int accY0 = ys[0];
    int total = xs.length * ys.length;
    int done = 0;
    for (int j = 0; j < ys.length; j++) {
      int y0 = ys[j];
      for (int i = 0; i < xs.length; i++) {
        int x0 = xs[i];
        int rx0 = readStart(x0, halo, align);
        int ry0 = readStart(y0, halo, align);
        int rx1 = readEnd(x0, tw, w, halo);
        int ry1 = readEnd(y0, th, h, halo);
        PlanarImage tile = source.read(rx0, ry0, rx1 - rx0, ry1 - ry0);
        TileEdges edges = new TileEdges(rx0 == 0, ry0 == 0, rx1 == w, ry1 == h);
        PlanarImage out = denoiser.denoiseTile(tile, edges, sigma255, strength,
            progress.part(done, total));
        checkTile(out, tile, denoiser);
        int rw = rx1 - rx0;
        for (int c = 0; c < channels; c++) {
          float[] src = out.plane(c);
          float[] dst = acc[c];
          for (int y = 0; y < th; y++) {
            float weightY = wy[j][y];
            int s = (y0 + y - ry0) * rw + (x0 - rx0);
            int d = (y0 + y - accY0) * w + x0;
            float[] weightX = wx[i];
            for (int x = 0; x < tw; x++) {
              dst[d + x] += src[s + x] * (weightX[x] * weightY);
            }
          }
        }
        progress.update(++done / (double) total);
      }
      int next = j + 1 < ys.length ? ys[j + 1] : h;
      int finished = next - accY0;
      if (finished > 0) {
        PlanarImage rows = new PlanarImage(w, finished, channels);
        for (int c = 0; c < channels; c++) {
          System.arraycopy(acc[c], 0, rows.plane(c), 0, finished * w);
          int keep = th * w - finished * w;
          System.arraycopy(acc[c], finished * w, acc[c], 0, keep);
          java.util.Arrays.fill(acc[c], keep, th * w, 0f);
        }
        sink.write(accY0, rows);
        accY0 = next;
      }
    }
  }

  /** First pixel read for a core starting at {@code start}: the halo, moved out to the grid. */
  static int readStart(int start, int halo, int align) {
    return Math.max(0, Math.floorDiv(start - halo, align) * align);
  }

  /** One past the last pixel read for a core of {@code core} pixels at {@code start}. */
  static int readEnd(int start, int core, int length, int halo) {
    return Math.min(length, start + core + halo);
  }

  private static void checkTile(PlanarImage out, PlanarImage in, ImageDenoiser denoiser) {
    if (out.width() != in.width() || out.height() != in.height()
        || out.channels() != in.channels()) {
      throw new IllegalStateException(String.format(
          "%s returned %dx%dx%d for a %dx%dx%d tile", denoiser.name(), out.width(),
          out.height(), out.channels(), in.width(), in.height(), in.channels()));
    }
  }

  /**
   * Core starts along an axis of {@code length}: one core when it fits, otherwise the fewest
   * evenly spaced cores of {@code tile} pixels whose neighbours overlap by ≥ {@code overlap}.
   */
  static int[] starts(int length, int tile, int overlap) {
    if (length <= tile) {
      return new int[] {0};
    }
    int n = (int) Math.ceil((double) (length - overlap) / (tile - overlap));
    n = Math.max(n, 2);
    int[] s = new int[n];
    for (int k = 0; k < n; k++) {
      s[k] = (int) Math.round((double) k * (length - tile) / (n - 1));
    }
    return s;
  }

  /** Normalised 1-D blend windows, one per core start, each {@code tile} long. */
  static float[][] weights(int[] starts, int tile, int length) {
    int n = starts.length;
    double[][] raw = new double[n][tile];
    double[] sum = new double[length];
    for (int k = 0; k < n; k++) {
      int left = k > 0 ? starts[k - 1] + tile - starts[k] : 0;
      int right = k + 1 < n ? starts[k] + tile - starts[k + 1] : 0;
      for (int j = 0; j < tile; j++) {
        double v = 1;
        if (j < left) {
          v *= 0.5 - 0.5 * Math.cos(Math.PI * (j + 0.5) / left);
        }
        int fromEnd = tile - 1 - j;
        if (fromEnd < right) {
          v *= 0.5 - 0.5 * Math.cos(Math.PI * (fromEnd + 0.5) / right);
        }
        raw[k][j] = v;
        sum[starts[k] + j] += v;
      }
    }
    float[][] out = new float[n][tile];
    for (int k = 0; k < n; k++) {
      for (int j = 0; j < tile; j++) {
        out[k][j] = (float) (raw[k][j] / sum[starts[k] + j]);
      }
    }
    return out;
  }
}
