package dev.denoise.core.testing;

import dev.denoise.core.image.ImageModel;

/**
 * A real, tiny {@link ImageModel}: a (2·radius+1)² box mean per channel with zero padding
 * outside the tile (as a convolutional network pads), weighted towards the input when the
 * noise level is low ({@code out = in + min(1, sigma255 / 25) · (mean − in)}), plus
 * {@code 0.01} on tile columns whose index is odd modulo the size multiple: like a network that
 * starts with a pixel-unshuffle, its output depends on the phase of the tile's pixel grid.
 * Counts calls
 * and remembers the last tile size, and refuses sizes that break the model contract, so tests
 * can see what {@code NeuralImageDenoiser} hands it.
 */
public final class FakeImageModel implements ImageModel {
  private final int radius;
  private final int multiple;
  private final int maxSide;
  public int calls;
  public int lastWidth;
  public int lastHeight;
  /** Pixels handed to the model over all calls. */
  public long pixels;
  public double lastSigma255;
  public boolean closed;

  public FakeImageModel(int radius, int multiple, int maxSide) {
    this.radius = radius;
    this.multiple = multiple;
    this.maxSide = maxSide;
  }

  @Override
  public int sizeMultiple() {
    return multiple;
  }

  @Override
  public int receptiveRadius() {
    return radius;
  }

  @Override
  public int maxSide() {
    return maxSide;
  }

  @Override
  public double maxSigma255() {
    return 75;
  }

  @Override
  public void denoise(float[][] rgb, int width, int height, double sigma255, float[][] out) {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    if (rgb.length != 3 || width % multiple != 0 || height % multiple != 0
        || Math.max(width, height) > maxSide) {
      throw new IllegalArgumentException("contract broken: " + rgb.length + " planes, "
          + width + "x" + height);
    }
    calls++;
    lastWidth = width;
    lastHeight = height;
    pixels += (long) width * height;
    lastSigma255 = sigma255;
    double w = Math.min(1, sigma255 / 25);
    int n = (2 * radius + 1) * (2 * radius + 1);
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          double sum = 0;
          for (int dy = -radius; dy <= radius; dy++) {
            for (int dx = -radius; dx <= radius; dx++) {
              int yy = y + dy;
              int xx = x + dx;
              if (yy >= 0 && yy < height && xx >= 0 && xx < width) {
                sum += rgb[c][yy * width + xx];
              }
            }
          }
          double v = rgb[c][y * width + x];
          double phase = multiple > 1 && x % multiple == 1 ? 0.01 : 0;
          out[c][y * width + x] = (float) (v + w * (sum / n - v) + phase);
        }
      }
    }
  }

  @Override
  public String name() {
    return "fake-box" + (2 * radius + 1);
  }

  @Override
  public void close() {
    closed = true;
  }
}
