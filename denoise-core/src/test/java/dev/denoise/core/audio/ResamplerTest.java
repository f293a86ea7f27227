package dev.denoise.core.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ResamplerTest {

  static List<Arguments> allPairs() {
    List<Arguments> pairs = new ArrayList<>();
    for (int from : Resampler.SUPPORTED_RATES_HZ) {
      for (int to : Resampler.SUPPORTED_RATES_HZ) {
        if (from != to) {
          pairs.add(Arguments.of(from, to));
        }
      }
    }
    return pairs;
  }

  static List<Arguments> downsamplingPairs() {
    List<Arguments> pairs = new ArrayList<>();
    for (int from : Resampler.SUPPORTED_RATES_HZ) {
      for (int to : Resampler.SUPPORTED_RATES_HZ) {
        if (from > to) {
          pairs.add(Arguments.of(from, to));
        }
      }
    }
    return pairs;
  }

  @ParameterizedTest(name = "{0} -> {1} Hz")
  @MethodSource("allPairs")
  void passbandSineKeepsAmplitudeAndPhase(int from, int to) {
    double f = 1000;
    float[] x = sine(from, f, 0.4, 0.5);
    float[] y = Resampler.resample(x, from, to);
    assertEquals(Math.round((double) x.length * to / from), y.length, "output length");
    // Away from the ends the output must be the same sine sampled at the new rate.
    double[] fit = fitSine(y, to, f, y.length / 4, 3 * y.length / 4);
    double gainDb = 20 * Math.log10(Math.hypot(fit[0], fit[1]) / 0.5);
    assertEquals(0, gainDb, 0.1, "passband gain in dB");
    double phase = Math.atan2(fit[1], fit[0]);
    assertEquals(0, phase, 1e-3, "phase at 1 kHz in rad (delay compensation)");
  }

  @ParameterizedTest(name = "{0} -> {1} Hz")
  @MethodSource("downsamplingPairs")
  void toneAboveNewNyquistIsSuppressed(int from, int to) {
    double outNyquist = to / 2.0;
    double inNyquist = from / 2.0;
    for (double f : new double[] {1.05 * outNyquist, (outNyquist + inNyquist) / 2}) {
      float[] x = sine(from, f, 0.2, 0.5);
      float[] y = Resampler.resample(x, from, to);
      double rms = rms(y, y.length / 4, 3 * y.length / 4);
      double attenuationDb = 20 * Math.log10((0.5 / Math.sqrt(2)) / rms);
      assertTrue(attenuationDb >= 80,
          String.format("tone %.0f Hz, %d -> %d: attenuation %.1f dB < 80 dB",
              f, from, to, attenuationDb));
    }
  }

  @ParameterizedTest(name = "{0} -> {1} Hz")
  @MethodSource("allPairs")
  void prototypeMeetsStopbandAndPassbandSpec(int from, int to) {
    int g = gcd(from, to);
    int up = to / g;
    int down = from / g;
    double upsampledRate = (double) up * from;
    double[] h = Resampler.designPrototype(up, down, Math.min(from, to), upsampledRate);
    double nyquist = Math.min(from, to) / 2.0;
    SplittableRandom rnd = new SplittableRandom(7);
    double worstStop = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < 300; i++) {
      // Dense near the edge, then spread over everything up to the virtual Nyquist.
      double f = i < 200
          ? nyquist * (1 + 0.1 * i / 200.0)
          : nyquist + rnd.nextDouble() * (upsampledRate / 2 - nyquist);
      worstStop = Math.max(worstStop, 20 * Math.log10(response(h, f / upsampledRate) / up));
    }
    assertTrue(worstStop <= -80, "stopband peak " + worstStop + " dB");
    for (int i = 0; i <= 50; i++) {
      double f = Resampler.PASSBAND_FRACTION * nyquist * i / 50;
      double db = 20 * Math.log10(response(h, f / upsampledRate) / up);
      assertEquals(0, db, 0.01, "passband ripple at " + f + " Hz");
    }
  }

  @ParameterizedTest(name = "{0} -> {1} Hz")
  @MethodSource("chunkingPairs")
  void outputIsBitIdenticalForEveryBlockPattern(int from, int to) {
    float[] x = SpeechLikeSignal.speech(from, 0.25, 11);
    float[] whole = run(new Resampler(from, to), x, () -> x.length);
    float[] single = run(new Resampler(from, to), x, () -> 1);
    int[] primes = {2, 3, 5, 7, 11, 13, 97, 101, 1009};
    int[] next = {0};
    float[] prime = run(new Resampler(from, to), x, () -> primes[next[0]++ % primes.length]);
    SplittableRandom rnd = new SplittableRandom(3);
    float[] random = run(new Resampler(from, to), x, () -> rnd.nextInt(0, 700));
    Resampler r = new Resampler(from, to);
    assertEquals(r.maxOutputCount(x.length), whole.length, "total output count");
    assertArrayEquals(whole, single, "1-sample blocks");
    assertArrayEquals(whole, prime, "prime blocks");
    assertArrayEquals(whole, random, "random blocks including empty ones");
  }

  static List<Arguments> chunkingPairs() {
    return List.of(
        Arguments.of(44100, 48000), Arguments.of(48000, 44100), Arguments.of(16000, 48000),
        Arguments.of(48000, 8000), Arguments.of(22050, 16000), Arguments.of(8000, 44100));
  }

  @Test
  void resetForgetsHistory() {
    float[] x = SpeechLikeSignal.speech(44100, 0.1, 5);
    Resampler r = new Resampler(44100, 48000);
    float[] fresh = run(r, x, () -> 333);
    run(r, SpeechLikeSignal.speech(44100, 0.05, 6), () -> 100);
    r.reset();
    assertArrayEquals(fresh, run(r, x, () -> 333));
  }

  @Test
  void roundTrip48kTo16kAndBackKeepsBandLimitedSignal() {
    int rate = 48000;
    SplittableRandom rnd = new SplittableRandom(21);
    int n = rate / 2;
    float[] x = new float[n];
    for (int k = 0; k < 20; k++) {
      // Tones inside the 16 kHz passband (0.9 * 8 kHz = 7.2 kHz).
      double f = 100 + rnd.nextDouble() * 7000;
      double phase = rnd.nextDouble() * 2 * Math.PI;
      for (int i = 0; i < n; i++) {
        x[i] += (float) (0.04 * Math.sin(2 * Math.PI * f * i / rate + phase));
      }
    }
    float[] back = Resampler.resample(Resampler.resample(x, rate, 16000), 16000, rate);
    assertEquals(n, back.length);
    double signal = 0;
    double error = 0;
    for (int i = n / 4; i < 3 * n / 4; i++) {
      signal += (double) x[i] * x[i];
      error += (double) (x[i] - back[i]) * (x[i] - back[i]);
    }
    double snrDb = 10 * Math.log10(signal / error);
    assertTrue(snrDb >= 70, "round-trip SNR " + snrDb + " dB");
  }

  @Test
  void equalRatesAreExactIdentity() {
    for (int rate : Resampler.SUPPORTED_RATES_HZ) {
      float[] x = SpeechLikeSignal.speech(rate, 0.05, rate);
      Resampler r = new Resampler(rate, rate);
      assertEquals(0, r.latencyOutputSamples());
      assertEquals(0.0, r.latencyInputSamples());
      assertArrayEquals(x, run(r, x, () -> 17));
      assertArrayEquals(x, Resampler.resample(x, rate, rate));
    }
  }

  @ParameterizedTest(name = "{0} -> {1} Hz")
  @MethodSource("allPairs")
  void impulsePeaksAtReportedLatency(int from, int to) {
    Resampler r = new Resampler(from, to);
    float[] x = new float[r.tapsPerPhase() + 16];
    x[0] = 1;
    float[] y = run(r, x, () -> x.length);
    int peak = 0;
    for (int i = 1; i < y.length; i++) {
      if (Math.abs(y[i]) > Math.abs(y[peak])) {
        peak = i;
      }
    }
    assertEquals(r.latencyOutputSamples(), peak, "peak index");
    assertEquals(r.latencyOutputSamples() * (double) from / to, r.latencyInputSamples(), 1e-9);
  }

  @Test
  void coefficientsFor44100And48000AreSizedReasonably() {
    Resampler up = new Resampler(44100, 48000);
    Resampler down = new Resampler(48000, 44100);
    assertEquals(160, up.upFactor());
    assertEquals(147, up.downFactor());
    assertEquals(147, down.upFactor());
    assertTrue(up.tapsPerPhase() <= 130, "taps per phase " + up.tapsPerPhase());
    assertTrue(down.tapsPerPhase() <= 130, "taps per phase " + down.tapsPerPhase());
  }

  @Test
  void unsupportedRatesAreNamed() {
    IllegalArgumentException in =
        assertThrows(IllegalArgumentException.class, () -> new Resampler(11025, 16000));
    assertTrue(in.getMessage().contains("input sample rate 11025 Hz"), in.getMessage());
    assertTrue(in.getMessage().contains("48000"), in.getMessage());
    IllegalArgumentException out =
        assertThrows(IllegalArgumentException.class, () -> Resampler.resample(new float[4], 16000, 96000));
    assertTrue(out.getMessage().contains("output sample rate 96000 Hz"), out.getMessage());
  }

  @Test
  void shortOutputArrayIsRejectedWithTheNumbers() {
    Resampler r = new Resampler(16000, 48000);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> r.process(new float[10], 0, 10, new float[29], 0));
    assertTrue(e.getMessage().contains("needed=30"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> r.process(new float[10], 5, 6, new float[100], 0));
  }

  @Test
  void processDoesNotAllocateInSteadyState() {
    Assumptions.assumeTrue(ManagementFactory.getThreadMXBean()
        instanceof com.sun.management.ThreadMXBean, "needs HotSpot allocation counters");
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Resampler r = new Resampler(44100, 48000);
    float[] in = SpeechLikeSignal.speech(44100, 0.05, 9);
    float[] out = new float[r.maxOutputCount(in.length)];
    for (int i = 0; i < 20; i++) {
      r.process(in, 0, in.length, out, 0);
    }
    long tid = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(tid);
    for (int i = 0; i < 20; i++) {
      r.process(in, i, in.length - i, out, 0);
    }
    long allocated = threads.getThreadAllocatedBytes(tid) - before;
    assertTrue(allocated < 256, "allocated " + allocated + " bytes in 20 process calls");
  }

  private static float[] run(Resampler r, float[] x, IntSupplier blockSizes) {
    float[] out = new float[r.maxOutputCount(x.length)];
    float[] block = new float[r.maxOutputCount(x.length) + 1];
    int produced = 0;
    int pos = 0;
    while (pos < x.length) {
      int n = Math.min(blockSizes.getAsInt(), x.length - pos);
      int got = r.process(x, pos, n, block, 0);
      System.arraycopy(block, 0, out, produced, got);
      produced += got;
      pos += n;
    }
    assertEquals(out.length, produced, "outputs after all input");
    return out;
  }

  private static float[] sine(int rate, double f, double seconds, double amplitude) {
    float[] x = new float[(int) Math.round(seconds * rate)];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (amplitude * Math.sin(2 * Math.PI * f * i / rate));
    }
    return x;
  }

  /** Least-squares amplitudes {a, b} of {@code a·sin + b·cos} at frequency f over [from, to). */
  private static double[] fitSine(float[] y, int rate, double f, int from, int to) {
    double ss = 0;
    double cc = 0;
    double sc = 0;
    double ys = 0;
    double yc = 0;
    for (int i = from; i < to; i++) {
      double s = Math.sin(2 * Math.PI * f * i / rate);
      double c = Math.cos(2 * Math.PI * f * i / rate);
      ss += s * s;
      cc += c * c;
      sc += s * c;
      ys += y[i] * s;
      yc += y[i] * c;
    }
    double det = ss * cc - sc * sc;
    return new double[] {(ys * cc - yc * sc) / det, (yc * ss - ys * sc) / det};
  }

  private static double rms(float[] y, int from, int to) {
    double e = 0;
    for (int i = from; i < to; i++) {
      e += (double) y[i] * y[i];
    }
    return Math.sqrt(e / (to - from));
  }

  /** |H(f)| of an FIR at normalised frequency f (cycles per sample), centred on its middle. */
  private static double response(double[] h, double f) {
    int half = (h.length - 1) / 2;
    // Linear phase: the centred response is real, a cosine series over symmetric pairs.
    // cos(kw) by the Chebyshev recurrence keeps this cheap for 50k-tap prototypes.
    double w = 2 * Math.PI * f;
    double twoCos = 2 * Math.cos(w);
    double prev = 1;
    double cur = Math.cos(w);
    double re = h[half];
    for (int k = 1; k <= half; k++) {
      re += 2 * h[half + k] * cur;
      double next = twoCos * cur - prev;
      prev = cur;
      cur = next;
    }
    return Math.abs(re);
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }
}
