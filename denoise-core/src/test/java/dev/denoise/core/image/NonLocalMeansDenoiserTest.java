package dev.denoise.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoise.core.Progress;
import dev.denoise.core.testing.TestImages;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class NonLocalMeansDenoiserTest {
  private final NonLocalMeansDenoiser nlm = new NonLocalMeansDenoiser();

  /** Oracle: the definition evaluated pixel by pixel, patch by patch. */
  @ParameterizedTest
  @ValueSource(ints = {1, 3})
  void matchesTheNaiveDefinition(int channels) {
    PlanarImage noisy = TestImages.addGaussianNoise(TestImages.scene(23, 17, channels, 4), 20, 9);
    NonLocalMeansDenoiser.Parameters p = new NonLocalMeansDenoiser.Parameters(1, 4, 9);
    PlanarImage fast = nlm.denoise(noisy, 20, p, Progress.NONE);
    PlanarImage slow = naive(noisy, 20, p);
    for (int c = 0; c < channels; c++) {
      for (int i = 0; i < fast.plane(c).length; i++) {
        assertEquals(slow.plane(c)[i], fast.plane(c)[i], 1e-5, "c=" + c + " i=" + i);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3})
  void gainsAtLeastSixDecibelsOnASyntheticSceneAtSigma25(int channels) {
    PlanarImage clean = TestImages.scene(96, 80, channels, 8);
    PlanarImage noisy = TestImages.addGaussianNoise(clean, 25, 2);
    PlanarImage out = nlm.denoise(noisy, 25, 1.0, Progress.NONE);
    double gain = ImageMetrics.psnr(clean, out, 1) - ImageMetrics.psnr(clean, noisy, 1);
    assertTrue(gain >= 6, "gain " + gain + " dB");
  }

  @Test
  void flatImageStaysFlatAndInputIsUntouched() {
    PlanarImage flat = new PlanarImage(30, 20, 3);
    for (int c = 0; c < 3; c++) {
      java.util.Arrays.fill(flat.plane(c), 0.25f + 0.25f * c);
    }
    PlanarImage before = flat.copy();
    PlanarImage out = nlm.denoise(flat, 15, 1.0, Progress.NONE);
    for (int c = 0; c < 3; c++) {
      for (float v : out.plane(c)) {
        assertEquals(0.25f + 0.25f * c, v, 1e-6);
      }
      assertEquals(0, java.util.Arrays.compare(before.plane(c), flat.plane(c)));
    }
  }

  @Test
  void parametersFollowTheIpolTableWithThePixelwiseGain() {
    assertEquals(new NonLocalMeansDenoiser.Parameters(1, 10, 0.4 * 2.0 * 10),
        NonLocalMeansDenoiser.parameters(10, 1, 1));
    assertEquals(new NonLocalMeansDenoiser.Parameters(3, 17, 0.35 * 1.25 * 40 * 2),
        NonLocalMeansDenoiser.parameters(40, 2, 1));
    assertEquals(new NonLocalMeansDenoiser.Parameters(2, 17, 0.4 * 1.1 * 30 * 0.5),
        NonLocalMeansDenoiser.parameters(30, 0.5, 3));
    assertThrows(IllegalArgumentException.class,
        () -> NonLocalMeansDenoiser.parameters(10, 0, 1));
  }

  @Test
  void cancellationFromProgressPropagates() {
    PlanarImage noisy = TestImages.scene(40, 40, 1, 1);
    assertThrows(CancellationException.class, () -> nlm.denoise(noisy, 25, 1, f -> {
      if (f > 0.1) {
        throw new CancellationException("stop");
      }
    }));
  }

  /** Pinned: BSD68 test009/test035 at σ = 25 (seeded noise), measured 27.51 / 26.72 dB. */
  @Test
  void bsd68QualityIsPinned() {
    List<Path> files = TestImages.benchmark("BSD68");
    double[] pinned = {PINNED_TEST009, PINNED_TEST035};
    String[] names = {"test009.png", "test035.png"};
    for (int k = 0; k < names.length; k++) {
      Path file = files.get(0).resolveSibling(names[k]);
      PlanarImage clean = TestImages.read(file);
      PlanarImage out = nlm.denoise(TestImages.addGaussianNoise(clean, 25, 25), 25, 1.0,
          Progress.NONE);
      assertEquals(pinned[k], ImageMetrics.psnr(clean, out, 1), 0.05, names[k]);
    }
  }

  private static final double PINNED_TEST009 = 27.511;
  private static final double PINNED_TEST035 = 26.722;

  private static PlanarImage naive(PlanarImage img, double sigma255,
      NonLocalMeansDenoiser.Parameters p) {
    int w = img.width();
    int h = img.height();
    int r = p.patchRadius();
    int s = p.searchRadius();
    double sigma2 = Math.pow(sigma255 / 255, 2);
    double hh = Math.pow(p.h255() / 255, 2);
    PlanarImage out = new PlanarImage(w, h, img.channels());
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double[] acc = new double[img.channels()];
        double sum = 0;
        double max = 0;
        for (int dy = -s; dy <= s; dy++) {
          for (int dx = -s; dx <= s; dx++) {
            if (dx == 0 && dy == 0) {
              continue;
            }
            double d = 0;
            for (int c = 0; c < img.channels(); c++) {
              for (int py = -r; py <= r; py++) {
                for (int px = -r; px <= r; px++) {
                  double a = at(img, c, x + px, y + py);
                  double b = at(img, c, x + dx + px, y + dy + py);
                  d += (a - b) * (a - b);
                }
              }
            }
            d /= (2 * r + 1) * (2 * r + 1) * img.channels();
            double wgt = Math.exp(-Math.max(d - 2 * sigma2, 0) / hh);
            sum += wgt;
            max = Math.max(max, wgt);
            for (int c = 0; c < img.channels(); c++) {
              acc[c] += wgt * at(img, c, x + dx, y + dy);
            }
          }
        }
        for (int c = 0; c < img.channels(); c++) {
          out.set(c, x, y, (float) ((acc[c] + max * img.get(c, x, y)) / (sum + max)));
        }
      }
    }
    return out;
  }

  private static double at(PlanarImage img, int c, int x, int y) {
    return img.get(c, ImageMetrics.reflect(x, img.width()), ImageMetrics.reflect(y, img.height()));
  }
}
