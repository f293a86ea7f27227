package dev.denoise.core.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoise.core.audio.SpeechLikeSignal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StoiTest {

  @ParameterizedTest(name = "{0} Hz")
  @ValueSource(ints = {8000, 10000, 16000, 48000})
  void identicalSignalsScoreOne(int rate) {
    float[] s = SpeechLikeSignal.speech(rate, 1.5, 1);
    assertEquals(1.0, Stoi.compute(s, s.clone(), rate), 1e-9);
  }

  @Test
  void scoreFallsAsNoiseRises() {
    int rate = 16000;
    float[] s = SpeechLikeSignal.speech(rate, 2, 2);
    float[] noise = SpeechLikeSignal.noise(rate, 2, 0, false, 3);
    double previous = 1.0;
    for (double snr = 20; snr >= -10; snr -= 5) {
      double stoi = Stoi.compute(s, SpeechLikeSignal.mix(s, noise, snr), rate);
      assertTrue(stoi < previous, "STOI " + stoi + " at " + snr + " dB not below " + previous);
      assertTrue(stoi > 0.3, "STOI " + stoi + " at " + snr + " dB");
      previous = stoi;
    }
  }

  @Test
  void levelOfEitherSignalDoesNotMatter() {
    int rate = 16000;
    float[] s = SpeechLikeSignal.speech(rate, 1.5, 4);
    float[] y = SpeechLikeSignal.mix(s, SpeechLikeSignal.noise(rate, 1.5, 0.9, true, 5), 3);
    double reference = Stoi.compute(s, y, rate);
    assertEquals(reference, Stoi.compute(scale(s, 0.01f), y, rate), 1e-9);
    assertEquals(reference, Stoi.compute(s, scale(y, 8f), rate), 1e-9);
  }

  @Test
  void bandsMatchThePystoiThirdOctaveMatrix() {
    // Non-zero columns of pystoi.utils.thirdoct(10000, 512, 15, 150), end exclusive.
    int[][] expected = {
      {7, 9}, {9, 11}, {11, 14}, {14, 17}, {17, 22}, {22, 27}, {27, 34}, {34, 43}, {43, 55},
      {55, 69}, {69, 87}, {87, 109}, {109, 138}, {138, 174}, {174, 219}
    };
    int[][] bins = Stoi.bandBins();
    assertEquals(expected.length, bins.length);
    for (int b = 0; b < expected.length; b++) {
      assertArrayEquals(expected[b], bins[b], "band " + b);
    }
  }

  @Test
  void octaveFilterHasTheDocumentedLengthAndGain() {
    // 16 kHz -> 10 kHz is 5/8: L = ceil(52 / (28.714 / 160)) = 290 taps each side.
    double[] h = OctaveResampling.filter(5, 8);
    assertEquals(581, h.length);
    double sum = 0;
    for (double v : h) {
      sum += v;
    }
    assertEquals(5, sum, 1e-12);
    double[] x = new double[1601];
    for (int i = 0; i < x.length; i++) {
      x[i] = Math.sin(2 * Math.PI * 500 * i / 16000.0);
    }
    double[] y = OctaveResampling.resample(x, 16000, 10000);
    assertEquals(1001, y.length, "ceil(n * 5 / 8)");
    for (int k = 300; k < 700; k++) {
      assertEquals(Math.sin(2 * Math.PI * 500 * k / 10000.0), y[k], 1e-3, "sample " + k);
    }
  }

  @Test
  void tooLittleSpeechGivesThePystoiSentinel() {
    float[] s = SpeechLikeSignal.speech(10000, 0.3, 6);
    assertEquals(Stoi.TOO_SHORT, Stoi.compute(s, s, 10000));
    assertEquals(Stoi.TOO_SHORT, Stoi.compute(new float[100], new float[100], 16000));
  }

  @Test
  void rejectsMismatchedLengthsNamingBoth() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Stoi.compute(new float[16000], new float[15999], 16000));
    assertTrue(e.getMessage().contains("clean=16000") && e.getMessage().contains("degraded=15999"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Stoi.compute(new float[10], new float[10], -1));
  }

  private static float[] scale(float[] x, float g) {
    float[] y = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = g * x[i];
    }
    return y;
  }
}
