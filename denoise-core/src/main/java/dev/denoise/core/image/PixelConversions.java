package dev.denoise.core.image;

/**
 * Exact conversions between {@link PlanarImage} and 8-bit pixel arrays.
 *
 * <p>An 8-bit value {@code b} maps to the float {@code b / 255f}; the way back is
 * {@link #to8Bit(float)}: clamp to [0, 1], scale by 255, round half up. Every 8-bit value
 * therefore survives {@code from → to} unchanged. Samples are sRGB-encoded values: no gamma
 * is applied, as in the denoising literature (noise levels are defined on the 8-bit codes).
 *
 * <p>ARGB ints use the {@code 0xAARRGGBB} layout of {@code java.awt.image.BufferedImage#getRGB}
 * and Android's {@code Bitmap#getPixels}. Alpha is not part of the planar image; pass the
 * source pixels back to {@link #toArgb(PlanarImage, int[], int[])} to keep it.
 */
public final class PixelConversions {
  private static final float[] TO_FLOAT = new float[256];

  static {
    for (int b = 0; b < 256; b++) {
      TO_FLOAT[b] = b / 255f;
    }
  }

  private PixelConversions() {}

  /** The float sample for 8-bit code {@code b} (0…255). */
  public static float toFloat(int b) {
    return TO_FLOAT[b];
  }

  /** The nearest 8-bit code for {@code v}: clamped to [0, 1], ×255, rounded half up; NaN → 0. */
  public static int to8Bit(float v) {
    if (!(v > 0f)) {
      return 0;
    }
    if (v >= 1f) {
      return 255;
    }
    return (int) (v * 255f + 0.5f);
  }

  /** A 3-channel (R, G, B) image from {@code width * height} ARGB pixels; alpha is ignored. */
  public static PlanarImage fromArgb(int[] argb, int width, int height) {
    checkLength("argb", argb.length, width, height);
    PlanarImage image = new PlanarImage(width, height, 3);
    float[] r = image.plane(0);
    float[] g = image.plane(1);
    float[] b = image.plane(2);
    for (int i = 0; i < argb.length; i++) {
      int p = argb[i];
      r[i] = TO_FLOAT[(p >>> 16) & 0xff];
      g[i] = TO_FLOAT[(p >>> 8) & 0xff];
      b[i] = TO_FLOAT[p & 0xff];
    }
    return image;
  }

  /** Opaque ARGB pixels from a 3-channel RGB image or a 1-channel gray image. */
  public static int[] toArgb(PlanarImage image) {
    int[] out = new int[image.width() * image.height()];
    toArgb(image, null, out);
    return out;
  }

  /**
   * Writes ARGB pixels of a 3-channel RGB (or 1-channel gray) image into {@code out}, taking
   * alpha from {@code alphaSource} (ARGB pixels of the same size) or 0xff when it is null.
   */
  public static void toArgb(PlanarImage image, int[] alphaSource, int[] out) {
    int n = image.width() * image.height();
    checkLength("out", out.length, image.width(), image.height());
    if (alphaSource != null) {
      checkLength("alphaSource", alphaSource.length, image.width(), image.height());
    }
    if (image.channels() != 3 && image.channels() != 1) {
      throw new IllegalArgumentException(
          "ARGB needs a 1- or 3-channel image, got channels=" + image.channels());
    }
    float[] r = image.plane(0);
    float[] g = image.plane(image.channels() == 3 ? 1 : 0);
    float[] b = image.plane(image.channels() == 3 ? 2 : 0);
    for (int i = 0; i < n; i++) {
      int a = alphaSource == null ? 0xff000000 : alphaSource[i] & 0xff000000;
      out[i] = a | to8Bit(r[i]) << 16 | to8Bit(g[i]) << 8 | to8Bit(b[i]);
    }
  }

  /** A 1-channel image from unsigned 8-bit gray samples. */
  public static PlanarImage fromGray(byte[] gray, int width, int height) {
    checkLength("gray", gray.length, width, height);
    PlanarImage image = new PlanarImage(width, height, 1);
    float[] p = image.plane(0);
    for (int i = 0; i < gray.length; i++) {
      p[i] = TO_FLOAT[gray[i] & 0xff];
    }
    return image;
  }

  /** A 1-channel image from gray samples 0…255 held in ints. */
  public static PlanarImage fromGray(int[] gray, int width, int height) {
    checkLength("gray", gray.length, width, height);
    PlanarImage image = new PlanarImage(width, height, 1);
    float[] p = image.plane(0);
    for (int i = 0; i < gray.length; i++) {
      int v = gray[i];
      if (v < 0 || v > 255) {
        throw new IllegalArgumentException(
            String.format("gray sample %d at index %d is outside 0..255", v, i));
      }
      p[i] = TO_FLOAT[v];
    }
    return image;
  }

  /** Unsigned 8-bit samples of channel {@code c}. */
  public static byte[] toGrayBytes(PlanarImage image, int c) {
    float[] p = image.plane(c);
    byte[] out = new byte[p.length];
    for (int i = 0; i < p.length; i++) {
      out[i] = (byte) to8Bit(p[i]);
    }
    return out;
  }

  /** 8-bit samples (0…255) of channel {@code c}, one per int. */
  public static int[] toGrayInts(PlanarImage image, int c) {
    float[] p = image.plane(c);
    int[] out = new int[p.length];
    for (int i = 0; i < p.length; i++) {
      out[i] = to8Bit(p[i]);
    }
    return out;
  }

  /** Rounds every sample to its nearest 8-bit value (clamping), in place. */
  public static void quantize8Bit(PlanarImage image) {
    for (int c = 0; c < image.channels(); c++) {
      float[] p = image.plane(c);
      for (int i = 0; i < p.length; i++) {
        p[i] = TO_FLOAT[to8Bit(p[i])];
      }
    }
  }

  private static void checkLength(String what, int length, int width, int height) {
    if ((long) width * height != length) {
      throw new IllegalArgumentException(String.format(
          "%s has %d pixels, expected width*height=%d*%d", what, length, width, height));
    }
  }
}
