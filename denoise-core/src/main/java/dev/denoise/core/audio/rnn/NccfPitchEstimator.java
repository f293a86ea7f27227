package dev.denoise.core.audio.rnn;

import java.util.Arrays;

/**
 * Pitch period of the newest analysis window at 48 kHz by normalised cross-correlation (NCCF),
 * searched coarsely on a 12 kHz copy of the signal and refined at 48 kHz.
 *
 * <p>Per hop ({@link #update}):
 * <ol>
 *   <li>Decimate the new hop by 4 through a 2.5 kHz windowed-sinc low-pass (pitch lives in the
 *       harmonics below ~2 kHz; the low-pass also keeps upper formants out of the search).
 *   <li>Coarse search at 12 kHz over {@link #COARSE_WINDOW} samples (20 ms) for lags
 *       {@code 24..200} (500..60 Hz): {@code r(τ) = Σ x[n]x[n−τ] / sqrt(Σ x[n]² Σ x[n−τ]²)}.
 *   <li>Octave check: the best lag {@code τb} is replaced by its shortest sub-multiple
 *       {@code τb / m} whose correlation is at least {@link #SUBMULTIPLE_RATIO} of {@code r(τb)}
 *       (a periodic signal correlates equally well at 2T, 3T, ...; the fundamental is the
 *       shortest of them).
 *   <li>Refine at 48 kHz over the 20 ms window for lags {@code 4τ ± 4}.
 * </ol>
 *
 * <p>Every frame gets a lag, voiced or not; {@link #correlation()} says how periodic the window
 * was (about 1 for a steady periodic signal, near 0 for noise). Allocation-free after
 * construction. One instance per stream, single-threaded.
 */
public final class NccfPitchEstimator {
  /** Rate the estimator works at. */
  public static final int SAMPLE_RATE = 48000;
  /** Shortest period searched at 48 kHz: 96 samples, 500 Hz. */
  public static final int MIN_LAG = 96;
  /** Longest period searched at 48 kHz: 800 samples, 60 Hz. */
  public static final int MAX_LAG = 800;
  /** Correlation window at 48 kHz: 960 samples, 20 ms, ending at the newest sample. */
  public static final int WINDOW = 960;
  /** Samples of 48 kHz history {@link #update} needs: the window plus the longest lag. */
  public static final int HISTORY = WINDOW + MAX_LAG;
  /** Decimation factor of the coarse search (48 → 12 kHz). */
  static final int DECIMATION = 4;
  /** Coarse correlation window at 12 kHz (20 ms). */
  static final int COARSE_WINDOW = WINDOW / DECIMATION;
  /** Fraction of the best correlation a sub-multiple lag must reach to be chosen instead. */
  static final double SUBMULTIPLE_RATIO = 0.85;

  /** Refinement at 48 kHz looks this many lags either side of 4 × the coarse lag. */
  private static final int REFINE_RADIUS = 4;
  private static final int COARSE_MIN = MIN_LAG / DECIMATION;
  private static final int COARSE_MAX = MAX_LAG / DECIMATION;
  private static final int COARSE_LENGTH = COARSE_WINDOW + COARSE_MAX;
  private static final int TAPS = 48;
  private static final double CUTOFF_HZ = 2500;

  private final int hop;
  private final float[] lowpass;
  private final float[] coarse;
  private final float[] coarseCorrelation;
  private int lag = MIN_LAG;
  private float correlation;

  /** @param hop new samples per {@link #update}, a multiple of 4, at most {@link #WINDOW} */
  public NccfPitchEstimator(int hop) {
    if (hop <= 0 || hop % DECIMATION != 0 || hop > WINDOW) {
      throw new IllegalArgumentException(String.format(
          "hop must be a multiple of %d in 1..%d: hop=%d", DECIMATION, WINDOW, hop));
    }
    this.hop = hop;
    this.lowpass = new float[TAPS];
    // Hann-windowed sinc, unit gain at DC; transition about 2.5..5.5 kHz, so the aliases of
    // 6..12 kHz content that land below 2.5 kHz are attenuated by some 40 dB.
    double sum = 0;
    double fc = CUTOFF_HZ / SAMPLE_RATE;
    for (int t = 0; t < TAPS; t++) {
      double x = t - (TAPS - 1) / 2.0;
      double sinc = x == 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * x) / (Math.PI * x);
      double w = 0.5 - 0.5 * Math.cos(2 * Math.PI * (t + 0.5) / TAPS);
      lowpass[t] = (float) (sinc * w);
      sum += lowpass[t];
    }
    for (int t = 0; t < TAPS; t++) {
      lowpass[t] = (float) (lowpass[t] / sum);
    }
    this.coarse = new float[COARSE_LENGTH];
    this.coarseCorrelation = new float[COARSE_MAX + 1];
  }

  /**
   * Takes in the newest hop and estimates the pitch of the newest {@link #WINDOW} samples.
   *
   * @param history 48 kHz signal whose last {@link #HISTORY} samples end at {@code end}; the
   *     newest {@code hop} of them are new since the previous call
   * @return the pitch period in samples at 48 kHz, in {@code [MIN_LAG, MAX_LAG]}
   */
  public int update(float[] history, int end) {
    if (end < HISTORY || end > history.length) {
      throw new IllegalArgumentException(String.format(
          "history too short: length=%d end=%d needed=%d", history.length, end, HISTORY));
    }
    decimate(history, end);
    int coarseLag = coarseSearch();
    refine(history, end, coarseLag * DECIMATION);
    return lag;
  }

  /** The last estimate, in samples at 48 kHz. */
  public int lag() {
    return lag;
  }

  /** Normalised correlation of the newest window with itself one {@link #lag()} earlier. */
  public float correlation() {
    return correlation;
  }

  /** Forgets the history. */
  public void reset() {
    Arrays.fill(coarse, 0f);
    lag = MIN_LAG;
    correlation = 0f;
  }

  private void decimate(float[] x, int end) {
    int fresh = hop / DECIMATION;
    System.arraycopy(coarse, fresh, coarse, 0, COARSE_LENGTH - fresh);
    for (int m = 0; m < fresh; m++) {
      // Output m is aligned with input sample (end - hop + 4m + 3): the last one with the newest.
      int n = end - hop + DECIMATION * m + DECIMATION - 1;
      float acc = 0f;
      for (int t = 0; t < TAPS; t++) {
        acc += lowpass[t] * x[n - t];
      }
      coarse[COARSE_LENGTH - fresh + m] = acc;
    }
  }

  private int coarseSearch() {
    int start = COARSE_LENGTH - COARSE_WINDOW;
    double e0 = 0;
    for (int n = start; n < COARSE_LENGTH; n++) {
      e0 += (double) coarse[n] * coarse[n];
    }
    double eLag = 0;
    for (int n = start - COARSE_MIN; n < COARSE_LENGTH - COARSE_MIN; n++) {
      eLag += (double) coarse[n] * coarse[n];
    }
    int best = COARSE_MIN;
    float bestR = -2f;
    for (int tau = COARSE_MIN; tau <= COARSE_MAX; tau++) {
      if (tau > COARSE_MIN) {
        // Slide the lagged window one sample into the past.
        double in = coarse[start - tau];
        double out = coarse[COARSE_LENGTH - tau];
        eLag = Math.max(0, eLag + in * in - out * out);
      }
      float cross = 0f;
      for (int n = start; n < COARSE_LENGTH; n++) {
        cross += coarse[n] * coarse[n - tau];
      }
      float r = (float) (cross / Math.sqrt(e0 * eLag + 1e-30));
      coarseCorrelation[tau] = r;
      if (r > bestR) {
        bestR = r;
        best = tau;
      }
    }
    // Shortest sub-multiple that correlates almost as well: the fundamental, not a multiple.
    for (int m = best / COARSE_MIN; m >= 2; m--) {
      int centre = Math.round((float) best / m);
      float r = -2f;
      int at = centre;
      for (int t = Math.max(COARSE_MIN, centre - 1); t <= Math.min(COARSE_MAX, centre + 1); t++) {
        if (coarseCorrelation[t] > r) {
          r = coarseCorrelation[t];
          at = t;
        }
      }
      if (r >= SUBMULTIPLE_RATIO * bestR) {
        return at;
      }
    }
    return best;
  }

  private void refine(float[] x, int end, int centre) {
    int start = end - WINDOW;
    double e0 = 0;
    for (int n = start; n < end; n++) {
      e0 += (double) x[n] * x[n];
    }
    int from = Math.max(MIN_LAG, centre - REFINE_RADIUS);
    int to = Math.min(MAX_LAG, centre + REFINE_RADIUS);
    float bestR = -2f;
    int best = centre;
    for (int l = from; l <= to; l++) {
      float cross = 0f;
      float eLag = 0f;
      for (int n = start; n < end; n++) {
        float lagged = x[n - l];
        cross += x[n] * lagged;
        eLag += lagged * lagged;
      }
      float r = (float) (cross / Math.sqrt(e0 * eLag + 1e-30));
      if (r > bestR) {
        bestR = r;
        best = l;
      }
    }
    lag = best;
    correlation = Math.max(0f, bestR);
  }
}
