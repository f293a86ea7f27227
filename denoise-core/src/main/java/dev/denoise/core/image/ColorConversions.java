package dev.denoise.core.image;

/**
 * Colour-space conversions between planar images with samples in [0, 1].
 *
 * <p>YCbCr is the JPEG/JFIF full-range BT.601 form: {@code Y = 0.299 R + 0.587 G + 0.114 B},
 * {@code Cb = 128/255 + (B − Y) / 1.772}, {@code Cr = 128/255 + (R − Y) / 1.402}, so that
 * {@code 255 · Cb} is the JFIF 8-bit chroma code (neutral gray at 128). The inverse is the
 * exact algebraic inverse computed in double, so RGB → YCbCr → RGB returns every 8-bit triple exactly after
 * {@link PixelConversions#to8Bit(float)} (checked exhaustively in the tests). YCbCr samples are
 * not quantised: Cb and Cr may be slightly outside [0, 1] only for out-of-gamut inputs.
 */
public final class ColorConversions {
  /** BT.601 luma weights. */
  public static final double KR = 0.299;
  public static final double KG = 0.587;
  public static final double KB = 0.114;
  private static final double CB_SCALE = 2 * (1 - KB); // 1.772
  private static final double CR_SCALE = 2 * (1 - KR); // 1.402
  /** Chroma offset: the JFIF code 128 on the [0, 1] scale. */
  public static final double CHROMA_OFFSET = 128.0 / 255.0;

  private ColorConversions() {}

  /**
   * Orthonormal opponent colour transform, rows Y, U, V applied to (R, G, B): luma and two
   * chroma differences (CBM3D's colour space; shared by the methods that take RGB as three
   * channels of equal noise). Orthonormal, so the inverse is the transpose and σ is unchanged.
   */
  static final double[][] OPPONENT = {
    {1 / Math.sqrt(3), 1 / Math.sqrt(3), 1 / Math.sqrt(3)},
    {1 / Math.sqrt(2), 0, -1 / Math.sqrt(2)},
    {1 / Math.sqrt(6), -2 / Math.sqrt(6), 1 / Math.sqrt(6)},
  };

  /** Per-pixel matrix product: output channel r is {@code Σ_c m[r][c]·planes[c]}. */
  static float[][] rotate(float[][] planes, double[][] m) {
    int n = planes[0].length;
    float[][] out = new float[m.length][n];
    for (int i = 0; i < n; i++) {
      for (int r = 0; r < m.length; r++) {
        double s = 0;
        for (int c = 0; c < planes.length; c++) {
          s += m[r][c] * planes[c][i];
        }
        out[r][i] = (float) s;
      }
    }
    return out;
  }

  static double[][] transpose(double[][] m) {
    double[][] t = new double[m[0].length][m.length];
    for (int r = 0; r < m.length; r++) {
      for (int c = 0; c < m[0].length; c++) {
        t[c][r] = m[r][c];
      }
    }
    return t;
  }

  /** A 3-channel (Y, Cb, Cr) image from a 3-channel (R, G, B) image. */
  public static PlanarImage rgbToYCbCr(PlanarImage rgb) {
    requireChannels(rgb, 3);
    PlanarImage out = new PlanarImage(rgb.width(), rgb.height(), 3);
    float[] r = rgb.plane(0);
    float[] g = rgb.plane(1);
    float[] b = rgb.plane(2);
    float[] y = out.plane(0);
    float[] cb = out.plane(1);
    float[] cr = out.plane(2);
    for (int i = 0; i < r.length; i++) {
      double luma = KR * r[i] + KG * g[i] + KB * b[i];
      y[i] = (float) luma;
      cb[i] = (float) (CHROMA_OFFSET + (b[i] - luma) / CB_SCALE);
      cr[i] = (float) (CHROMA_OFFSET + (r[i] - luma) / CR_SCALE);
    }
    return out;
  }

  /** A 3-channel (R, G, B) image from a 3-channel (Y, Cb, Cr) image; no clamping. */
  public static PlanarImage yCbCrToRgb(PlanarImage ycbcr) {
    requireChannels(ycbcr, 3);
    PlanarImage out = new PlanarImage(ycbcr.width(), ycbcr.height(), 3);
    float[] y = ycbcr.plane(0);
    float[] cb = ycbcr.plane(1);
    float[] cr = ycbcr.plane(2);
    float[] r = out.plane(0);
    float[] g = out.plane(1);
    float[] b = out.plane(2);
    for (int i = 0; i < y.length; i++) {
      double red = y[i] + CR_SCALE * (cr[i] - CHROMA_OFFSET);
      double blue = y[i] + CB_SCALE * (cb[i] - CHROMA_OFFSET);
      r[i] = (float) red;
      b[i] = (float) blue;
      g[i] = (float) ((y[i] - KR * red - KB * blue) / KG);
    }
    return out;
  }

  /** A 1-channel BT.601 luma image from a 3-channel RGB image. */
  public static PlanarImage rgbToGray(PlanarImage rgb) {
    requireChannels(rgb, 3);
    PlanarImage out = new PlanarImage(rgb.width(), rgb.height(), 1);
    float[] r = rgb.plane(0);
    float[] g = rgb.plane(1);
    float[] b = rgb.plane(2);
    float[] y = out.plane(0);
    for (int i = 0; i < r.length; i++) {
      y[i] = (float) (KR * r[i] + KG * g[i] + KB * b[i]);
    }
    return out;
  }

  /** A 3-channel RGB image with the gray plane copied into R, G and B. */
  public static PlanarImage grayToRgb(PlanarImage gray) {
    requireChannels(gray, 1);
    float[] p = gray.plane(0);
    return new PlanarImage(gray.width(), gray.height(),
        new float[][] {p.clone(), p.clone(), p.clone()});
  }

  private static void requireChannels(PlanarImage image, int channels) {
    if (image.channels() != channels) {
      throw new IllegalArgumentException(String.format(
          "expected a %d-channel image, got channels=%d", channels, image.channels()));
    }
  }
}
