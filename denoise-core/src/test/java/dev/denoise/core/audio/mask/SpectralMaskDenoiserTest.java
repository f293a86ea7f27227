package dev.denoise.core.audio.mask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoise.core.audio.AlignedProcessor;
import dev.denoise.core.audio.AllocationProbe;
import dev.denoise.core.audio.SpeechLikeSignal;
import dev.denoise.core.audio.Stft;
import dev.denoise.core.audio.classic.ClassicDenoiser;
import dev.denoise.core.audio.classic.Strength;
import dev.denoise.core.metrics.SiSdr;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpectralMaskDenoiserTest {
  private static final int RATE = SpectralMaskDenoiser.SAMPLE_RATE;
  private static final int BINS = 513;
  private static final int HOP = 480;
  /** Strength that never lifts a mask: 200 dB of attenuation allowed, fully wet. */
  private static final Strength NO_FLOOR = new Strength(200, 1);

  private static float[] noisySpeech(long seed, double snrDb) {
    return SpeechLikeSignal.mix(SpeechLikeSignal.speech(RATE, 2, seed),
        SpeechLikeSignal.noise(RATE, 2, 0.5, true, seed + 1), snrDb);
  }

  /**
   * An ideal ratio mask, {@code sqrt(|S|² / (|S|² + |N|²))} per bin from the known speech and
   * noise, raises SI-SDR by a wide margin: the path applies a good mask to the right frame and
   * synthesises it back in time. The oracle also checks that it was fed {@code ln(|X|² + 1e-8)}
   * of the frame it expected.
   */
  @ParameterizedTest
  @CsvSource({"0, 11", "0, 12", "5, 13", "-5, 14"})
  void oracleMaskRaisesSiSdrByALargeMargin(double snrDb, long seed) {
    float[] speech = SpeechLikeSignal.speech(RATE, 3, seed);
    float[] noisy = SpeechLikeSignal.mix(speech,
        SpeechLikeSignal.noise(RATE, 3, 0.5, seed % 2 == 0, seed + 100), snrDb);
    float[] noise = new float[noisy.length];
    for (int i = 0; i < noise.length; i++) {
      noise[i] = noisy[i] - speech[i];
    }
    OracleMaskModel oracle = new OracleMaskModel(speech, noise, noisy);
    double before = SiSdr.db(speech, noisy);
    float[] denoised = AlignedProcessor.processAll(new SpectralMaskDenoiser(oracle, NO_FLOOR), noisy);
    double gain = SiSdr.db(speech, denoised) - before;
    assertTrue(gain > 8, String.format("SI-SDR %.2f dB -> %+.2f dB", before, gain));
    assertTrue(oracle.worstLnPowerError < 1e-3,
        "input differs from ln(|X|^2 + 1e-8) by " + oracle.worstLnPowerError);
  }

  /** An all-ones mask is a pure 480-sample delay (the STFT reconstructs perfectly). */
  @ParameterizedTest
  @CsvSource({"false, 1, NaN", "true, 1, 0"})
  void unitMaskIsTransparent(boolean complex, float re, float im) {
    float[] noisy = noisySpeech(21, 5);
    SpectralMaskDenoiser d =
        new SpectralMaskDenoiser(new FixedMaskModel(BINS, complex, re, im), Strength.DEFAULT);
    assertEquals(HOP, d.latencySamples());
    float[] out = run(d, noisy);
    assertDelayedCopy(noisy, out, 1f, 1e-5);
  }

  @Test
  void magnitudeMaskScalesAndIsClampedToZeroOne() {
    float[] x = noisySpeech(22, 5);
    assertDelayedCopy(x, run(new SpectralMaskDenoiser(new FixedMaskModel(BINS, 0.25f), NO_FLOOR), x),
        0.25f, 1e-5);
    assertDelayedCopy(x, run(new SpectralMaskDenoiser(new FixedMaskModel(BINS, 3f), NO_FLOOR), x),
        1f, 1e-5);
    assertDelayedCopy(x, run(new SpectralMaskDenoiser(new FixedMaskModel(BINS, -1f), NO_FLOOR), x),
        0f, 1e-7);
    assertDelayedCopy(x, run(new SpectralMaskDenoiser(new FixedMaskModel(BINS, Float.NaN),
        NO_FLOOR), x), 1f, 1e-5);
  }

  /**
   * A complex mask multiplies the complex bins: −1 inverts the signal (a magnitude mask would
   * clamp it to silence), and i (a quarter turn of every bin) keeps the energy while making the
   * output nearly orthogonal to the input (a Hilbert transform).
   */
  @Test
  void complexMaskMultipliesTheComplexBins() {
    float[] x = noisySpeech(23, 5);
    assertDelayedCopy(x, run(new SpectralMaskDenoiser(
        new FixedMaskModel(BINS, true, -1f, 0f), NO_FLOOR), x), -1f, 1e-5);
    assertDelayedCopy(x, run(new SpectralMaskDenoiser(
        new FixedMaskModel(BINS, true, 0.5f, Float.NaN), NO_FLOOR), x), 1f, 1e-5);
    float[] y = run(new SpectralMaskDenoiser(new FixedMaskModel(BINS, true, 0f, 1f), NO_FLOOR), x);
    double xx = 0;
    double yy = 0;
    double xy = 0;
    for (int i = 2 * HOP; i < x.length - HOP; i++) {
      double a = x[i - HOP];
      double b = y[i];
      xx += a * a;
      yy += b * b;
      xy += a * b;
    }
    assertEquals(1.0, yy / xx, 0.05, "energy ratio");
    assertTrue(Math.abs(xy / Math.sqrt(xx * yy)) < 0.05, "correlation " + xy / Math.sqrt(xx * yy));
  }

  /** The strength's floor lifts a zero mask (magnitude and complex), and mix blends the input. */
  @Test
  void strengthFloorAndMixApply() {
    float[] x = noisySpeech(24, 5);
    Strength minus20 = new Strength(20, 1);
    assertDelayedCopy(x, run(new SpectralMaskDenoiser(new FixedMaskModel(BINS, 0f), minus20), x),
        0.1f, 1e-5);
    assertDelayedCopy(x, run(new SpectralMaskDenoiser(
        new FixedMaskModel(BINS, true, 0f, 0f), minus20), x), 0.1f, 1e-5);
    // A complex mask below the floor is lifted to it with its sign (phase) kept.
    assertDelayedCopy(x, run(new SpectralMaskDenoiser(
        new FixedMaskModel(BINS, true, -0.01f, 0f), minus20), x), -0.1f, 1e-5);
    assertDelayedCopy(x, run(new SpectralMaskDenoiser(
        new FixedMaskModel(BINS, 0f), new Strength(200, 0.5)), x), 0.5f, 1e-5);
    SpectralMaskDenoiser live = new SpectralMaskDenoiser(new FixedMaskModel(BINS, 0f), NO_FLOOR);
    live.setStrength(new Strength(0, 1));  // 0 dB: the floor is 1, nothing is removed
    assertDelayedCopy(x, run(live, x), 1f, 1e-5);
  }

  /** Voice activity is the mean applied gain: 1 for a unit mask, the floor for a zero one. */
  @Test
  void voiceActivityIsTheMeanGain() {
    float[] x = noisySpeech(25, 5);
    SpectralMaskDenoiser ones = new SpectralMaskDenoiser(new FixedMaskModel(BINS, 1f), NO_FLOOR);
    run(ones, x);
    assertEquals(1f, ones.lastVadProbability(), 1e-6f);
    SpectralMaskDenoiser zeros =
        new SpectralMaskDenoiser(new FixedMaskModel(BINS, 0f), new Strength(20, 1));
    run(zeros, x);
    assertEquals(0.1f, zeros.lastVadProbability(), 1e-6f);
  }

  /** After reset the denoiser repeats a fresh one's output; the model is reset and closed. */
  @Test
  void resetForgetsHistoryAndModelIsDrivenOncePerFrame() {
    float[] a = noisySpeech(26, 0);
    float[] b = noisySpeech(27, 10);
    float[] expected = run(new SpectralMaskDenoiser(new CountingMaskModel(), Strength.DEFAULT), b);
    CountingMaskModel model = new CountingMaskModel();
    SpectralMaskDenoiser d = new SpectralMaskDenoiser(model, Strength.DEFAULT);
    run(d, a);
    assertEquals(a.length / HOP, model.frames);
    d.reset();
    assertEquals(0, model.frames, "model state after reset");
    assertArrayEquals(expected, run(d, b));
    d.close();
    d.close();
    assertEquals(2, model.closeCalls);
  }

  @Test
  void silenceInSilenceOutAndNoNaN() {
    SpectralMaskDenoiser d = new SpectralMaskDenoiser(new CountingMaskModel(), Strength.DEFAULT);
    float[] out = run(d, new float[RATE]);
    for (float v : out) {
      assertEquals(0f, v, 1e-12f);
    }
  }

  @Test
  void refusesAModelForAnotherFraming() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SpectralMaskDenoiser(new FixedMaskModel(257, 1f), Strength.DEFAULT));
    assertTrue(e.getMessage().contains("257 bins") && e.getMessage().contains("513"),
        e.getMessage());
  }

  @Test
  void realTimePathAllocatesNothing() {
    float[] noisy = noisySpeech(28, 5);
    for (boolean complex : new boolean[] {false, true}) {
      SpectralMaskDenoiser d = new SpectralMaskDenoiser(
          new FixedMaskModel(BINS, complex, 0.4f, 0.2f), Strength.DEFAULT);
      float[] out = new float[HOP];
      int frames = noisy.length / HOP;
      Runnable work = () -> {
        for (int f = 0; f < 2000; f++) {
          d.process(noisy, (f % frames) * HOP, out, 0);
        }
      };
      for (int warmUp = 0; warmUp < 4; warmUp++) {
        work.run();
      }
      assertEquals(0, AllocationProbe.measure(work), "bytes allocated in 2,000 frames");
    }
  }

  /** Runs whole hops of {@code x} through {@code d}; output has the stage's delay. */
  private static float[] run(SpectralMaskDenoiser d, float[] x) {
    int frames = x.length / HOP;
    float[] out = new float[frames * HOP];
    for (int f = 0; f < frames; f++) {
      d.process(x, f * HOP, out, f * HOP);
    }
    return out;
  }

  /** {@code out[n] = scale · x[n − 480]} after the first window, within {@code tolerance}. */
  private static void assertDelayedCopy(float[] x, float[] out, float scale, double tolerance) {
    double worst = 0;
    for (int n = 2 * HOP; n < out.length; n++) {
      worst = Math.max(worst, Math.abs(out[n] - scale * x[n - HOP]));
    }
    assertTrue(worst <= tolerance, "largest deviation from " + scale + " * input: " + worst);
  }

  /** Mask 0.5 + 0.4·sin(frame) in every bin: state that reset must clear. */
  private static final class CountingMaskModel implements MaskModel {
    int frames;
    int closeCalls;

    @Override
    public int bins() {
      return BINS;
    }

    @Override
    public boolean complexMask() {
      return false;
    }

    @Override
    public void infer(float[] lnPower, float[] maskRe, float[] maskIm) {
      Arrays.fill(maskRe, 0, BINS, 0.5f + 0.4f * (float) Math.sin(frames++));
    }

    @Override
    public void reset() {
      frames = 0;
    }

    @Override
    public void close() {
      closeCalls++;
    }
  }

  /**
   * The ideal ratio mask of frame t from the known speech and noise, framed as the stage frames
   * the input: the window ending at sample {@code (t + 1)·hop}, zeros before the start and after
   * the end.
   */
  private static final class OracleMaskModel implements MaskModel {
    private final float[] speech;
    private final float[] noise;
    private final float[] noisy;
    private final Stft stft = ClassicDenoiser.standardStft(RATE);
    private final float[] window = new float[stft.windowLength()];
    private final float[] sRe = new float[BINS];
    private final float[] sIm = new float[BINS];
    private final float[] nRe = new float[BINS];
    private final float[] nIm = new float[BINS];
    private final float[] xRe = new float[BINS];
    private final float[] xIm = new float[BINS];
    private int frame;
    double worstLnPowerError;

    OracleMaskModel(float[] speech, float[] noise, float[] noisy) {
      this.speech = speech;
      this.noise = noise;
      this.noisy = noisy;
    }

    @Override
    public int bins() {
      return BINS;
    }

    @Override
    public boolean complexMask() {
      return false;
    }

    @Override
    public void infer(float[] lnPower, float[] maskRe, float[] maskIm) {
      int end = (frame + 1) * stft.hopSize();
      spectrum(speech, end, sRe, sIm);
      spectrum(noise, end, nRe, nIm);
      spectrum(noisy, end, xRe, xIm);
      for (int k = 0; k < BINS; k++) {
        double expected = Math.log(xRe[k] * xRe[k] + xIm[k] * xIm[k] + 1e-8);
        worstLnPowerError = Math.max(worstLnPowerError, Math.abs(lnPower[k] - expected));
        double s = sRe[k] * sRe[k] + sIm[k] * sIm[k];
        double n = nRe[k] * nRe[k] + nIm[k] * nIm[k];
        maskRe[k] = s + n > 0 ? (float) Math.sqrt(s / (s + n)) : 1f;
      }
      frame++;
    }

    private void spectrum(float[] signal, int end, float[] re, float[] im) {
      int start = end - window.length;
      for (int i = 0; i < window.length; i++) {
        int n = start + i;
        window[i] = n >= 0 && n < signal.length ? signal[n] : 0f;
      }
      stft.forward(window, 0, re, im);
    }

    @Override
    public void reset() {
      frame = 0;
    }

    @Override
    public void close() {}
  }
}
