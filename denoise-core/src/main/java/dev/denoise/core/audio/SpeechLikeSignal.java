package dev.denoise.core.audio;

import java.util.SplittableRandom;

/**
 * Seeded synthetic signals for tests, the demo and the bench: a harmonic, speech-like voice with gliding pitch, moving
 * formants and syllable-rate on/off envelopes, and coloured noises that are stationary or slowly
 * varying. Deterministic for a given seed on every JVM (only {@link SplittableRandom} and
 * {@link Math} are used), so other tools can regenerate the same samples.
 */
public final class SpeechLikeSignal {
  private SpeechLikeSignal() {}

  /**
   * A voiced, speech-like signal: a harmonic series up to 0.45·rate whose pitch glides between
   * 90 and 260 Hz, shaped by three formant resonances that move every syllable, gated by
   * syllables of 120–320 ms separated by 40–200 ms pauses. Peak amplitude about 0.5.
   */
  public static float[] speech(int sampleRate, double seconds, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int n = (int) Math.round(seconds * sampleRate);
    float[] out = new float[n];
    double phase = 0;
    int pos = 0;
    while (pos < n) {
      int syllable = (int) (sampleRate * (0.12 + 0.2 * rnd.nextDouble()));
      int pause = (int) (sampleRate * (0.04 + 0.16 * rnd.nextDouble()));
      double f0Start = 90 + 170 * rnd.nextDouble();
      double f0End = 90 + 170 * rnd.nextDouble();
      double[] formants = {
        300 + 600 * rnd.nextDouble(), 900 + 1500 * rnd.nextDouble(), 2300 + 1200 * rnd.nextDouble()
      };
      double loudness = 0.5 + 0.5 * rnd.nextDouble();
      for (int i = 0; i < syllable && pos < n; i++, pos++) {
        double t = (double) i / syllable;
        double f0 = f0Start + (f0End - f0Start) * t;
        phase += 2 * Math.PI * f0 / sampleRate;
        double envelope = Math.sin(Math.PI * t);
        double sample = 0;
        int harmonics = (int) Math.floor(0.45 * sampleRate / f0);
        for (int h = 1; h <= harmonics; h++) {
          double f = h * f0;
          double amp = 0;
          for (double fc : formants) {
            double bw = 80 + 0.1 * fc;
            amp += 1.0 / (1.0 + ((f - fc) / bw) * ((f - fc) / bw));
          }
          sample += amp / Math.sqrt(h) * Math.sin(h * phase);
        }
        out[pos] = (float) (0.12 * loudness * envelope * sample);
      }
      pos += pause;
    }
    normalizePeak(out, 0.5f);
    return out;
  }

  /**
   * Coloured Gaussian noise: white noise through a one-pole low-pass whose coefficient sets the
   * tilt ({@code 0} white, {@code 0.9} strongly low-pass). When {@code slowlyVarying} is set
   * the level follows a 0.3 Hz sinusoid between −6 and +6 dB around the mean.
   */
  public static float[] noise(
      int sampleRate, double seconds, double lowpass, boolean slowlyVarying, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int n = (int) Math.round(seconds * sampleRate);
    float[] out = new float[n];
    double state = 0;
    for (int i = 0; i < n; i++) {
      double white = gaussian(rnd);
      state = lowpass * state + (1 - lowpass) * white;
      double level = slowlyVarying
          ? Math.pow(10, 6 * Math.sin(2 * Math.PI * 0.3 * i / sampleRate) / 20) : 1.0;
      out[i] = (float) (state * level);
    }
    return out;
  }

  /** {@code speech + g·noise} with g chosen so the mixture has the given SNR in dB. */
  public static float[] mix(float[] speech, float[] noise, double snrDb) {
    if (speech.length != noise.length) {
      throw new IllegalArgumentException(
          "length mismatch: speech=" + speech.length + " noise=" + noise.length);
    }
    double ps = energy(speech);
    double pn = energy(noise);
    double g = Math.sqrt(ps / (pn * Math.pow(10, snrDb / 10)));
    float[] out = new float[speech.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (speech[i] + g * noise[i]);
    }
    return out;
  }

  /** Sum of squares. */
  public static double energy(float[] x) {
    double e = 0;
    for (float v : x) {
      e += (double) v * v;
    }
    return e;
  }

  /** Box–Muller from two uniforms, so the sequence depends only on the generator's doubles. */
  public static double gaussian(SplittableRandom rnd) {
    double u1 = rnd.nextDouble();
    double u2 = rnd.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  }

  private static void normalizePeak(float[] x, float peak) {
    float max = 0;
    for (float v : x) {
      max = Math.max(max, Math.abs(v));
    }
    if (max > 0) {
      for (int i = 0; i < x.length; i++) {
        x[i] *= peak / max;
      }
    }
  }
}
