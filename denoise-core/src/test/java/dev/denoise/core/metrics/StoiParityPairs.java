package dev.denoise.core.metrics;

import dev.denoise.core.audio.SpeechLikeSignal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Deterministic clean/degraded pairs on which Java STOI is compared with pystoi. Each pair is
 * rebuilt from its name's recipe and its seed (speech from {@code seed}, noise from
 * {@code seed + 1000}); {@link #sha256} fingerprints the float32 samples so a stale reference
 * table is detected. Regenerate the reference with {@code tools/stoi-parity.sh}.
 */
final class StoiParityPairs {
  private StoiParityPairs() {}

  /** One clean/degraded pair at one sample rate. */
  record Pair(String name, long seed, int sampleRateHz, float[] clean, float[] degraded) {}

  /** Noise colour: the one-pole low-pass coefficient of {@link SpeechLikeSignal#noise}. */
  private static final double WHITE = 0;
  private static final double PINKISH = 0.9;
  private static final double BROWNISH = 0.97;

  static List<Pair> all() {
    List<Pair> pairs = new ArrayList<>();
    // 16 kHz: additive noise over the SNR range, several colours, stationary and varying.
    pairs.add(identical("identical_16k", 101, 16000));
    pairs.add(scaled("scaled_0.3_16k", 102, 16000, 0.3f));
    pairs.add(noisy("white_-5dB_16k", 103, 16000, WHITE, false, -5));
    pairs.add(noisy("white_0dB_16k", 104, 16000, WHITE, false, 0));
    pairs.add(noisy("white_5dB_16k", 105, 16000, WHITE, false, 5));
    pairs.add(noisy("white_10dB_16k", 106, 16000, WHITE, false, 10));
    pairs.add(noisy("white_20dB_16k", 107, 16000, WHITE, false, 20));
    pairs.add(noisy("pinkish_-5dB_16k", 108, 16000, PINKISH, false, -5));
    pairs.add(noisy("pinkish_5dB_16k", 109, 16000, PINKISH, false, 5));
    pairs.add(noisy("brownish_0dB_16k", 110, 16000, BROWNISH, false, 0));
    pairs.add(noisy("varying_white_0dB_16k", 111, 16000, WHITE, true, 0));
    pairs.add(noisy("varying_pinkish_10dB_16k", 112, 16000, PINKISH, true, 10));
    // 16 kHz: processed signals (low-pass, spectral gains, delay).
    pairs.add(lowpassed("lowpass_2k_16k", 113, 16000, 2000, Double.NaN));
    pairs.add(lowpassed("lowpass_1k_white_10dB_16k", 114, 16000, 1000, 10));
    pairs.add(spectral("wiener_white_0dB_16k", 115, 16000, WHITE, 0, true));
    pairs.add(spectral("specsub_pinkish_5dB_16k", 116, 16000, PINKISH, 5, false));
    pairs.add(spectral("specsub_white_-5dB_16k", 117, 16000, WHITE, -5, false));
    pairs.add(delayed("delay_5ms_white_15dB_16k", 118, 16000, 80, 15));
    // Other rates exercise the 10 kHz resampling.
    pairs.add(identical("identical_8k", 201, 8000));
    pairs.add(noisy("white_0dB_8k", 202, 8000, WHITE, false, 0));
    pairs.add(noisy("varying_pinkish_5dB_8k", 203, 8000, PINKISH, true, 5));
    pairs.add(lowpassed("lowpass_1.5k_8k", 204, 8000, 1500, Double.NaN));
    pairs.add(identical("identical_48k", 301, 48000));
    pairs.add(noisy("white_5dB_48k", 302, 48000, WHITE, false, 5));
    pairs.add(noisy("varying_white_-5dB_48k", 303, 48000, WHITE, true, -5));
    pairs.add(spectral("wiener_pinkish_0dB_48k", 304, 48000, PINKISH, 0, true));
    pairs.add(noisy("pinkish_10dB_44k", 401, 44100, PINKISH, false, 10));
    pairs.add(noisy("white_0dB_22k", 402, 22050, WHITE, false, 0));
    pairs.add(noisy("brownish_-5dB_32k", 403, 32000, BROWNISH, false, -5));
    return pairs;
  }

  /** Signal length: 3 s up to 16 kHz, 2 s above, to keep generation quick. */
  private static double seconds(int rate) {
    return rate <= 16000 ? 3.0 : 2.0;
  }

  private static float[] speech(long seed, int rate) {
    return SpeechLikeSignal.speech(rate, seconds(rate), seed);
  }

  private static float[] noise(long seed, int rate, double colour, boolean varying) {
    return SpeechLikeSignal.noise(rate, seconds(rate), colour, varying, seed + 1000);
  }

  private static Pair identical(String name, long seed, int rate) {
    float[] s = speech(seed, rate);
    return new Pair(name, seed, rate, s, s.clone());
  }

  private static Pair scaled(String name, long seed, int rate, float gain) {
    float[] s = speech(seed, rate);
    float[] d = new float[s.length];
    for (int i = 0; i < s.length; i++) {
      d[i] = gain * s[i];
    }
    return new Pair(name, seed, rate, s, d);
  }

  private static Pair noisy(
      String name, long seed, int rate, double colour, boolean varying, double snrDb) {
    float[] s = speech(seed, rate);
    return new Pair(name, seed, rate, s,
        SpeechLikeSignal.mix(s, noise(seed, rate, colour, varying), snrDb));
  }

  /** Clean, or white noise at {@code snrDb} when it is a number, through an FIR low-pass. */
  private static Pair lowpassed(String name, long seed, int rate, double cutoffHz, double snrDb) {
    float[] s = speech(seed, rate);
    float[] in = Double.isNaN(snrDb) ? s : SpeechLikeSignal.mix(s, noise(seed, rate, WHITE, false), snrDb);
    return new Pair(name, seed, rate, s, lowpass(in, rate, cutoffHz));
  }

  private static Pair delayed(String name, long seed, int rate, int delaySamples, double snrDb) {
    float[] s = speech(seed, rate);
    float[] noisy = SpeechLikeSignal.mix(s, noise(seed, rate, WHITE, false), snrDb);
    float[] d = new float[s.length];
    System.arraycopy(noisy, 0, d, delaySamples, s.length - delaySamples);
    return new Pair(name, seed, rate, s, d);
  }

  /**
   * Noisy speech enhanced in a 512-point STFT (periodic Hann, hop 256, overlap-add). Oracle
   * Wiener gain {@code |S|²/(|S|²+|N|²)} per frame when {@code wiener}, else power spectral
   * subtraction of the long-term noise spectrum; gains are floored at 0.1.
   */
  private static Pair spectral(
      String name, long seed, int rate, double colour, double snrDb, boolean wiener) {
    float[] s = speech(seed, rate);
    float[] n0 = noise(seed, rate, colour, false);
    float[] noisy = SpeechLikeSignal.mix(s, n0, snrDb);
    float[] n = new float[s.length];
    for (int i = 0; i < n.length; i++) {
      n[i] = noisy[i] - s[i];
    }
    int size = 512;
    int hop = size / 2;
    double[] window = new double[size];
    for (int i = 0; i < size; i++) {
      window[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / size);
    }
    DoubleFFT_1D fft = new DoubleFFT_1D(size);
    int frames = (s.length - size) / hop + 1;
    double[][] noisePower = new double[frames][];
    double[] meanNoise = new double[size / 2 + 1];
    for (int f = 0; f < frames; f++) {
      noisePower[f] = power(spectrum(fft, n, f * hop, window));
      for (int k = 0; k <= size / 2; k++) {
        meanNoise[k] += noisePower[f][k] / frames;
      }
    }
    double[] out = new double[s.length];
    for (int f = 0; f < frames; f++) {
      double[] y = spectrum(fft, noisy, f * hop, window);
      double[] py = power(y);
      double[] ps = power(spectrum(fft, s, f * hop, window));
      double[] gain = new double[size / 2 + 1];
      for (int k = 0; k <= size / 2; k++) {
        double g = wiener
            ? ps[k] / (ps[k] + noisePower[f][k] + 1e-20)
            : Math.sqrt(Math.max(0, 1 - meanNoise[k] / (py[k] + 1e-20)));
        gain[k] = Math.max(0.1, g);
      }
      y[0] *= gain[0];
      y[1] *= gain[size / 2];
      for (int k = 1; k < size / 2; k++) {
        y[2 * k] *= gain[k];
        y[2 * k + 1] *= gain[k];
      }
      fft.realInverse(y, true);
      for (int i = 0; i < size; i++) {
        out[f * hop + i] += y[i];
      }
    }
    float[] d = new float[s.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) out[i];
    }
    return new Pair(name, seed, rate, s, d);
  }

  private static double[] spectrum(DoubleFFT_1D fft, float[] x, int start, double[] window) {
    double[] buf = new double[window.length];
    for (int i = 0; i < window.length; i++) {
      buf[i] = window[i] * x[start + i];
    }
    fft.realForward(buf);
    return buf;
  }

  /** Bin powers 0..N/2 of a JTransforms-packed real spectrum. */
  private static double[] power(double[] packed) {
    int half = packed.length / 2;
    double[] p = new double[half + 1];
    p[0] = packed[0] * packed[0];
    p[half] = packed[1] * packed[1];
    for (int k = 1; k < half; k++) {
      p[k] = packed[2 * k] * packed[2 * k] + packed[2 * k + 1] * packed[2 * k + 1];
    }
    return p;
  }

  /** Zero-phase 201-tap Hamming-windowed-sinc low-pass. */
  private static float[] lowpass(float[] x, int rate, double cutoffHz) {
    int half = 100;
    double[] h = new double[2 * half + 1];
    double sum = 0;
    for (int k = -half; k <= half; k++) {
      double fc = cutoffHz / rate;
      double sinc = k == 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * k) / (Math.PI * k);
      h[k + half] = sinc * (0.54 + 0.46 * Math.cos(Math.PI * k / half));
      sum += h[k + half];
    }
    float[] y = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      double acc = 0;
      for (int k = -half; k <= half; k++) {
        int j = i - k;
        if (j >= 0 && j < x.length) {
          acc += h[k + half] / sum * x[j];
        }
      }
      y[i] = (float) acc;
    }
    return y;
  }

  /** Little-endian float32 bytes, as written to the {@code .f32} files. */
  static byte[] bytes(float[] x) {
    ByteBuffer b = ByteBuffer.allocate(4 * x.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(x);
    return b.array();
  }

  /** SHA-256 over the clean then the degraded float32 bytes, lower-case hex. */
  static String sha256(Pair p) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(bytes(p.clean()));
      md.update(bytes(p.degraded()));
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
