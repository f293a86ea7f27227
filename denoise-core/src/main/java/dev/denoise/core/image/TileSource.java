package dev.denoise.core.image;

/**
 * Random access to rectangles of an image too large to hold as one {@link PlanarImage}: a
 * decoded bitmap, a memory-mapped file, a generator. Samples follow {@link PlanarImage}'s
 * conventions (nominally [0, 1]). Called from the tiling thread only.
 */
public interface TileSource {
  int width();

  int height();

  int channels();

  /**
   * A new image holding the rectangle {@code [x, x+w) × [y, y+h)}, which lies inside the image.
   */
  PlanarImage read(int x, int y, int w, int h);

  /** A source over an image already in memory (regions are copied). */
  static TileSource of(PlanarImage image) {
    return new TileSource() {
      @Override
      public int width() {
        return image.width();
      }

      @Override
      public int height() {
        return image.height();
      }

      @Override
      public int channels() {
        return image.channels();
      }

      @Override
      public PlanarImage read(int x, int y, int w, int h) {
        PlanarImage out = new PlanarImage(w, h, image.channels());
        for (int c = 0; c < image.channels(); c++) {
          float[] src = image.plane(c);
          float[] dst = out.plane(c);
          for (int row = 0; row < h; row++) {
            System.arraycopy(src, (y + row) * image.width() + x, dst, row * w, w);
          }
        }
        return out;
      }
    };
  }
}
