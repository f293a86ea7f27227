package dev.denoise.core.image;

/**
 * The undecimated ("stationary", à trous) separable 2-D wavelet transform of one plane with
 * circular boundaries, for an orthonormal wavelet: Daubechies' db4 (8 taps, 4 vanishing
 * moments).
 *
 * <p>Level j (1-based) filters the previous approximation with the low-pass {@code h} and the
 * high-pass {@code g} dilated by {@code 2^(j−1)} (zeros inserted between taps), along rows and
 * then columns, without subsampling: every band has the plane's size. Analysis is a circular
 * correlation, {@code lo[x] = Σ_k h[k]·a[x + k·2^(j−1)]}; synthesis the matching circular
 * convolution with a factor ½ per axis. Because {@code |H(ω)|² + |G(ω)|² = 2} for an
 * orthonormal pair, synthesis after analysis returns the plane exactly (to rounding) for any
 * plane size and any number of levels.
 *
 * <p>Each equivalent analysis filter has unit norm, so white noise of standard deviation σ has
 * standard deviation σ in every detail band of every level (tested). Not thread-safe (scratch
 * buffers); cheap to create.
 */
final class StationaryWavelet2d {
  /**
   * db4 analysis low-pass (Daubechies, "Ten Lectures on Wavelets", 1992, Table 6.1, N = 4,
   * scaled to sum √2 so that Σ h² = 1).
   */
  static final double[] DB4_LOW = {
    -0.010597401785069032, 0.032883011666885200, 0.030841381835560764, -0.187034811719093090,
    -0.027983769416859854, 0.630880767929858900, 0.714846570552915700, 0.230377813308896500,
  };
  /** The quadrature-mirror high-pass: {@code g[k] = (−1)^k · h[L−1−k]}. */
  static final double[] DB4_HIGH = quadratureMirror(DB4_LOW);

  private final int width;
  private final int height;
  private final float[] rowLo;
  private final float[] rowHi;

  StationaryWavelet2d(int width, int height) {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException(
          String.format("plane must be at least 1x1: width=%d height=%d", width, height));
    }
    this.width = width;
    this.height = height;
    this.rowLo = new float[width * height];
    this.rowHi = new float[width * height];
  }

  static double[] quadratureMirror(double[] low) {
    int n = low.length;
    double[] high = new double[n];
    for (int k = 0; k < n; k++) {
      high[k] = ((k & 1) == 0 ? 1 : -1) * low[n - 1 - k];
    }
    return high;
  }

  /**
   * One analysis level: from {@code approx} into {@code ll} (the next approximation) and the
   * detail bands {@code lh} (low along rows, high along columns: horizontal edges), {@code hl}
   * and {@code hh}. All arrays are {@code width·height}; {@code approx} is not modified and may
   * not alias an output.
   *
   * @param level 1-based level (dilation {@code 2^(level−1)})
   */
  void analyse(float[] approx, int level, float[] ll, float[] lh, float[] hl, float[] hh) {
    int step = 1 << (level - 1);
    filterRows(approx, DB4_LOW, step, rowLo);
    filterRows(approx, DB4_HIGH, step, rowHi);
    filterColumns(rowLo, DB4_LOW, step, ll);
    filterColumns(rowLo, DB4_HIGH, step, lh);
    filterColumns(rowHi, DB4_LOW, step, hl);
    filterColumns(rowHi, DB4_HIGH, step, hh);
  }

  /**
   * The inverse of {@link #analyse}: writes the previous approximation into {@code out}, which
   * may alias {@code ll}.
   */
  void synthesise(float[] ll, float[] lh, float[] hl, float[] hh, int level, float[] out) {
    int step = 1 << (level - 1);
    java.util.Arrays.fill(rowLo, 0);
    java.util.Arrays.fill(rowHi, 0);
    unfilterColumns(ll, DB4_LOW, step, rowLo);
    unfilterColumns(lh, DB4_HIGH, step, rowLo);
    unfilterColumns(hl, DB4_LOW, step, rowHi);
    unfilterColumns(hh, DB4_HIGH, step, rowHi);
    java.util.Arrays.fill(out, 0);
    unfilterRows(rowLo, DB4_LOW, step, out);
    unfilterRows(rowHi, DB4_HIGH, step, out);
  }

  private void filterRows(float[] in, double[] f, int step, float[] out) {
    int taps = f.length;
    int[] idx = circularIndices(width, step, +1, taps);
    for (int y = 0; y < height; y++) {
      int row = y * width;
      for (int x = 0; x < width; x++) {
        double s = 0;
        int base = x * taps;
        for (int k = 0; k < taps; k++) {
          s += f[k] * in[row + idx[base + k]];
        }
        out[row + x] = (float) s;
      }
    }
  }

  /** {@code idx[x·taps + k] = (x + sign·k·step) mod n}. */
  private static int[] circularIndices(int n, int step, int sign, int taps) {
    int[] idx = new int[n * taps];
    for (int x = 0; x < n; x++) {
      for (int k = 0; k < taps; k++) {
        idx[x * taps + k] = Math.floorMod(x + sign * k * step, n);
      }
    }
    return idx;
  }

  private void filterColumns(float[] in, double[] f, int step, float[] out) {
    for (int y = 0; y < height; y++) {
      int row = y * width;
      java.util.Arrays.fill(out, row, row + width, 0);
      for (int k = 0; k < f.length; k++) {
        int src = Math.floorMod(y + k * step, height) * width;
        float c = (float) f[k];
        for (int x = 0; x < width; x++) {
          out[row + x] += c * in[src + x];
        }
      }
    }
  }

  /** {@code out[y] += ½ Σ_k f[k]·in[y − k·step]} along columns (accumulates). */
  private void unfilterColumns(float[] in, double[] f, int step, float[] out) {
    for (int y = 0; y < height; y++) {
      int row = y * width;
      for (int k = 0; k < f.length; k++) {
        int src = Math.floorMod(y - k * step, height) * width;
        float c = (float) (0.5 * f[k]);
        for (int x = 0; x < width; x++) {
          out[row + x] += c * in[src + x];
        }
      }
    }
  }

  /** {@code out[x] += ½ Σ_k f[k]·in[x − k·step]} along rows (accumulates). */
  private void unfilterRows(float[] in, double[] f, int step, float[] out) {
    int taps = f.length;
    int[] idx = circularIndices(width, step, -1, taps);
    for (int y = 0; y < height; y++) {
      int row = y * width;
      for (int x = 0; x < width; x++) {
        double s = 0;
        int base = x * taps;
        for (int k = 0; k < taps; k++) {
          s += f[k] * in[row + idx[base + k]];
        }
        out[row + x] += (float) (0.5 * s);
      }
    }
  }
}
