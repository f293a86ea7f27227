package dev.denoise.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ColorConversionsTest {

  @Test
  void everyEightBitRgbTripleSurvivesYCbCrAndBack() {
    int[] argb = new int[1 << 16];
    int[] back = new int[argb.length];
    for (int red = 0; red < 256; red++) {
      for (int i = 0; i < argb.length; i++) {
        argb[i] = 0xff000000 | red << 16 | i;
      }
      PlanarImage rgb = PixelConversions.fromArgb(argb, 256, 256);
      PlanarImage again = ColorConversions.yCbCrToRgb(ColorConversions.rgbToYCbCr(rgb));
      PixelConversions.toArgb(again, null, back);
      assertArrayEquals(argb, back, "red=" + red);
    }
  }

  @Test
  void matchesTheJfifEquationsOnPrimaries() {
    int[] argb = {0xffffffff, 0xff000000, 0xffff0000, 0xff00ff00, 0xff0000ff, 0xff808080};
    PlanarImage ycc = ColorConversions.rgbToYCbCr(PixelConversions.fromArgb(argb, 6, 1));
    int[][] expected = { // JFIF codes (Y, Cb, Cr): ITU-T T.871 equations, rounded and clamped
      {255, 128, 128}, {0, 128, 128}, {76, 85, 255}, {150, 44, 21}, {29, 255, 107},
      {128, 128, 128}
    };
    for (int i = 0; i < argb.length; i++) {
      for (int c = 0; c < 3; c++) {
        assertEquals(expected[i][c], PixelConversions.to8Bit(ycc.plane(c)[i]),
            "pixel " + i + " c" + c);
      }
    }
  }

  @Test
  void grayIsLumaAndExpandsBackToEqualPlanes() {
    PlanarImage rgb = PixelConversions.fromArgb(new int[] {0xff336699}, 1, 1);
    PlanarImage gray = ColorConversions.rgbToGray(rgb);
    assertEquals((0.299 * 0x33 + 0.587 * 0x66 + 0.114 * 0x99) / 255, gray.plane(0)[0], 1e-6);
    PlanarImage expanded = ColorConversions.grayToRgb(gray);
    assertEquals(3, expanded.channels());
    assertArrayEquals(expanded.plane(0), expanded.plane(2));
  }
}
