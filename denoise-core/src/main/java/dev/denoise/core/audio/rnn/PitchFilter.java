package dev.denoise.core.audio.rnn;

/**
 * The pitch (comb) filter of RNNoise (Valin 2018, §2.3): band gains as coarse as 22 bands cannot
 * remove the noise between the harmonics of voiced speech, so before the gains are applied the
 * spectrum X is mixed with the pitch-delayed spectrum P, which reinforces the harmonics and
 * averages the noise between them down.
 *
 * <p>Per band, with pitch correlation {@code p} (clamped to [0, 0.999]) and gain {@code g}, the
 * filter strength is {@code α = min(1, sqrt(p²(1 − g²) / ((1 − p²) g²)))}: no filtering when the
 * band is clean ({@code g = 1}) or aperiodic ({@code p = 0}), full strength when the band is more
 * periodic than it is clean ({@code p ≥ g}). Then {@code X ← X + α sqrt(E_X/E_P) P} per bin
 * (band values interpolated with the triangular bands), and each band is scaled back to its
 * original energy, so the gains that follow act on the energies they were computed for.
 *
 * <p>Allocation-free after construction; one instance per stream.
 */
final class PitchFilter {
  private static final float MAX_CORRELATION = 0.999f;
  private static final float EPSILON = 1e-20f;

  private final BandLayout bands;
  private final float[] perBin;
  private final float[] before;
  private final float[] after;
  private final float[] perBand;

  PitchFilter(BandLayout bands) {
    this.bands = bands;
    this.perBin = new float[bands.bins()];
    this.before = new float[bands.bandCount()];
    this.after = new float[bands.bandCount()];
    this.perBand = new float[bands.bandCount()];
  }

  /**
   * Filters {@code re/im} in place.
   *
   * @param pRe pitch-delayed spectrum, real parts
   * @param pIm pitch-delayed spectrum, imaginary parts
   * @param energyX band energies of X
   * @param energyP band energies of P (same units as {@code energyX})
   * @param correlation per-band pitch correlation
   * @param gains the band gains that will be applied, in [0, 1]
   */
  void apply(float[] re, float[] im, float[] pRe, float[] pIm, float[] energyX, float[] energyP,
      float[] correlation, float[] gains) {
    int bins = bands.bins();
    int count = bands.bandCount();
    for (int b = 0; b < count; b++) {
      float p = Math.max(0f, Math.min(MAX_CORRELATION, correlation[b]));
      float g = gains[b];
      double ratio = (double) p * p * (1 - g * g) / ((1 - p * p) * (double) g * g + EPSILON);
      double alpha = Math.min(1, Math.sqrt(ratio));
      perBand[b] = (float) (alpha * Math.sqrt(energyX[b] / (energyP[b] + EPSILON)));
    }
    powerOf(re, im);
    bands.average(perBin, before);
    bands.interpolate(perBand, perBin);
    for (int k = 0; k < bins; k++) {
      re[k] += perBin[k] * pRe[k];
      im[k] += perBin[k] * pIm[k];
    }
    powerOf(re, im);
    bands.average(perBin, after);
    for (int b = 0; b < count; b++) {
      // Adding a positively correlated P only adds energy, so this is at most 1.
      perBand[b] = (float) Math.min(1, Math.sqrt(before[b] / (after[b] + EPSILON)));
    }
    bands.interpolate(perBand, perBin);
    for (int k = 0; k < bins; k++) {
      re[k] *= perBin[k];
      im[k] *= perBin[k];
    }
  }

  private void powerOf(float[] re, float[] im) {
    for (int k = 0; k < perBin.length; k++) {
      perBin[k] = re[k] * re[k] + im[k] * im[k];
    }
  }
}
