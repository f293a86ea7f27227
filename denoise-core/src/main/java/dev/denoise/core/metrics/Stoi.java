package dev.denoise.core.metrics;

import java.util.Arrays;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Short-Time Objective Intelligibility (Taal, Hendriks, Heusdens, Jensen, IEEE TASLP 2011),
 * computed the way pystoi 0.4.1 does, so that values agree with it (parity tested to 0.01 on
 * seeded pairs, see {@code StoiParityTest}):
 *
 * <ol>
 *   <li>both signals are resampled to 10 kHz with Octave's {@code resample} filter
 *       ({@link OctaveResampling});
 *   <li>frames of 256 samples, hop 128, weighted by a 256-point Hann window (the interior of a
 *       258-point Hann, as MATLAB's {@code hanning(256)}) whose energy lies more than 40 dB
 *       below the loudest clean frame are dropped from both signals, and the kept windowed
 *       frames are overlap-added back into two shorter signals;
 *   <li>those are framed again (256/128, same window, 512-point FFT) and the power of 15
 *       one-third-octave bands with centres from 150 Hz is summed per frame, then square-rooted;
 *   <li>for every run of 30 consecutive frames and every band, the degraded envelope is scaled
 *       to the clean envelope's norm, clipped at {@code clean·(1 + 10^(−β/20))} with β = −15 dB,
 *       and correlated with the clean envelope;
 *   <li>the result is the mean of all these correlations.
 * </ol>
 *
 * <p>Input: mono samples at {@code sampleRateHz}, any level (STOI is scale-invariant), clean
 * reference first. The frame grid starts at sample 0, so the result depends on alignment:
 * pass time-aligned signals.
 */
public final class Stoi {
  private Stoi() {}

  /** Analysis rate in Hz. */
  public static final int ANALYSIS_RATE_HZ = 10000;
  /** Frame length in samples at the analysis rate. */
  public static final int FRAME_SAMPLES = 256;
  /** Frame hop in samples at the analysis rate. */
  public static final int HOP_SAMPLES = 128;
  /** FFT size; frames are zero-padded to it. */
  public static final int FFT_SIZE = 512;
  /** Number of one-third-octave bands. */
  public static final int BANDS = 15;
  /** Centre frequency of the lowest band in Hz. */
  public static final double LOWEST_CENTRE_HZ = 150;
  /** Frames per intermediate-intelligibility segment (384 ms). */
  public static final int SEGMENT_FRAMES = 30;
  /** Lower signal-to-distortion bound β in dB used for clipping. */
  public static final double BETA_DB = -15;
  /** Frames this many dB below the loudest clean frame count as silence. */
  public static final double DYNAMIC_RANGE_DB = 40;
  /**
   * Returned, as pystoi does, when fewer than {@link #SEGMENT_FRAMES} frames remain after
   * silence removal (signals shorter than about 0.4 s of speech).
   */
  public static final double TOO_SHORT = 1e-5;

  private static final double EPS = Math.ulp(1.0);
  private static final double[] WINDOW = hann();
  /** Band b sums FFT bins [BAND_LOW[b], BAND_HIGH[b]). */
  private static final int[] BAND_LOW = new int[BANDS];
  private static final int[] BAND_HIGH = new int[BANDS];

  static {
    for (int b = 0; b < BANDS; b++) {
      BAND_LOW[b] = nearestBin(LOWEST_CENTRE_HZ * Math.pow(2.0, (2.0 * b - 1) / 6));
      BAND_HIGH[b] = nearestBin(LOWEST_CENTRE_HZ * Math.pow(2.0, (2.0 * b + 1) / 6));
    }
  }

  /**
   * STOI of {@code degraded} against {@code clean}, both at {@code sampleRateHz}.
   *
   * @return the mean short-time correlation, close to 1 for identical signals; {@link #TOO_SHORT}
   *     when too little non-silent signal remains
   * @throws IllegalArgumentException when the lengths differ or the rate is not positive
   */
  public static double compute(float[] clean, float[] degraded, int sampleRateHz) {
    SignalChecks.sameLength("clean", clean, "degraded", degraded);
    if (sampleRateHz <= 0) {
      throw new IllegalArgumentException("sampleRateHz=" + sampleRateHz + " is not positive");
    }
    double[] x = toDouble(clean);
    double[] y = toDouble(degraded);
    if (sampleRateHz != ANALYSIS_RATE_HZ) {
      x = OctaveResampling.resample(x, sampleRateHz, ANALYSIS_RATE_HZ);
      y = OctaveResampling.resample(y, sampleRateHz, ANALYSIS_RATE_HZ);
    }
    double[][] kept = removeSilentFrames(x, y);
    if (kept == null) {
      return TOO_SHORT;
    }
    double[][] xBands = bandEnvelopes(kept[0]);
    double[][] yBands = bandEnvelopes(kept[1]);
    int frames = xBands.length;
    if (frames < SEGMENT_FRAMES) {
      return TOO_SHORT;
    }
    double clip = 1 + Math.pow(10, -BETA_DB / 20);
    double[] xs = new double[SEGMENT_FRAMES];
    double[] ys = new double[SEGMENT_FRAMES];
    int segments = frames - SEGMENT_FRAMES + 1;
    double total = 0;
    for (int m = 0; m < segments; m++) {
      for (int b = 0; b < BANDS; b++) {
        double xNorm = 0;
        double yNorm = 0;
        for (int t = 0; t < SEGMENT_FRAMES; t++) {
          xs[t] = xBands[m + t][b];
          ys[t] = yBands[m + t][b];
          xNorm += xs[t] * xs[t];
          yNorm += ys[t] * ys[t];
        }
        double scale = Math.sqrt(xNorm) / (Math.sqrt(yNorm) + EPS);
        for (int t = 0; t < SEGMENT_FRAMES; t++) {
          ys[t] = Math.min(ys[t] * scale, xs[t] * clip);
        }
        total += correlation(xs, ys);
      }
    }
    return total / ((double) segments * BANDS);
  }

  /** Normalised correlation of the mean-removed vectors; both are overwritten. */
  private static double correlation(double[] a, double[] b) {
    int n = a.length;
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < n; i++) {
      ma += a[i];
      mb += b[i];
    }
    ma /= n;
    mb /= n;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < n; i++) {
      a[i] -= ma;
      b[i] -= mb;
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    na = Math.sqrt(na) + EPS;
    nb = Math.sqrt(nb) + EPS;
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += (a[i] / na) * (b[i] / nb);
    }
    return sum;
  }

  /**
   * Drops frames of both signals where the clean frame is more than {@link #DYNAMIC_RANGE_DB}
   * below the loudest clean frame and overlap-adds the kept windowed frames. Returns
   * {@code null} when the signal holds no whole frame.
   */
  static double[][] removeSilentFrames(double[] x, double[] y) {
    int frames = frameCount(x.length);
    if (frames == 0) {
      return null;
    }
    double[] energyDb = new double[frames];
    double loudest = Double.NEGATIVE_INFINITY;
    for (int f = 0; f < frames; f++) {
      double e = 0;
      for (int i = 0; i < FRAME_SAMPLES; i++) {
        double v = WINDOW[i] * x[f * HOP_SAMPLES + i];
        e += v * v;
      }
      energyDb[f] = 20 * Math.log10(Math.sqrt(e) + EPS);
      loudest = Math.max(loudest, energyDb[f]);
    }
    int keptFrames = 0;
    boolean[] keep = new boolean[frames];
    for (int f = 0; f < frames; f++) {
      keep[f] = loudest - DYNAMIC_RANGE_DB - energyDb[f] < 0;
      keptFrames += keep[f] ? 1 : 0;
    }
    int length = (keptFrames - 1) * HOP_SAMPLES + FRAME_SAMPLES;
    double[] xOut = new double[length];
    double[] yOut = new double[length];
    int k = 0;
    for (int f = 0; f < frames; f++) {
      if (keep[f]) {
        for (int i = 0; i < FRAME_SAMPLES; i++) {
          xOut[k * HOP_SAMPLES + i] += WINDOW[i] * x[f * HOP_SAMPLES + i];
          yOut[k * HOP_SAMPLES + i] += WINDOW[i] * y[f * HOP_SAMPLES + i];
        }
        k++;
      }
    }
    return new double[][] {xOut, yOut};
  }

  /** {@code [frame][band]} one-third-octave magnitudes of the windowed, zero-padded frames. */
  static double[][] bandEnvelopes(double[] x) {
    int frames = frameCount(x.length);
    double[][] out = new double[frames][BANDS];
    DoubleFFT_1D fft = new DoubleFFT_1D(FFT_SIZE);
    double[] buf = new double[FFT_SIZE];
    double[] power = new double[FFT_SIZE / 2 + 1];
    for (int f = 0; f < frames; f++) {
      Arrays.fill(buf, 0);
      for (int i = 0; i < FRAME_SAMPLES; i++) {
        buf[i] = WINDOW[i] * x[f * HOP_SAMPLES + i];
      }
      // JTransforms packing: buf[0]=Re0, buf[1]=Re(N/2), buf[2k]=Re k, buf[2k+1]=Im k.
      fft.realForward(buf);
      power[0] = buf[0] * buf[0];
      power[FFT_SIZE / 2] = buf[1] * buf[1];
      for (int bin = 1; bin < FFT_SIZE / 2; bin++) {
        power[bin] = buf[2 * bin] * buf[2 * bin] + buf[2 * bin + 1] * buf[2 * bin + 1];
      }
      for (int b = 0; b < BANDS; b++) {
        double sum = 0;
        for (int bin = BAND_LOW[b]; bin < BAND_HIGH[b]; bin++) {
          sum += power[bin];
        }
        out[f][b] = Math.sqrt(sum);
      }
    }
    return out;
  }

  /** Frames starting at 0, hop, 2·hop … strictly before {@code length − FRAME_SAMPLES}. */
  static int frameCount(int length) {
    int span = length - FRAME_SAMPLES;
    return span <= 0 ? 0 : (span + HOP_SAMPLES - 1) / HOP_SAMPLES;
  }

  /** FFT bin whose centre frequency is nearest to {@code hz}; the lower bin on a tie. */
  static int nearestBin(double hz) {
    double binHz = (double) ANALYSIS_RATE_HZ / FFT_SIZE;
    int best = 0;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (int k = 0; k <= FFT_SIZE / 2; k++) {
      double d = (k * binHz - hz) * (k * binHz - hz);
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    return best;
  }

  /** Band edges as FFT bins, {@code {low, highExclusive}} per band (for tests). */
  static int[][] bandBins() {
    int[][] bins = new int[BANDS][];
    for (int b = 0; b < BANDS; b++) {
      bins[b] = new int[] {BAND_LOW[b], BAND_HIGH[b]};
    }
    return bins;
  }

  private static double[] hann() {
    double[] w = new double[FRAME_SAMPLES];
    for (int i = 0; i < FRAME_SAMPLES; i++) {
      w[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * (i + 1) / (FRAME_SAMPLES + 1));
    }
    return w;
  }

  private static double[] toDouble(float[] x) {
    double[] d = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      d[i] = x[i];
    }
    return d;
  }
}
