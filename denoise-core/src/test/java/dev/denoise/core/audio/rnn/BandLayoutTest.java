package dev.denoise.core.audio.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class BandLayoutTest {

  @ParameterizedTest
  @CsvSource({"48000, 1024", "48000, 960", "48000, 2048", "44100, 1024", "48000, 4096"})
  void weightsOfEveryBinSumToOneAndBandsSumToBins(int rate, int fftSize) {
    BandLayout bands = BandLayout.rnnoise(rate, fftSize);
    assertEquals(22, bands.bandCount());
    assertEquals(fftSize / 2 + 1, bands.bins());
    assertEquals(0, bands.centreBin(0));
    for (int k = 0; k < bands.bins(); k++) {
      double sum = 0;
      int nonZero = 0;
      for (int b = 0; b < bands.bandCount(); b++) {
        float w = bands.weight(b, k);
        assertTrue(w >= 0 && w <= 1, "weight " + w + " of bin " + k + " in band " + b);
        sum += w;
        nonZero += w > 0 ? 1 : 0;
      }
      assertEquals(1.0, sum, 1e-6, "weights of bin " + k);
      assertTrue(nonZero >= 1 && nonZero <= 2, "bin " + k + " is in " + nonZero + " bands");
    }
    double widths = 0;
    for (int b = 0; b < bands.bandCount(); b++) {
      widths += bands.width(b);
      assertEquals(1f, bands.weight(b, bands.centreBin(b)), "band " + b + " peaks at its centre");
      if (b > 0) {
        assertTrue(bands.centreBin(b) > bands.centreBin(b - 1), "centres increase at " + b);
      }
    }
    assertEquals(bands.bins(), widths, 1e-3, "sum of all weights == bins");
  }

  @Test
  void rnnoiseCentresAt48kHzWith1024Bins() {
    BandLayout bands = BandLayout.rnnoise(48000, 1024);
    int[] centres = new int[22];
    for (int b = 0; b < 22; b++) {
      centres[b] = bands.centreBin(b);
    }
    // round(200 Hz * eband5ms / 46.875 Hz)
    assertEquals(Arrays.toString(new int[] {0, 4, 9, 13, 17, 21, 26, 30, 34, 43, 51, 60, 68, 85,
        102, 119, 145, 171, 205, 256, 333, 427}), Arrays.toString(centres));
  }

  @ParameterizedTest
  @CsvSource({"0", "0.001", "0.37", "1"})
  void flatBandGainsGiveTheSameGainOnEveryBin(float g) {
    BandLayout bands = BandLayout.rnnoise(48000, 1024);
    float[] perBand = new float[22];
    Arrays.fill(perBand, g);
    float[] perBin = new float[bands.bins()];
    bands.interpolate(perBand, perBin);
    for (int k = 0; k < perBin.length; k++) {
      assertEquals(g, perBin[k], 1e-6f * Math.max(g, 1e-3f), "bin " + k);
    }
  }

  @Test
  void averageOfAFlatSpectrumIsFlatAndInterpolationHitsTheCentres() {
    BandLayout bands = BandLayout.rnnoise(48000, 1024);
    float[] perBin = new float[bands.bins()];
    Arrays.fill(perBin, 2.5f);
    float[] perBand = new float[22];
    bands.average(perBin, perBand);
    for (int b = 0; b < 22; b++) {
      assertEquals(2.5f, perBand[b], 1e-5f, "band " + b);
    }
    SplittableRandom rnd = new SplittableRandom(3);
    for (int b = 0; b < 22; b++) {
      perBand[b] = (float) rnd.nextDouble();
    }
    bands.interpolate(perBand, perBin);
    for (int b = 0; b < 22; b++) {
      assertEquals(perBand[b], perBin[bands.centreBin(b)], 0f, "centre of band " + b);
    }
  }

  @Test
  void refusesLayoutsThatDoNotFit() {
    IllegalArgumentException aboveNyquist =
        assertThrows(IllegalArgumentException.class, () -> BandLayout.rnnoise(16000, 512));
    assertTrue(aboveNyquist.getMessage().contains("bins=257"), aboveNyquist.getMessage());
    IllegalArgumentException merged =
        assertThrows(IllegalArgumentException.class, () -> BandLayout.rnnoise(48000, 128));
    assertTrue(merged.getMessage().contains("previous"), merged.getMessage());
  }
}
