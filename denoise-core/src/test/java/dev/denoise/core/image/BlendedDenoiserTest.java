package dev.denoise.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoise.core.Progress;
import dev.denoise.core.testing.FakeImageDenoisers;
import dev.denoise.core.testing.TestImages;
import org.junit.jupiter.api.Test;

class BlendedDenoiserTest {

  /** Counts inner runs to show the cache works. */
  private static final class Counting implements ImageDenoiser {
    int runs;
    final ImageDenoiser inner = FakeImageDenoisers.boxMean(2);

    @Override
    public PlanarImage denoise(PlanarImage noisy, double sigma255, double strength,
        Progress progress) {
      runs++;
      return inner.denoise(noisy, sigma255, strength, progress);
    }

    @Override
    public String name() {
      return "counting";
    }
  }

  @Test
  void blendsLinearlyBetweenInputAndInnerOutput() {
    Counting counting = new Counting();
    BlendedDenoiser blend = new BlendedDenoiser(counting);
    PlanarImage noisy = TestImages.addGaussianNoise(TestImages.scene(40, 30, 3, 2), 20, 3);
    PlanarImage full = counting.inner.denoise(noisy, 20, 1, Progress.NONE);
    PlanarImage zero = blend.denoise(noisy, 20, 0, Progress.NONE);
    PlanarImage half = blend.denoise(noisy, 20, 0.5, Progress.NONE);
    PlanarImage one = blend.denoise(noisy, 20, 1, Progress.NONE);
    for (int i = 0; i < noisy.plane(1).length; i++) {
      assertEquals(noisy.plane(1)[i], zero.plane(1)[i], 0f);
      assertEquals(full.plane(1)[i], one.plane(1)[i], 1e-6f);
      assertEquals(0.5f * (noisy.plane(1)[i] + full.plane(1)[i]), half.plane(1)[i], 1e-6f);
    }
    assertEquals(1, counting.runs, "one inner run for three weights on one input");
  }

  @Test
  void sureChoosesABlendWeightWithTwoInnerRuns() {
    Counting counting = new Counting();
    PlanarImage clean = TestImages.scene(96, 96, 1, 4);
    PlanarImage noisy = TestImages.addGaussianNoise(clean, 30, 5);
    double[] weights = {0, 0.25, 0.5, 0.75, 1};
    var result = new MonteCarloSureCalibrator().calibrate(new BlendedDenoiser(counting), noisy,
        30, weights, Progress.NONE);
    assertEquals(2, counting.runs, "noisy and probed inputs, each once");
    assertTrue(result.bestStrength() >= 0.75, "heavy noise wants most of the smoothing");
  }
}
