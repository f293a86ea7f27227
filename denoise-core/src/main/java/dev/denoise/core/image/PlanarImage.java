package dev.denoise.core.image;

import java.util.Arrays;

/**
 * A planar float image: {@code channels} planes of {@code width * height} samples, row-major.
 *
 * <p>Sample values are nominally in [0, 1] (8-bit value / 255); intermediate results may leave
 * that range. Noise levels throughout the image package are given in 8-bit units
 * ({@code sigma255}: standard deviation on the 0…255 scale), as in the DnCNN/BM3D literature.
 *
 * <p>The planes are owned by the image and exposed for speed; callers that mutate them own the
 * consequences. Not thread-safe for concurrent mutation.
 */
public final class PlanarImage {
  private final int width;
  private final int height;
  private final float[][] planes;

  /** Creates a black image. */
  public PlanarImage(int width, int height, int channels) {
    if (width <= 0 || height <= 0 || channels <= 0) {
      throw new IllegalArgumentException(String.format(
          "image size must be positive: width=%d height=%d channels=%d", width, height, channels));
    }
    if ((long) width * height > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(String.format(
          "image too large for one plane: width=%d height=%d", width, height));
    }
    this.width = width;
    this.height = height;
    this.planes = new float[channels][width * height];
  }

  /** Wraps existing planes (not copied); every plane must hold {@code width * height} samples. */
  public PlanarImage(int width, int height, float[][] planes) {
    if (width <= 0 || height <= 0 || planes == null || planes.length == 0) {
      throw new IllegalArgumentException(String.format(
          "image size must be positive: width=%d height=%d channels=%d",
          width, height, planes == null ? 0 : planes.length));
    }
    for (int c = 0; c < planes.length; c++) {
      if (planes[c] == null || planes[c].length != width * height) {
        throw new IllegalArgumentException(String.format(
            "plane %d has %d samples, expected width*height=%d",
            c, planes[c] == null ? 0 : planes[c].length, width * height));
      }
    }
    this.width = width;
    this.height = height;
    this.planes = planes;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public int channels() {
    return planes.length;
  }

  /** The plane of channel {@code c}, row-major, index {@code y * width + x}. */
  public float[] plane(int c) {
    return planes[c];
  }

  public float get(int c, int x, int y) {
    return planes[c][y * width + x];
  }

  public void set(int c, int x, int y, float value) {
    planes[c][y * width + x] = value;
  }

  /** A deep copy. */
  public PlanarImage copy() {
    float[][] copy = new float[planes.length][];
    for (int c = 0; c < planes.length; c++) {
      copy[c] = Arrays.copyOf(planes[c], planes[c].length);
    }
    return new PlanarImage(width, height, copy);
  }
}
