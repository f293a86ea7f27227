package dev.denoise.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoise.core.audio.SpeechLikeSignal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SiSdrTest {

  private static final int RATE = 16000;

  @ParameterizedTest(name = "gain {0}")
  @ValueSource(doubles = {1e-3, 0.25, 1, 4, 300, -1, -0.5})
  void scalingTheEstimateChangesNothing(double gain) {
    float[] s = SpeechLikeSignal.speech(RATE, 1, 1);
    float[] est = SpeechLikeSignal.mix(s, SpeechLikeSignal.noise(RATE, 1, 0.5, false, 2), 7);
    float[] scaled = new float[est.length];
    for (int i = 0; i < est.length; i++) {
      scaled[i] = (float) (gain * est[i]);
    }
    assertEquals(SiSdr.db(s, est), SiSdr.db(s, scaled), 1e-4);
  }

  @ParameterizedTest(name = "{0} dB")
  @ValueSource(doubles = {-10, -3, 0, 12.5, 30})
  void targetPlusOrthogonalNoiseOfKnownPowerGivesThatRatio(double sdrDb) {
    double[] s = zeroMean(SpeechLikeSignal.speech(RATE, 1, 3));
    double[] n = zeroMean(SpeechLikeSignal.noise(RATE, 1, 0, false, 4));
    // Remove the part of n along s, then set its power to ‖s‖² / 10^(sdr/10).
    double proj = dot(n, s) / dot(s, s);
    for (int i = 0; i < n.length; i++) {
      n[i] -= proj * s[i];
    }
    double g = Math.sqrt(dot(s, s) / dot(n, n) / Math.pow(10, sdrDb / 10));
    float[] reference = new float[s.length];
    float[] estimate = new float[s.length];
    for (int i = 0; i < s.length; i++) {
      reference[i] = (float) s[i];
      // A DC offset on the estimate must not matter either: both are made zero-mean.
      estimate[i] = (float) (0.6 * s[i] + 0.6 * g * n[i] + 0.05);
    }
    assertEquals(sdrDb, SiSdr.db(reference, estimate), 0.01);
  }

  @Test
  void exactCopyIsInfiniteAndOrthogonalOrSilentEstimateIsMinusInfinite() {
    float[] s = SpeechLikeSignal.speech(RATE, 0.5, 5);
    assertEquals(Double.POSITIVE_INFINITY, SiSdr.db(s, s.clone()));
    assertEquals(Double.NEGATIVE_INFINITY, SiSdr.db(s, new float[s.length]));
    float[] a = {1, -1, 1, -1};
    float[] b = {1, 1, -1, -1};
    assertEquals(Double.NEGATIVE_INFINITY, SiSdr.db(a, b));
  }

  @Test
  void tracksSnrForIndependentNoise() {
    float[] s = SpeechLikeSignal.speech(RATE, 2, 6);
    float[] noise = SpeechLikeSignal.noise(RATE, 2, 0.9, true, 7);
    for (double snr = -5; snr <= 20; snr += 5) {
      float[] est = SpeechLikeSignal.mix(s, noise, snr);
      assertEquals(snr, SiSdr.db(s, est), 0.5, "mixture at " + snr + " dB");
    }
  }

  @Test
  void rejectsMismatchedLengthsAndSilentReference() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SiSdr.db(new float[10], new float[11]));
    assertTrue(e.getMessage().contains("reference=10") && e.getMessage().contains("estimate=11"),
        e.getMessage());
    float[] dc = {0.5f, 0.5f, 0.5f};
    assertThrows(IllegalArgumentException.class, () -> SiSdr.db(dc, new float[] {1, 2, 3}));
  }

  private static double[] zeroMean(float[] x) {
    double mean = 0;
    for (float v : x) {
      mean += v;
    }
    mean /= x.length;
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i] - mean;
    }
    return out;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
