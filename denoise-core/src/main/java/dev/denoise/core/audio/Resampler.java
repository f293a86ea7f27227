package dev.denoise.core.audio;

import dev.denoise.core.dsp.KaiserSinc;
import java.util.Arrays;
import java.util.List;

/**
 * Streaming polyphase sample-rate converter between the rates in {@link #SUPPORTED_RATES_HZ}.
 *
 * <p><b>Method.</b> The conversion ratio is reduced to {@code L/M = out/gcd : in/gcd}. A
 * Kaiser-windowed sinc low-pass is designed at the virtual rate {@code L·in}: its passband ends at
 * {@value #PASSBAND_FRACTION}·Nyquist and its stopband starts at Nyquist, both of the lower of the
 * two rates, with a {@value #STOPBAND_DB} dB design attenuation (at least 80 dB measured, see the
 * tests). The filter is split into {@code L} sub-filters of {@link #tapsPerPhase()} taps each;
 * every output sample is one dot product of a sub-filter with the most recent input samples.
 * The coefficients are computed once, in the constructor (44.1 kHz ↔ 48 kHz: 160 or 147 phases
 * of about 115 taps, roughly 70 KiB of floats).
 *
 * <p><b>Streaming contract.</b> {@link #process} accepts any number of input samples per call,
 * including zero or one. The output depends only on the concatenated input, never on how it was
 * split into blocks: the samples are bit-identical for every block pattern. One call with
 * {@code n} input samples writes at most {@link #maxOutputCount(int) maxOutputCount(n)} = ⌈n·L/M⌉
 * samples; the caller supplies an output array with that much room. {@link #process} does not
 * allocate, lock, log or do I/O. One thread at a time may call {@link #process} and
 * {@link #reset}.
 *
 * <p><b>Delay.</b> The filter is linear phase. An input impulse at time 0 appears at output index
 * {@link #latencyOutputSamples()}; in input samples that is {@link #latencyInputSamples()}, which
 * may be fractional. The offline {@link #resample(float[], int, int)} removes this delay.
 *
 * <p>Samples are floats with full scale at ±1.0; nothing is clipped.
 */
public final class Resampler {

  /** Sample rates accepted on either side, in Hz. */
  public static final List<Integer> SUPPORTED_RATES_HZ =
      List.of(8000, 16000, 22050, 32000, 44100, 48000);

  /** End of the passband as a fraction of the lower Nyquist frequency. */
  static final double PASSBAND_FRACTION = 0.9;

  /** Kaiser design attenuation; the measured stopband of the float taps is at least 80 dB. */
  static final double STOPBAND_DB = 90.0;

  private final int inputRateHz;
  private final int outputRateHz;
  private final int up;
  private final int down;
  private final int taps;
  /** Sub-filter {@code p} occupies {@code [p·taps, (p+1)·taps)}, oldest-input tap first. */
  private final float[] phases;
  private final int delayUpsampled;
  /** Last {@code taps} inputs stored twice, so every window is one contiguous run. */
  private final float[] history;
  private int writeIndex;
  /** {@code k·M − n·L} for the next output k and the next input n; always in [0, M). */
  private int phase;

  /**
   * Creates a converter from {@code inputRateHz} to {@code outputRateHz}.
   *
   * @throws IllegalArgumentException naming the rate when either is not in
   *     {@link #SUPPORTED_RATES_HZ}
   */
  public Resampler(int inputRateHz, int outputRateHz) {
    checkRate("input", inputRateHz);
    checkRate("output", outputRateHz);
    this.inputRateHz = inputRateHz;
    this.outputRateHz = outputRateHz;
    int g = KaiserSinc.gcd(inputRateHz, outputRateHz);
    this.up = outputRateHz / g;
    this.down = inputRateHz / g;
    if (up == down) {
      this.taps = 1;
      this.phases = new float[] {1f};
      this.delayUpsampled = 0;
    } else {
      double[] prototype = designPrototype(up, down, Math.min(inputRateHz, outputRateHz),
          (double) up * inputRateHz);
      this.delayUpsampled = (prototype.length - 1) / 2;
      this.taps = (prototype.length + up - 1) / up;
      this.phases = new float[up * taps];
      for (int p = 0; p < up; p++) {
        for (int i = 0; i < taps; i++) {
          int k = p + i * up;
          // Tap i multiplies the input i samples before the newest one: store it mirrored.
          phases[p * taps + (taps - 1 - i)] = k < prototype.length ? (float) prototype[k] : 0f;
        }
      }
    }
    this.history = new float[2 * taps];
    reset();
  }

  /**
   * Offline conversion of a whole signal with the filter delay removed: output sample {@code k}
   * lies at input time {@code k·from/to}, and the output has {@code round(n·to/from)} samples.
   * The ends are filtered as if the signal were surrounded by silence.
   *
   * @throws IllegalArgumentException when a rate is not supported
   */
  public static float[] resample(float[] x, int fromHz, int toHz) {
    Resampler r = new Resampler(fromHz, toHz);
    float[] out = new float[(int) Math.round((double) x.length * r.up / r.down)];
    int block = 4096;
    float[] silence = new float[block];
    float[] scratch = new float[r.maxOutputCount(block)];
    int toSkip = r.latencyOutputSamples();
    int written = 0;
    // Feed the signal, then silence until the delayed tail has come out.
    for (int pos = 0; written < out.length; pos += block) {
      int got = pos < x.length
          ? r.process(x, pos, Math.min(block, x.length - pos), scratch, 0)
          : r.process(silence, 0, block, scratch, 0);
      int skip = Math.min(toSkip, got);
      toSkip -= skip;
      int copy = Math.min(got - skip, out.length - written);
      System.arraycopy(scratch, skip, out, written, copy);
      written += copy;
    }
    return out;
  }

  /**
   * Converts {@code in[inOffset, inOffset + inCount)} and writes the outputs that became
   * available to {@code out} starting at {@code outOffset}. The two ranges must not overlap.
   *
   * @return the number of samples written, at most {@link #maxOutputCount(int)
   *     maxOutputCount(inCount)}
   * @throws IllegalArgumentException when the input range is out of bounds or {@code out} has
   *     fewer than {@code maxOutputCount(inCount)} samples after {@code outOffset}
   */
  public int process(float[] in, int inOffset, int inCount, float[] out, int outOffset) {
    if (in == null || inCount < 0 || inOffset < 0 || inOffset > in.length - inCount) {
      throw new IllegalArgumentException(String.format(
          "input range out of bounds: length=%s offset=%d count=%d",
          in == null ? "null" : Integer.toString(in.length), inOffset, inCount));
    }
    int room = maxOutputCount(inCount);
    if (out == null || outOffset < 0 || outOffset > out.length - room) {
      throw new IllegalArgumentException(String.format(
          "output too short: length=%s offset=%d needed=%d for inCount=%d",
          out == null ? "null" : Integer.toString(out.length), outOffset, room, inCount));
    }
    int o = outOffset;
    for (int i = 0; i < inCount; i++) {
      float v = in[inOffset + i];
      history[writeIndex] = v;
      history[writeIndex + taps] = v;
      writeIndex = writeIndex + 1 == taps ? 0 : writeIndex + 1;
      // The window of the last `taps` inputs, oldest first, is history[writeIndex, +taps).
      while (phase < up) {
        int base = phase * taps;
        double acc = 0;
        for (int t = 0; t < taps; t++) {
          acc += phases[base + t] * history[writeIndex + t];
        }
        out[o++] = (float) acc;
        phase += down;
      }
      phase -= up;
    }
    return o - outOffset;
  }

  /** Largest number of samples one {@link #process} call with {@code inputCount} inputs writes. */
  public int maxOutputCount(int inputCount) {
    if (inputCount < 0) {
      throw new IllegalArgumentException("inputCount=" + inputCount + " is negative");
    }
    return (int) (((long) inputCount * up + down - 1) / down);
  }

  /** Forgets all past input: the next call behaves like the first call on a new instance. */
  public void reset() {
    Arrays.fill(history, 0f);
    writeIndex = 0;
    phase = 0;
  }

  /** Delay of the output behind the input, in output samples (always an integer). */
  public int latencyOutputSamples() {
    return delayUpsampled / down;
  }

  /** Delay of the output behind the input, in input samples; fractional for some ratios. */
  public double latencyInputSamples() {
    return (double) delayUpsampled / up;
  }

  /** Input rate in Hz. */
  public int inputRateHz() {
    return inputRateHz;
  }

  /** Output rate in Hz. */
  public int outputRateHz() {
    return outputRateHz;
  }

  /** Interpolation factor L of the reduced ratio L/M. */
  public int upFactor() {
    return up;
  }

  /** Decimation factor M of the reduced ratio L/M. */
  public int downFactor() {
    return down;
  }

  /** Taps of each polyphase sub-filter, i.e. multiply-adds per output sample. */
  public int tapsPerPhase() {
    return taps;
  }

  /**
   * The linear-phase prototype at rate {@code up·inputRate} (for tests): odd length, centre
   * tap at the delay, DC gain {@code up} so that each phase passes DC with gain 1.
   */
  static double[] designPrototype(int up, int down, int lowerRateHz, double upsampledRateHz) {
    double nyquist = lowerRateHz / 2.0;
    double passEdge = PASSBAND_FRACTION * nyquist;
    double cutoff = (passEdge + nyquist) / 2 / upsampledRateHz;        // cycles per sample
    double transition = 2 * Math.PI * (nyquist - passEdge) / upsampledRateHz;  // rad per sample
    double beta = 0.1102 * (STOPBAND_DB - 8.7);
    // Kaiser's length estimate, half-length rounded up to a multiple of M so that the delay
    // is a whole number of output samples.
    int minHalf = (int) Math.ceil((STOPBAND_DB - 8) / (2.285 * transition) / 2);
    int half = ((minHalf + down - 1) / down) * down;
    return KaiserSinc.lowpass(half, cutoff, beta, up);
  }

  private static void checkRate(String side, int rateHz) {
    if (!SUPPORTED_RATES_HZ.contains(rateHz)) {
      throw new IllegalArgumentException("unsupported " + side + " sample rate " + rateHz
          + " Hz; supported: " + SUPPORTED_RATES_HZ);
    }
  }
}
