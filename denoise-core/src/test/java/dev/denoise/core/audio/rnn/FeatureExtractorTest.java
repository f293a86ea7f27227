package dev.denoise.core.audio.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoise.core.audio.SpeechLikeSignal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FeatureExtractorTest {
  private static final int HOP = FeatureExtractor.HOP;
  private static final int RATE = FeatureExtractor.SAMPLE_RATE;

  /** Harmonics 1..n of f0 with amplitude 1/h and seeded phases, peak below 1. */
  static float[] harmonic(double f0, int harmonics, double seconds) {
    int n = (int) (seconds * RATE);
    float[] x = new float[n];
    for (int h = 1; h <= harmonics && h * f0 < 0.45 * RATE; h++) {
      double phase = 0.7 * h * h;
      for (int i = 0; i < n; i++) {
        x[i] += (float) (0.2 / h * Math.sin(2 * Math.PI * h * f0 * i / RATE + phase));
      }
    }
    return x;
  }

  static float[] tone(double f, double amplitude, double seconds) {
    float[] x = new float[(int) (seconds * RATE)];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (amplitude * Math.sin(2 * Math.PI * f * i / RATE));
    }
    return x;
  }

  /** Runs all whole hops of {@code x} through {@code e}. */
  static void feed(FeatureExtractor e, float[] x) {
    for (int off = 0; off + HOP <= x.length; off += HOP) {
      e.process(x, off);
    }
  }

  @ParameterizedTest
  @ValueSource(doubles = {62, 80, 100, 123, 150, 180, 220, 300, 380, 450})
  void pitchOfAHarmonicSignalIsWithinTwoPercent(double f0) {
    FeatureExtractor e = new FeatureExtractor();
    float[] x = harmonic(f0, 12, 0.5);
    int frames = 0;
    for (int off = 0; off + HOP <= x.length; off += HOP) {
      e.process(x, off);
      frames++;
      if (frames > 5) {
        double hz = (double) RATE / e.pitchLag();
        assertEquals(f0, hz, 0.02 * f0, "frame " + frames + " lag " + e.pitchLag());
        assertTrue(e.pitchGain() > 0.95, "pitch gain " + e.pitchGain());
      }
    }
  }

  @Test
  void pitchOfA150HzHarmonicSignalWithoutItsFundamental() {
    // Harmonics 2..12 only: the period is still 1/150 s (the "missing fundamental").
    float[] x = harmonic(150, 12, 0.5);
    float[] fundamental = tone(150, 0.2, 0.5);
    for (int i = 0; i < x.length; i++) {
      x[i] -= (float) (0.2 * Math.sin(2 * Math.PI * 150 * i / RATE + 0.7));
    }
    assertTrue(SpeechLikeSignal.energy(fundamental) > 0);
    FeatureExtractor e = new FeatureExtractor();
    feed(e, x);
    assertEquals(150, (double) RATE / e.pitchLag(), 3, "lag " + e.pitchLag());
  }

  @Test
  void silenceGivesTheFloorEnergiesAndZeroDynamics() {
    FeatureExtractor e = new FeatureExtractor();
    feed(e, new float[20 * HOP]);
    float floorLog = (float) Math.log10(FeatureExtractor.ENERGY_FLOOR);
    for (int b = 0; b < FeatureExtractor.BANDS; b++) {
      assertEquals(floorLog, e.logBandEnergy()[b], 1e-6f, "band " + b);
      assertEquals(0f, e.bandEnergy()[b], "band " + b);
      assertEquals(0f, e.pitchCorrelation()[b], "band " + b);
    }
    float[] f = e.features();
    // The orthonormal DCT of a constant vector: sqrt(22)·value in c0, 0 elsewhere.
    assertEquals(Math.sqrt(22) * floorLog, f[FeatureExtractor.CEPSTRUM], 1e-4);
    for (int i = 1; i < FeatureExtractor.BANDS; i++) {
      assertEquals(0f, f[FeatureExtractor.CEPSTRUM + i], 1e-4f, "c" + i);
    }
    for (int i = FeatureExtractor.DELTA; i < FeatureExtractor.PITCH_PERIOD; i++) {
      assertEquals(0f, f[i], 1e-6f, "feature " + i);
    }
    assertEquals(0f, f[FeatureExtractor.NON_STATIONARITY], 1e-6f);
    assertEquals(0f, e.framePower());
  }

  @ParameterizedTest
  @ValueSource(doubles = {250, 440, 1000, 2200, 3000})
  void aPureToneIsPitchCorrelatedInItsBand(double f) {
    FeatureExtractor e = new FeatureExtractor();
    feed(e, tone(f, 0.3, 0.3));
    BandLayout bands = e.bands();
    int bin = (int) Math.round(f / ((double) RATE / FeatureExtractor.FFT_SIZE));
    int band = 0;
    for (int b = 0; b < bands.bandCount(); b++) {
      if (bands.weight(b, bin) > bands.weight(band, bin)) {
        band = b;
      }
    }
    float rho = e.pitchCorrelation()[band];
    assertTrue(rho > 0.95, String.format("tone %.0f Hz: band %d correlation %.4f, lag %d", f,
        band, rho, e.pitchLag()));
    // The lag is a whole number of periods.
    double periods = e.pitchLag() * f / RATE;
    assertEquals(Math.round(periods), periods, 0.05, "lag " + e.pitchLag());
  }

  @Test
  void whiteNoiseIsNotPitchCorrelatedAndHasFlatBandEnergies() {
    float[] noise = SpeechLikeSignal.noise(RATE, 1, 0, false, 5);
    FeatureExtractor e = new FeatureExtractor();
    double[] meanCorrelation = new double[FeatureExtractor.BANDS];
    double[] meanEnergy = new double[FeatureExtractor.BANDS];
    int frames = 0;
    for (int off = 0; off + HOP <= noise.length; off += HOP) {
      e.process(noise, off);
      if (off >= 4 * HOP) {
        frames++;
        for (int b = 0; b < FeatureExtractor.BANDS; b++) {
          meanCorrelation[b] += e.pitchCorrelation()[b];
          meanEnergy[b] += e.bandEnergy()[b];
        }
      }
    }
    double variance = SpeechLikeSignal.energy(noise) / noise.length;
    BandLayout bands = e.bands();
    double binHz = (double) RATE / FeatureExtractor.FFT_SIZE;
    for (int b = 0; b < FeatureExtractor.BANDS; b++) {
      // The lag is the one that best correlates the noise below 2.5 kHz (the pitch search's
      // low-pass), so the bands there keep a bias of about 0.2-0.35; above, it averages out.
      double limit = bands.centreBin(b) * binHz < 2400 ? 0.4 : 0.1;
      assertTrue(Math.abs(meanCorrelation[b] / frames) < limit,
          "band " + b + " mean correlation " + meanCorrelation[b] / frames);
      assertEquals(1, meanEnergy[b] / frames / variance, 0.25, "band " + b + " energy/variance");
    }
  }

  @Test
  void featuresOfSpeechAreFiniteDeterministicAndResetRestarts() {
    float[] x = SpeechLikeSignal.mix(SpeechLikeSignal.speech(RATE, 2, 11),
        SpeechLikeSignal.noise(RATE, 2, 0.5, true, 12), 5);
    FeatureExtractor a = new FeatureExtractor();
    FeatureExtractor b = new FeatureExtractor();
    float[][] first = new float[x.length / HOP][];
    for (int t = 0; t < first.length; t++) {
      a.process(x, t * HOP);
      b.process(x, t * HOP);
      first[t] = a.features().clone();
      assertArrayEquals(first[t], b.features(), "frame " + t);
      for (int i = 0; i < FeatureExtractor.FEATURE_COUNT; i++) {
        assertTrue(Float.isFinite(first[t][i]), "frame " + t + " feature " + i);
      }
    }
    a.reset();
    for (int t = 0; t < first.length; t++) {
      a.process(x, t * HOP);
      assertArrayEquals(first[t], a.features(), "frame " + t + " after reset");
    }
  }

  /**
   * Golden frame: the features of frame 60 of a seeded speech-like mixture. If this fails, the
   * features changed: bump FEATURE_VERSION, re-dump training data, retrain, then update these.
   */
  @Test
  void goldenFrame() {
    float[] x = SpeechLikeSignal.mix(SpeechLikeSignal.speech(RATE, 1, 2026),
        SpeechLikeSignal.noise(RATE, 1, 0.3, false, 2027), 10);
    FeatureExtractor e = new FeatureExtractor();
    for (int t = 0; t <= 60; t++) {
      e.process(x, t * HOP);
    }
    float[] golden = {
      -15.82986f, 0.1486963f, -0.87593365f, 0.23282981f, -0.043470502f, -0.10187268f,
      -0.15934277f, 0.07768631f, 0.16999984f, 0.03780198f, 0.030355155f, 0.03779733f,
      0.106882334f, 0.050149143f, 0.14528328f, 0.17696398f, 0.17755407f, 0.16166636f,
      0.124708146f, 0.020568296f, 0.04810524f, -0.08865907f, -1.7832861f, -1.7038674f,
      -0.5964951f, 0.34917057f, 0.46805924f, 0.573925f, 0.41481876f, 0.18530154f,
      -0.2670024f, 0.52847326f, 0.6300964f, -0.14747477f, 0.8022977f, 0.45404646f,
      -0.12465729f, 0.034073643f, 0.49560446f, 0.16867909f, 0.12f, 1.6655166f
    };
    assertEquals(312, e.pitchLag());
    // Tolerance covers Math.sin/log10 differing by an ulp between JVMs, not a feature change.
    assertArrayEquals(golden, e.features(), 2e-3f);
  }

  @Test
  void cepstrumIsTheOrthonormalDctOfTheLogBandEnergies() {
    float[][] dct = FeatureExtractor.orthonormalDct(FeatureExtractor.BANDS);
    for (int i = 0; i < dct.length; i++) {
      for (int j = 0; j < dct.length; j++) {
        double dot = 0;
        for (int b = 0; b < dct.length; b++) {
          dot += (double) dct[i][b] * dct[j][b];
        }
        assertEquals(i == j ? 1 : 0, dot, 1e-5, "rows " + i + ", " + j);
      }
    }
    FeatureExtractor e = new FeatureExtractor();
    feed(e, SpeechLikeSignal.speech(RATE, 0.5, 4));
    float[] log = e.logBandEnergy();
    for (int i = 0; i < FeatureExtractor.BANDS; i++) {
      double c = 0;
      for (int b = 0; b < FeatureExtractor.BANDS; b++) {
        c += dct[i][b] * log[b];
      }
      assertEquals(c, e.features()[FeatureExtractor.CEPSTRUM + i], 1e-4, "c" + i);
    }
  }
}
