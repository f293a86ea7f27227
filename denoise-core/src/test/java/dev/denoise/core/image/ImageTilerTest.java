package dev.denoise.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoise.core.Progress;
import dev.denoise.core.testing.FakeImageDenoisers;
import dev.denoise.core.testing.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageTilerTest {

  @ParameterizedTest(name = "{0}x{1} tile={2} overlap={3}")
  @CsvSource({"500,300,256,32", "97,61,32,8", "20,300,64,16", "64,64,64,0", "700,40,128,64"})
  void blendWeightsSumToOneEverywhere(int w, int h, int tile, int overlap) {
    PlanarImage out = new ImageTiler(tile, overlap, 3).process(new PlanarImage(w, h, 2),
        FakeImageDenoisers.constant(1f), 10, 1, Progress.NONE);
    for (int c = 0; c < 2; c++) {
      for (float v : out.plane(c)) {
        assertEquals(1f, v, 1e-6f);
      }
    }
  }

  @Test
  void startsCoverTheAxisEvenlyWithAtLeastTheOverlap() {
    assertArrayEquals(new int[] {0}, ImageTiler.starts(200, 256, 32));
    int[] s = ImageTiler.starts(500, 256, 32);
    assertArrayEquals(new int[] {0, 122, 244}, s);
    for (int length : new int[] {257, 480, 481, 1000, 4000}) {
      int[] st = ImageTiler.starts(length, 256, 32);
      assertEquals(0, st[0]);
      assertEquals(length - 256, st[st.length - 1]);
      for (int k = 1; k < st.length; k++) {
        assertTrue(st[k - 1] + 256 - st[k] >= 32, "overlap at " + k + " for " + length);
      }
    }
  }

  @Test
  void localBoxOperatorTiledEqualsWholeImage() {
    PlanarImage img = TestImages.addGaussianNoise(TestImages.scene(150, 110, 3, 3), 20, 1);
    var box = FakeImageDenoisers.boxMean(2);
    PlanarImage whole = box.denoise(img, 20, 1, Progress.NONE);
    PlanarImage tiled = new ImageTiler(40, 10, 2).process(img, box, 20, 1, Progress.NONE);
    assertTrue(maxDiff(whole, tiled) <= 1e-6, "max diff " + maxDiff(whole, tiled));
  }

  @Test
  void nonLocalMeansTiledWithItsContextHaloEqualsWholeImage() {
    PlanarImage img = TestImages.addGaussianNoise(TestImages.scene(130, 100, 1, 6), 25, 2);
    var nlm = new NonLocalMeansDenoiser();
    int halo = NonLocalMeansDenoiser.parameters(25, 1, 1).contextRadius();
    PlanarImage whole = nlm.denoise(img, 25, 1, Progress.NONE);
    PlanarImage tiled = new ImageTiler(48, 12, halo).process(img, nlm, 25, 1, Progress.NONE);
    double diff = maxDiff(whole, tiled);
    assertTrue(diff <= 1e-4, "max diff " + diff);
  }

  /**
   * Seams: a denoiser that shifts each tile by its own constant would leave steps of up to the
   * bias difference at hard tile borders; blended, the step between neighbouring pixels is at
   * most about (π/2)·Δ/overlap, and no larger at tile borders than in the ramps' middle.
   */
  @Test
  void tileDependentBiasLeavesNoStepAtTileBorders() {
    PlanarImage img = TestImages.scene(300, 200, 1, 12);
    int tile = 64;
    int overlap = 32;
    PlanarImage out = new ImageTiler(tile, overlap, 0).process(img,
        FakeImageDenoisers.tileBiased(), 10, 1, Progress.NONE);
    PlanarImage bias = new PlanarImage(300, 200, 1);
    float[] o = out.plane(0);
    float[] in = img.plane(0);
    float[] b = bias.plane(0);
    double maxBias = 0;
    double minBias = 0;
    for (int i = 0; i < b.length; i++) {
      b[i] = o[i] - in[i];
      maxBias = Math.max(maxBias, b[i]);
      minBias = Math.min(minBias, b[i]);
    }
    double range = maxBias - minBias;
    assertTrue(range > 0.05, "the fake must produce differing biases, range " + range);
    double bound = Math.PI / 2 * range / overlap * 1.05 + 1e-6;
    for (int y = 0; y < 200; y++) {
      for (int x = 1; x < 300; x++) {
        double step = Math.abs(b[y * 300 + x] - b[y * 300 + x - 1]);
        assertTrue(step <= bound, "step " + step + " at x=" + x + " y=" + y + " bound " + bound);
      }
    }
    for (int y = 1; y < 200; y++) {
      for (int x = 0; x < 300; x++) {
        double step = Math.abs(b[y * 300 + x] - b[(y - 1) * 300 + x]);
        assertTrue(step <= bound, "step " + step + " at x=" + x + " y=" + y + " bound " + bound);
      }
    }
  }

  /** Without halo NL-means differs near tile borders, but blending hides it: no visible seam. */
  @Test
  void nonLocalMeansWithoutHaloShowsNoSeamAlongTileBorders() {
    int w = 160;
    int h = 120;
    PlanarImage img = TestImages.addGaussianNoise(TestImages.scene(w, h, 1, 21), 25, 4);
    var nlm = new NonLocalMeansDenoiser();
    PlanarImage whole = nlm.denoise(img, 25, 1, Progress.NONE);
    int tile = 48;
    int overlap = 16;
    PlanarImage tiled = new ImageTiler(tile, overlap, 0).process(img, nlm, 25, 1, Progress.NONE);
    int[] xs = ImageTiler.starts(w, tile, overlap);
    // Compare horizontal gradients of (tiled − whole) across core starts/ends with elsewhere.
    double border = 0;
    int nb = 0;
    double inside = 0;
    int ni = 0;
    boolean[] isBorder = new boolean[w];
    for (int s : xs) {
      for (int e : new int[] {s, s + tile}) {
        if (e > 0 && e < w) {
          isBorder[e] = true;
        }
      }
    }
    for (int y = 0; y < h; y++) {
      for (int x = 1; x < w; x++) {
        double d = Math.abs((tiled.get(0, x, y) - whole.get(0, x, y))
            - (tiled.get(0, x - 1, y) - whole.get(0, x - 1, y)));
        if (isBorder[x]) {
          border += d;
          nb++;
        } else {
          inside += d;
          ni++;
        }
      }
    }
    border /= nb;
    inside /= ni;
    assertTrue(border <= 2 * inside + 1e-4, "border step " + border + " vs inside " + inside);
  }

  @Test
  void twelveMegapixelsRunInASixtyFourMegabyteHeap() throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx64m", "-cp",
        System.getProperty("java.class.path"), TilerMemoryProbe.class.getName(), "4000", "3000"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int rc = p.waitFor();
    assertEquals(0, rc, output);
    assertTrue(output.startsWith("OK rows=3000"), output);
  }

  private static double maxDiff(PlanarImage a, PlanarImage b) {
    double m = 0;
    for (int c = 0; c < a.channels(); c++) {
      for (int i = 0; i < a.plane(c).length; i++) {
        m = Math.max(m, Math.abs(a.plane(c)[i] - b.plane(c)[i]));
      }
    }
    return m;
  }
}
