package dev.denoise.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoise.core.Progress;
import dev.denoise.core.testing.FakeImageModel;
import dev.denoise.core.testing.TestImages;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class NeuralImageDenoiserTest {

  @Test
  void grayRunsAsEqualRgbChannelsAndAveragesTheOutput() {
    FakeImageModel model = new FakeImageModel(1, 2, 512);
    PlanarImage gray = TestImages.addGaussianNoise(TestImages.scene(40, 30, 1, 1), 20, 2);
    PlanarImage out = new NeuralImageDenoiser(model).denoise(gray, 20, 1, Progress.NONE);
    PlanarImage rgb = new PlanarImage(40, 30, new float[][] {gray.plane(0).clone(),
        gray.plane(0).clone(), gray.plane(0).clone()});
    PlanarImage expected = new NeuralImageDenoiser(new FakeImageModel(1, 2, 512))
        .denoise(rgb, 20, 1, Progress.NONE);
    assertEquals(1, out.channels());
    for (int i = 0; i < out.plane(0).length; i++) {
      assertEquals(expected.plane(0)[i], out.plane(0)[i], 1e-6f);
    }
  }

  @ParameterizedTest
  @CsvSource({"41,30", "40,29", "17,17", "1,8"})
  void oddSidesArePaddedToTheModelMultipleAndCroppedBack(int w, int h) {
    FakeImageModel model = new FakeImageModel(1, 4, 512);
    PlanarImage noisy = TestImages.addGaussianNoise(TestImages.scene(w, h, 3, 3), 15, 4);
    PlanarImage out = new NeuralImageDenoiser(model).denoise(noisy, 15, 1, Progress.NONE);
    assertEquals(w, out.width());
    assertEquals(h, out.height());
    assertEquals(0, model.lastWidth % 4);
    assertEquals(0, model.lastHeight % 4);
    // radius 1 rounds up to a 4-pixel mirrored border on each side
    assertTrue(model.lastWidth >= w + 8 && model.lastWidth < w + 8 + 4, "width " + model.lastWidth);
    assertTrue(model.lastHeight >= h + 8 && model.lastHeight < h + 8 + 4);
  }

  @Test
  void strengthBlendsBetweenInputAndModelOutput() {
    PlanarImage noisy = TestImages.addGaussianNoise(TestImages.scene(32, 24, 3, 5), 25, 6);
    NeuralImageDenoiser d = new NeuralImageDenoiser(new FakeImageModel(2, 2, 512));
    PlanarImage zero = d.denoise(noisy, 25, 0, Progress.NONE);
    PlanarImage one = d.denoise(noisy, 25, 1, Progress.NONE);
    PlanarImage half = d.denoise(noisy, 25, 0.5, Progress.NONE);
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < noisy.plane(c).length; i++) {
        assertEquals(noisy.plane(c)[i], zero.plane(c)[i], 0f);
        assertEquals(0.5f * (noisy.plane(c)[i] + one.plane(c)[i]), half.plane(c)[i], 1e-6f);
      }
    }
  }

  @Test
  void tiledEqualsWholeImageWithTheDenoisersHaloAndAlignment() {
    PlanarImage noisy = TestImages.addGaussianNoise(TestImages.scene(150, 97, 3, 7), 25, 8);
    NeuralImageDenoiser d = new NeuralImageDenoiser(new FakeImageModel(3, 2, 1024));
    PlanarImage whole = d.denoise(noisy, 25, 1, Progress.NONE);
    PlanarImage tiled = new ImageTiler(47, 16, d.halo(), d.alignment())
        .process(noisy, d, 25, 1, Progress.NONE);
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < whole.plane(c).length; i++) {
        assertEquals(whole.plane(c)[i], tiled.plane(c)[i], 1e-5f, "sample " + i);
      }
    }
  }

  @Test
  void onlyTheImagesBorderIsMirroredSoTilesCostLess() {
    FakeImageModel model = new FakeImageModel(3, 2, 1024);
    NeuralImageDenoiser d = new NeuralImageDenoiser(model);
    PlanarImage tile = TestImages.addGaussianNoise(TestImages.scene(51, 40, 3, 9), 25, 10);
    // radius 3 rounds up to a 4-pixel border; inside the image only the multiple of 2 is padded
    d.denoiseTile(tile, new TileEdges(false, false, false, false), 25, 1, Progress.NONE);
    assertEquals(52, model.lastWidth);
    assertEquals(40, model.lastHeight);
    d.denoiseTile(tile, new TileEdges(true, false, false, true), 25, 1, Progress.NONE);
    assertEquals(56, model.lastWidth);
    assertEquals(44, model.lastHeight);
    d.denoise(tile, 25, 1, Progress.NONE);
    assertEquals(60, model.lastWidth);
    assertEquals(48, model.lastHeight);

    PlanarImage noisy = TestImages.addGaussianNoise(TestImages.scene(300, 200, 3, 7), 25, 8);
    FakeImageModel counted = new FakeImageModel(3, 2, 1024);
    NeuralImageDenoiser tiledDenoiser = new NeuralImageDenoiser(counted);
    new ImageTiler(64, 16, tiledDenoiser.halo(), tiledDenoiser.alignment())
        .process(noisy, tiledDenoiser, 25, 1, Progress.NONE);
    // Each of the 4 x 6 tiles is at most (64 + 2 * halo 5 + 1)^2 = 75^2 pixels; mirroring
    // every side as well would add 8 pixels per axis.
    assertEquals(24, counted.calls);
    assertTrue(counted.pixels <= 24L * 76 * 76, "pixels " + counted.pixels);
  }

  @Test
  void bestTileHandsTheModelNoMorePixelsThanOtherSidesAndFitsItsLimit() {
    PlanarImage noisy = new PlanarImage(700, 430, 3);
    NeuralImageDenoiser chooser = new NeuralImageDenoiser(new FakeImageModel(3, 2, 256));
    int best = chooser.bestTile(700, 430, 16, 32);
    long bestPixels = modelPixels(noisy, best);
    for (int t : new int[] {32, 64, 100, 128, 180, 200, 230, 240}) {
      assertTrue(bestPixels <= modelPixels(noisy, t), "tile " + best + " vs " + t);
    }
    // The limit: no side over 256 ever reaches the fake model, which would throw.
    assertTrue(best + 2 * chooser.halo() <= 256 + 2, "tile " + best);
    assertThrows(IllegalArgumentException.class, () -> chooser.bestTile(700, 430, 16, 300));
  }

  private static long modelPixels(PlanarImage noisy, int tile) {
    FakeImageModel model = new FakeImageModel(3, 2, 256);
    NeuralImageDenoiser d = new NeuralImageDenoiser(model);
    new ImageTiler(tile, Math.min(16, tile / 2), d.halo(), d.alignment())
        .process(noisy, d, 25, 1, Progress.NONE);
    return model.pixels;
  }

  @Test
  void blendedNeuralTilesEqualTheWholeImage() {
    PlanarImage noisy = TestImages.addGaussianNoise(TestImages.scene(150, 97, 3, 7), 25, 8);
    NeuralImageDenoiser neural = new NeuralImageDenoiser(new FakeImageModel(3, 2, 1024));
    BlendedDenoiser d = new BlendedDenoiser(neural);
    PlanarImage whole = d.denoise(noisy, 25, 0.7, Progress.NONE);
    PlanarImage tiled = new ImageTiler(47, 16, neural.halo(), neural.alignment())
        .process(noisy, d, 25, 0.7, Progress.NONE);
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < whole.plane(c).length; i++) {
        assertEquals(whole.plane(c)[i], tiled.plane(c)[i], 1e-5f, "sample " + i);
      }
    }
  }

  @Test
  void unalignedTilesSeeAnotherGridPhaseWhichTheFakeModelShows() {
    PlanarImage noisy = TestImages.addGaussianNoise(TestImages.scene(150, 97, 3, 7), 25, 8);
    NeuralImageDenoiser d = new NeuralImageDenoiser(new FakeImageModel(3, 2, 1024));
    PlanarImage whole = d.denoise(noisy, 25, 1, Progress.NONE);
    PlanarImage tiled = new ImageTiler(47, 16, d.halo()).process(noisy, d, 25, 1, Progress.NONE);
    double maxDiff = 0;
    for (int i = 0; i < whole.plane(0).length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(whole.plane(0)[i] - tiled.plane(0)[i]));
    }
    assertTrue(maxDiff > 0.005, "without alignment the phase term must show: " + maxDiff);
  }

  @Test
  void refusesTilesLargerThanTheModelTakesAndBadInputs() {
    NeuralImageDenoiser d = new NeuralImageDenoiser(new FakeImageModel(1, 2, 64));
    IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
        () -> d.denoise(new PlanarImage(70, 20, 3), 10, 1, Progress.NONE));
    assertTrue(big.getMessage().contains("70x20"), big.getMessage());
    // 60 + 2 * 2 (radius 1 rounded to the multiple 2) is 64: still fits.
    d.denoise(new PlanarImage(60, 20, 3), 10, 1, Progress.NONE);
    assertThrows(IllegalArgumentException.class,
        () -> d.denoise(new PlanarImage(20, 20, 2), 10, 1, Progress.NONE));
    assertThrows(IllegalArgumentException.class,
        () -> d.denoise(new PlanarImage(20, 20, 3), Double.NaN, 1, Progress.NONE));
  }

  @Test
  void clampsSigmaToTheModelRangeAndCancelsBeforeRunning() {
    FakeImageModel model = new FakeImageModel(1, 2, 512);
    NeuralImageDenoiser d = new NeuralImageDenoiser(model);
    d.denoise(new PlanarImage(8, 8, 3), 200, 1, Progress.NONE);
    assertEquals(75, model.lastSigma255, 0);
    assertThrows(CancellationException.class, () -> d.denoise(new PlanarImage(8, 8, 3), 10, 1,
        f -> {
          throw new CancellationException();
        }));
    assertEquals(1, model.calls, "a cancelled call never reaches the model");
    d.close();
    assertTrue(model.closed);
  }
}
