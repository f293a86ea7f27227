package dev.denoise.core.audio.classic;

import java.util.Arrays;

/**
 * Minima-controlled recursive averaging (MCRA) noise tracker, after Cohen &amp; Berdugo, "Noise
 * estimation by minima controlled recursive averaging for robust speech enhancement", IEEE SPL
 * 9(1), 2002.
 *
 * <p>Per bin: the noisy power is smoothed over frequency (3-bin window 1/4, 1/2, 1/4) and time
 * ({@code alphaS}); its minimum over a sliding window of about {@link #MINIMUM_WINDOW_SECONDS}
 * is tracked with the two-buffer scheme of the paper; a bin whose smoothed power exceeds
 * {@code DELTA} times that minimum counts as speech-present, the presence probability is
 * smoothed ({@code alphaP}) and steers the recursive noise average: noise is updated quickly
 * where speech is absent and frozen where it is present. Following the minimum over a ~1 s
 * window lets the estimate follow noise whose level changes within a second or two.
 *
 * <p>The paper's constants are given for an 8 ms hop; they are converted to this tracker's hop
 * so the time constants in seconds stay the same ({@code alpha' = alpha^(hop/8 ms)}).
 *
 * <p>An optional initial noise spectrum (e.g. a {@link NoiseProfile} measured on a user-marked
 * noise-only segment) seeds the estimate; without it the first frame seeds it.
 */
public final class McraNoiseTracker implements NoiseEstimator {
  /** Length of the minimum-search window, seconds (paper: L = 125 frames of 8 ms). */
  public static final double MINIMUM_WINDOW_SECONDS = 1.0;
  /** Ratio of smoothed power to its minimum above which a bin counts as speech (paper: 5). */
  static final float DELTA = 5f;
  private static final double PAPER_HOP_SECONDS = 0.008;
  private static final double ALPHA_S = 0.8;
  private static final double ALPHA_P = 0.2;
  private static final double ALPHA_D = 0.95;

  private final int bins;
  private final float alphaS;
  private final float alphaP;
  private final float alphaD;
  private final int minimumWindowFrames;
  private final float[] initialNoise;
  private final float[] smoothed;
  private final float[] minimum;
  private final float[] runningMinimum;
  private final float[] presence;
  private final float[] noise;
  private int frameCount;
  private boolean seeded;

  /**
   * @param bins number of frequency bins
   * @param hopSeconds time between frames
   * @param initialNoise optional starting noise power per bin (copied), or null
   */
  public McraNoiseTracker(int bins, double hopSeconds, float[] initialNoise) {
    NoiseEstimator.checkArguments(bins, hopSeconds, initialNoise);
    double scale = hopSeconds / PAPER_HOP_SECONDS;
    this.bins = bins;
    this.alphaS = (float) Math.pow(ALPHA_S, scale);
    this.alphaP = (float) Math.pow(ALPHA_P, scale);
    this.alphaD = (float) Math.pow(ALPHA_D, scale);
    this.minimumWindowFrames = Math.max(2, (int) Math.round(MINIMUM_WINDOW_SECONDS / hopSeconds));
    this.initialNoise = initialNoise == null ? null : initialNoise.clone();
    this.smoothed = new float[bins];
    this.minimum = new float[bins];
    this.runningMinimum = new float[bins];
    this.presence = new float[bins];
    this.noise = new float[bins];
    reset();
  }

  @Override
  public void update(float[] power, float[] noiseOut, int bins) {
    if (bins != this.bins) {
      throw new IllegalArgumentException("bins=" + bins + " but tracker has " + this.bins);
    }
    if (!seeded) {
      // A profile seeds the minimum too, so speech in the very first frame already stands out
      // against it; without one the first frame is all we know.
      for (int k = 0; k < bins; k++) {
        float p = initialNoise == null ? frequencySmoothed(power, k) : initialNoise[k];
        smoothed[k] = p;
        minimum[k] = p;
        runningMinimum[k] = p;
        if (initialNoise == null) {
          noise[k] = power[k];
        }
      }
      seeded = true;
    }
    boolean windowEnds = ++frameCount >= minimumWindowFrames;
    for (int k = 0; k < bins; k++) {
      float s = alphaS * smoothed[k] + (1 - alphaS) * frequencySmoothed(power, k);
      smoothed[k] = s;
      if (windowEnds) {
        minimum[k] = Math.min(runningMinimum[k], s);
        runningMinimum[k] = s;
      } else {
        minimum[k] = Math.min(minimum[k], s);
        runningMinimum[k] = Math.min(runningMinimum[k], s);
      }
      float speech = s > DELTA * minimum[k] ? 1f : 0f;
      presence[k] = alphaP * presence[k] + (1 - alphaP) * speech;
      float alpha = alphaD + (1 - alphaD) * presence[k];
      noise[k] = alpha * noise[k] + (1 - alpha) * power[k];
      noiseOut[k] = noise[k];
    }
    if (windowEnds) {
      frameCount = 0;
    }
  }

  @Override
  public void reset() {
    Arrays.fill(smoothed, 0f);
    Arrays.fill(minimum, 0f);
    Arrays.fill(runningMinimum, 0f);
    Arrays.fill(presence, 0f);
    if (initialNoise != null) {
      System.arraycopy(initialNoise, 0, noise, 0, bins);
    } else {
      Arrays.fill(noise, 0f);
    }
    frameCount = 0;
    seeded = false;
  }

  private float frequencySmoothed(float[] power, int k) {
    float left = power[k > 0 ? k - 1 : k + 1 < bins ? k + 1 : k];
    float right = power[k + 1 < bins ? k + 1 : k > 0 ? k - 1 : k];
    return 0.25f * left + 0.5f * power[k] + 0.25f * right;
  }
}
