package dev.denoise.core.image;

/**
 * Receives finished output rows, in order from top to bottom, each row exactly once: a PNG
 * encoder, a bitmap, a file. Lets a tiled run write its output progressively instead of
 * holding a second full-size float image.
 */
public interface RowSink {

  /**
   * Takes output rows {@code y0 … y0 + rows.height() − 1}, full width. {@code rows} is only
   * valid during the call (the tiler may reuse it); copy what must outlive it.
   */
  void write(int y0, PlanarImage rows);

  /** A sink that copies the rows into {@code target} (same width and channels). */
  static RowSink into(PlanarImage target) {
    return (y0, rows) -> {
      int n = rows.width() * rows.height();
      for (int c = 0; c < target.channels(); c++) {
        System.arraycopy(rows.plane(c), 0, target.plane(c), y0 * target.width(), n);
      }
    };
  }
}
