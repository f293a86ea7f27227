package dev.denoise.core.audio.rnn;

import java.util.Arrays;

/**
 * Triangular frequency bands over the bins of one STFT frame, as in RNNoise (Valin 2018, §2.1):
 * band {@code b} is a triangle that peaks at its centre bin {@code c_b} and falls to zero at the
 * neighbouring centres, so between two centres the weights of the two bands add up to one.
 *
 * <p>Layout of bin {@code k}: for {@code c_b <= k < c_(b+1)} it belongs to band {@code b} with
 * weight {@code 1 - f} and to band {@code b+1} with weight {@code f}, where
 * {@code f = (k - c_b) / (c_(b+1) - c_b)}. The first centre is bin 0. Bins at or above the last
 * centre belong wholly to the last band (RNNoise leaves them out and zeroes their gain; here they
 * follow the last band, so the layout covers every bin). Hence the weights of every bin sum to
 * exactly 1 and the weights of all bands together sum to {@link #bins()}, which the constructor
 * checks (DeepFilterNet's {@code sum == fft_size/2 + 1}).
 *
 * <p>The same weights serve both directions: {@link #average} turns per-bin values into band
 * values (a weighted mean, so a flat spectrum gives the same value in every band), and
 * {@link #interpolate} turns band values into per-bin values (a flat value stays flat).
 *
 * <p>Immutable; allocation-free after construction.
 */
public final class BandLayout {
  /**
   * Band centres of RNNoise in Hz: Opus/CELT's 5 ms band edges {@code eband5ms = {0, 1, 2, 3, 4,
   * 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, 28, 34, 40, 48, 60, 78, 100}} in units of 200 Hz (the
   * bin spacing of a 5 ms MDCT at 48 kHz). A Bark-like grid: 200 Hz apart up to 1.6 kHz, then
   * widening to 4.4 kHz apart at the top.
   */
  public static final double[] RNNOISE_CENTRES_HZ = centresHz();

  private final int bins;
  private final int[] centres;
  /** For each bin: the lower of the two bands it belongs to. */
  private final int[] lowerBand;
  /** For each bin: the weight of band {@code lowerBand + 1} (0 at and above the last centre). */
  private final float[] upperWeight;
  /** Sum of each band's weights over all bins (its width in bins). */
  private final double[] widths;

  /**
   * @param centresHz band centres in Hz, strictly increasing, the first at 0 Hz
   * @param sampleRate in Hz
   * @param fftSize transform length; the layout covers {@code fftSize/2 + 1} bins
   * @throws IllegalArgumentException when two centres fall on the same bin or a centre is above
   *     Nyquist
   */
  public BandLayout(double[] centresHz, int sampleRate, int fftSize) {
    if (centresHz.length < 2 || centresHz[0] != 0) {
      throw new IllegalArgumentException(String.format(
          "need at least 2 centres starting at 0 Hz: count=%d first=%s", centresHz.length,
          centresHz.length == 0 ? "none" : centresHz[0]));
    }
    this.bins = fftSize / 2 + 1;
    double binHz = (double) sampleRate / fftSize;
    this.centres = new int[centresHz.length];
    for (int b = 0; b < centres.length; b++) {
      centres[b] = (int) Math.round(centresHz[b] / binHz);
      if (centres[b] >= bins || (b > 0 && centres[b] <= centres[b - 1])) {
        throw new IllegalArgumentException(String.format(
            "band %d centre %.1f Hz maps to bin %d (previous %d, bins=%d, binHz=%.3f)", b,
            centresHz[b], centres[b], b > 0 ? centres[b - 1] : -1, bins, binHz));
      }
    }
    int last = centres.length - 1;
    this.lowerBand = new int[bins];
    this.upperWeight = new float[bins];
    for (int b = 0; b < last; b++) {
      int width = centres[b + 1] - centres[b];
      for (int k = centres[b]; k < centres[b + 1]; k++) {
        lowerBand[k] = b;
        upperWeight[k] = (float) (k - centres[b]) / width;
      }
    }
    for (int k = centres[last]; k < bins; k++) {
      lowerBand[k] = last;
      upperWeight[k] = 0f;
    }
    this.widths = new double[centres.length];
    for (int k = 0; k < bins; k++) {
      widths[lowerBand[k]] += 1 - upperWeight[k];
      if (upperWeight[k] != 0) {
        widths[lowerBand[k] + 1] += upperWeight[k];
      }
    }
    double total = Arrays.stream(widths).sum();
    if (Math.abs(total - bins) > 1e-3) {
      throw new IllegalStateException(String.format(
          "band weights sum to %.6f, expected bins=%d", total, bins));
    }
  }

  /** RNNoise's 22 bands ({@link #RNNOISE_CENTRES_HZ}) for the given rate and transform. */
  public static BandLayout rnnoise(int sampleRate, int fftSize) {
    return new BandLayout(RNNOISE_CENTRES_HZ, sampleRate, fftSize);
  }

  private static double[] centresHz() {
    int[] eband5ms = {0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, 28, 34, 40, 48, 60, 78,
        100};
    double[] hz = new double[eband5ms.length];
    for (int i = 0; i < hz.length; i++) {
      hz[i] = 200.0 * eband5ms[i];
    }
    return hz;
  }

  public int bandCount() {
    return centres.length;
  }

  /** Number of bins covered, {@code fftSize/2 + 1}. */
  public int bins() {
    return bins;
  }

  /** Centre bin of band {@code b}. */
  public int centreBin(int b) {
    return centres[b];
  }

  /** Sum of band {@code b}'s weights over all bins. */
  public double width(int b) {
    return widths[b];
  }

  /** Weight of bin {@code k} in band {@code b}, in [0, 1]. */
  public float weight(int b, int k) {
    int low = lowerBand[k];
    if (b == low) {
      return 1 - upperWeight[k];
    }
    return b == low + 1 ? upperWeight[k] : 0f;
  }

  /**
   * Weighted mean of {@code perBin} over each band: {@code out[b] = Σ_k w_b(k) v_k / Σ_k w_b(k)}.
   * {@code perBin} holds {@link #bins()} values, {@code out} {@link #bandCount()}. Allocates
   * nothing.
   */
  public void average(float[] perBin, float[] out) {
    Arrays.fill(out, 0, centres.length, 0f);
    for (int k = 0; k < bins; k++) {
      int low = lowerBand[k];
      float up = upperWeight[k];
      out[low] += (1 - up) * perBin[k];
      if (up != 0) {
        out[low + 1] += up * perBin[k];
      }
    }
    for (int b = 0; b < centres.length; b++) {
      out[b] = (float) (out[b] / widths[b]);
    }
  }

  /**
   * Per-bin values from band values with the same triangles:
   * {@code out[k] = Σ_b w_b(k) perBand[b]}. A flat {@code perBand} gives the same flat value on
   * every bin. Allocates nothing.
   */
  public void interpolate(float[] perBand, float[] out) {
    for (int k = 0; k < bins; k++) {
      int low = lowerBand[k];
      float up = upperWeight[k];
      out[k] = up == 0 ? perBand[low] : (1 - up) * perBand[low] + up * perBand[low + 1];
    }
  }
}
