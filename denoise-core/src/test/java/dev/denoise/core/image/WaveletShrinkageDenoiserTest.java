package dev.denoise.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoise.core.Progress;
import dev.denoise.core.testing.TestImages;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WaveletShrinkageDenoiserTest {
  private final WaveletShrinkageDenoiser wavelet = new WaveletShrinkageDenoiser();

  /** Orthonormality (double-shift orthogonality, unit norm, sum √2) and 4 vanishing moments. */
  @Test
  void db4IsAnOrthonormalWaveletWithFourVanishingMoments() {
    double[] h = StationaryWavelet2d.DB4_LOW;
    double[] g = StationaryWavelet2d.DB4_HIGH;
    assertEquals(Math.sqrt(2), Arrays.stream(h).sum(), 1e-12);
    for (int shift = 0; shift < h.length; shift += 2) {
      double hh = 0;
      double hg = 0;
      for (int k = 0; k + shift < h.length; k++) {
        hh += h[k] * h[k + shift];
        hg += h[k] * g[k + shift] + g[k] * h[k + shift];
      }
      assertEquals(shift == 0 ? 1 : 0, hh, 1e-12, "shift " + shift);
      assertEquals(0, hg, 1e-12, "shift " + shift);
    }
    for (int p = 0; p < 4; p++) {
      double moment = 0;
      for (int k = 0; k < g.length; k++) {
        moment += Math.pow(k, p) * g[k];
      }
      assertEquals(0, moment, 1e-9, "moment " + p);
    }
  }

  @ParameterizedTest
  @CsvSource({"37,23,1", "64,64,3", "5,9,4", "1,12,2"})
  void synthesisInvertsAnalysisExactly(int w, int h, int levels) {
    SplittableRandom rnd = new SplittableRandom(w * 31L + h);
    float[] plane = new float[w * h];
    for (int i = 0; i < plane.length; i++) {
      plane[i] = (float) rnd.nextDouble();
    }
    StationaryWavelet2d swt = new StationaryWavelet2d(w, h);
    float[] approx = plane.clone();
    float[][][] d = new float[levels][3][w * h];
    for (int level = 1; level <= levels; level++) {
      float[] ll = new float[w * h];
      swt.analyse(approx, level, ll, d[level - 1][0], d[level - 1][1], d[level - 1][2]);
      approx = ll;
    }
    for (int level = levels; level >= 1; level--) {
      swt.synthesise(approx, d[level - 1][0], d[level - 1][1], d[level - 1][2], level, approx);
    }
    for (int i = 0; i < plane.length; i++) {
      assertEquals(plane[i], approx[i], 2e-6, "i=" + i);
    }
  }

  /** Unit-norm equivalent filters: white noise keeps its σ in every detail band. */
  @Test
  void whiteNoiseHasTheSameSigmaInEveryDetailBand() {
    int n = 256;
    PlanarImage flat = new PlanarImage(n, n, 1);
    float[] approx = TestImages.addGaussianNoise(flat, 255, 7).plane(0);
    StationaryWavelet2d swt = new StationaryWavelet2d(n, n);
    for (int level = 1; level <= 4; level++) {
      float[] ll = new float[n * n];
      float[][] d = {new float[n * n], new float[n * n], new float[n * n]};
      swt.analyse(approx, level, ll, d[0], d[1], d[2]);
      for (int b = 0; b < 3; b++) {
        double s = 0;
        for (float v : d[b]) {
          s += v * v;
        }
        assertEquals(1.0, Math.sqrt(s / d[b].length), 0.03, "level " + level + " band " + b);
      }
      approx = ll;
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3})
  void zeroStrengthReturnsTheInputThroughTheWholeTransform(int channels) {
    PlanarImage noisy = TestImages.addGaussianNoise(TestImages.scene(45, 31, channels, 3), 20, 4);
    PlanarImage out = wavelet.denoise(noisy, 20, 0, Progress.NONE);
    for (int c = 0; c < channels; c++) {
      for (int i = 0; i < noisy.plane(c).length; i++) {
        assertEquals(noisy.plane(c)[i], out.plane(c)[i], 1e-5, "c=" + c + " i=" + i);
      }
    }
  }

  @ParameterizedTest
  @CsvSource({"1,15,4.5", "1,25,5.5", "3,25,6.5", "1,50,7"})
  void raisesPsnrOnASyntheticScene(int channels, double sigma, double minGainDb) {
    PlanarImage clean = TestImages.scene(128, 96, channels, 8);
    PlanarImage noisy = TestImages.addGaussianNoise(clean, sigma, 2);
    PlanarImage before = noisy.copy();
    PlanarImage out = wavelet.denoise(noisy, sigma, 1.0, Progress.NONE);
    double gain = ImageMetrics.psnr(clean, out, 1) - ImageMetrics.psnr(clean, noisy, 1);
    assertTrue(gain >= minGainDb, "gain " + gain + " dB");
    for (int c = 0; c < channels; c++) {
      assertEquals(0, Arrays.compare(before.plane(c), noisy.plane(c)), "input modified");
    }
  }

  @Test
  void shrinkZeroesPureNoiseAndKeepsStrongCoefficientsMinusTheThreshold() {
    int w = 40;
    float[] band = new float[w * w];
    band[20 * w + 20] = 10f; // one strong coefficient inside a window of zeros
    float[] scratch = new float[band.length];
    double variance = 0.1;
    WaveletShrinkageDenoiser.shrink(band, w, w, variance, scratch);
    int side = 2 * WaveletShrinkageDenoiser.WINDOW_RADIUS + 1;
    double signal = 100.0 / (side * side) - variance;
    assertEquals(10 - variance / Math.sqrt(signal), band[20 * w + 20], 1e-4);
    assertEquals(0, band[0]);
    assertEquals(0, band[20 * w + 21]);
  }

  @Test
  void reflectionCoversAnyDistance() {
    int[] expected = {2, 1, 0, 1, 2, 3, 2, 1, 0, 1};
    for (int i = -2; i < 8; i++) {
      assertEquals(expected[i + 2], WaveletShrinkageDenoiser.reflect(i, 4), "i=" + i);
    }
    assertEquals(0, WaveletShrinkageDenoiser.reflect(-7, 1));
  }

  @Test
  void badArgumentsAndCancellation() {
    PlanarImage noisy = TestImages.scene(40, 40, 1, 1);
    assertThrows(IllegalArgumentException.class,
        () -> wavelet.denoise(noisy, -1, 1, Progress.NONE));
    assertThrows(IllegalArgumentException.class,
        () -> wavelet.denoise(noisy, 10, Double.NaN, Progress.NONE));
    assertThrows(CancellationException.class, () -> wavelet.denoise(noisy, 25, 1, f -> {
      if (f > 0.1) {
        throw new CancellationException("stop");
      }
    }));
  }
}
