package dev.denoise.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoise.core.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Oracle: scikit-image values in ssim-parity/reference.csv (tools/ssim_parity.py). */
class ImageMetricsTest {
  private static final Path PARITY = Path.of("src", "test", "resources", "ssim-parity");
  private static final double SSIM_TOLERANCE = 1e-3;

  @Test
  void syntheticPairsMatchScikitImage() throws IOException {
    int checked = 0;
    for (String[] row : rows()) {
      if (!row[1].equals("synthetic")) {
        continue;
      }
      PlanarImage ref = TestImages.read(PARITY.resolve(row[2]));
      PlanarImage test = TestImages.read(PARITY.resolve(row[3]));
      assertParity(row, ref, test);
      checked++;
    }
    assertEquals(3, checked);
  }

  @Test
  void benchmarkPairsWithIntegerDistortionsMatchScikitImage() throws IOException {
    TestImages.benchmark("BSD68");
    int checked = 0;
    for (String[] row : rows()) {
      if (!row[1].equals("bsd68")) {
        continue;
      }
      PlanarImage ref = TestImages.read(TestImages.BENCHMARK_ROOT.resolve(row[2]));
      PlanarImage test = row[4].equals("hashnoise") ? hashNoise(ref) : box3(ref);
      assertParity(row, ref, test);
      checked++;
    }
    assertEquals(8, checked);
  }

  @Test
  void identicalImagesScoreOneAndInfinity() {
    PlanarImage a = TestImages.scene(40, 30, 3, 5);
    assertEquals(1.0, ImageMetrics.ssim(a, a.copy(), 1.0), 1e-12);
    assertEquals(Double.POSITIVE_INFINITY, ImageMetrics.psnr(a, a.copy(), 1.0));
  }

  @Test
  void psnrOfAConstantOffsetIsExact() {
    PlanarImage a = new PlanarImage(20, 20, 1);
    PlanarImage b = a.copy();
    java.util.Arrays.fill(b.plane(0), 0.1f);
    assertEquals(20.0, ImageMetrics.psnr(a, b, 1.0), 1e-5);
  }

  @Test
  void rejectsMismatchedShapesAndTinyImages() {
    assertThrows(IllegalArgumentException.class,
        () -> ImageMetrics.ssim(new PlanarImage(20, 20, 1), new PlanarImage(20, 21, 1), 1));
    assertThrows(IllegalArgumentException.class,
        () -> ImageMetrics.ssim(new PlanarImage(10, 20, 1), new PlanarImage(10, 20, 1), 1));
  }

  @Test
  void reflectIsHalfSampleSymmetric() {
    int[] expected = {2, 1, 0, 0, 1, 2, 3, 3, 2, 1};
    for (int i = -3; i < 7; i++) {
      assertEquals(expected[i + 3], ImageMetrics.reflect(i, 4), "i=" + i);
    }
  }

  private static void assertParity(String[] row, PlanarImage ref, PlanarImage test) {
    double psnr = ImageMetrics.psnr(ref, test, 1.0);
    double ssim = ImageMetrics.ssim(ref, test, 1.0);
    assertEquals(Double.parseDouble(row[6]), psnr, 1e-4, row[0] + " PSNR");
    assertEquals(Double.parseDouble(row[7]), ssim, SSIM_TOLERANCE, row[0] + " SSIM");
    assertTrue(Math.abs(Double.parseDouble(row[7]) - ssim) < 1e-5, row[0] + " SSIM " + ssim);
  }

  private static List<String[]> rows() throws IOException {
    return Files.readAllLines(PARITY.resolve("reference.csv")).stream().skip(1)
        .map(line -> line.split(",", -1)).toList();
  }

  /** tools/ssim_parity.py hashnoise: integer offsets −30…30 from a hash of (x, y, c). */
  static PlanarImage hashNoise(PlanarImage clean) {
    PlanarImage out = clean.copy();
    int w = clean.width();
    for (int c = 0; c < out.channels(); c++) {
      float[] p = out.plane(c);
      for (int i = 0; i < p.length; i++) {
        long x = i % w;
        long y = i / w;
        long code = ((x * 73856093L) ^ (y * 19349663L) ^ (c * 83492791L)) & 0xFFFFFFFFL;
        int v = PixelConversions.to8Bit(p[i]) + (int) (code % 61) - 30;
        p[i] = PixelConversions.toFloat(Math.max(0, Math.min(255, v)));
      }
    }
    return out;
  }

  /** tools/ssim_parity.py box3: 3×3 integer mean, edge-clamped, floor division by 9. */
  static PlanarImage box3(PlanarImage clean) {
    int w = clean.width();
    int h = clean.height();
    PlanarImage out = new PlanarImage(w, h, clean.channels());
    for (int c = 0; c < clean.channels(); c++) {
      int[] v = PixelConversions.toGrayInts(clean, c);
      float[] o = out.plane(c);
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int s = 0;
          for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
              int yy = Math.max(0, Math.min(h - 1, y + dy));
              int xx = Math.max(0, Math.min(w - 1, x + dx));
              s += v[yy * w + xx];
            }
          }
          o[y * w + x] = PixelConversions.toFloat(s / 9);
        }
      }
    }
    return out;
  }
}
