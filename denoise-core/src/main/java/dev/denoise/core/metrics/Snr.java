package dev.denoise.core.metrics;

/**
 * Plain and segmental signal-to-noise ratio of an estimate against its clean reference, where
 * the noise is {@code estimate − reference} (no scaling, no alignment, mean kept).
 */
public final class Snr {
  private Snr() {}

  /** Segmental frames are this long, in seconds (30 ms). */
  public static final double SEGMENT_SECONDS = 0.030;
  /** Segmental frames advance by this fraction of their length (75 % overlap). */
  public static final int SEGMENT_HOP_DIVISOR = 4;
  /** Per-frame SNRs are clamped to [{@value #SEGMENT_MIN_DB}, {@value #SEGMENT_MAX_DB}] dB. */
  public static final double SEGMENT_MIN_DB = -10;
  /** Upper clamp of the per-frame SNR in dB. */
  public static final double SEGMENT_MAX_DB = 35;

  private static final double EPS = Math.ulp(1.0);

  /**
   * Global SNR {@code 10·log10(Σ s² / Σ (ŝ − s)²)} in dB; {@code +Infinity} for an exact copy.
   *
   * @throws IllegalArgumentException when the lengths differ
   */
  public static double db(float[] reference, float[] estimate) {
    SignalChecks.sameLength("reference", reference, "estimate", estimate);
    double signal = 0;
    double noise = 0;
    for (int i = 0; i < reference.length; i++) {
      double s = reference[i];
      double d = (double) estimate[i] - s;
      signal += s * s;
      noise += d * d;
    }
    return 10 * Math.log10(signal / noise);
  }

  /**
   * Segmental SNR in dB, the conventional frame-based definition (Quackenbush et al. 1988; the
   * variant in Hu &amp; Loizou 2008's composite measures): frames of
   * {@code round(0.030·sampleRateHz)} samples with 75 % overlap, each weighted by a periodic
   * Hann window; per frame {@code 10·log10(Σ(w·s)² / (Σ(w·(ŝ−s))² + ε) + ε)} clamped to
   * [−10, 35] dB; the mean over all whole frames (a trailing partial frame is dropped). Frames
   * where the reference is silent count as −10 dB even when the estimate is silent there too,
   * as in Loizou's reference code: compare segSNR only between signals with the same pauses.
   *
   * @throws IllegalArgumentException when the lengths differ, the rate is not positive or the
   *     signals are shorter than one frame
   */
  public static double segmentalDb(float[] reference, float[] estimate, int sampleRateHz) {
    SignalChecks.sameLength("reference", reference, "estimate", estimate);
    if (sampleRateHz <= 0) {
      throw new IllegalArgumentException("sampleRateHz=" + sampleRateHz + " is not positive");
    }
    int frame = (int) Math.round(SEGMENT_SECONDS * sampleRateHz);
    int hop = frame / SEGMENT_HOP_DIVISOR;
    if (reference.length < frame) {
      throw new IllegalArgumentException(String.format(
          "signal shorter than one %d-sample segSNR frame: length=%d at %d Hz",
          frame, reference.length, sampleRateHz));
    }
    double[] window = new double[frame];
    for (int i = 0; i < frame; i++) {
      window[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / frame);
    }
    double sum = 0;
    int frames = 0;
    for (int start = 0; start + frame <= reference.length; start += hop, frames++) {
      double signal = 0;
      double noise = 0;
      for (int i = 0; i < frame; i++) {
        double s = window[i] * reference[start + i];
        double d = window[i] * ((double) estimate[start + i] - reference[start + i]);
        signal += s * s;
        noise += d * d;
      }
      double db = 10 * Math.log10(signal / (noise + EPS) + EPS);
      sum += Math.max(SEGMENT_MIN_DB, Math.min(SEGMENT_MAX_DB, db));
    }
    return sum / frames;
  }
}
