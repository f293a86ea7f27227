package dev.denoise.core.image;

import dev.denoise.core.Progress;
import dev.denoise.core.testing.FakeImageDenoisers;

/**
 * Run in a separate JVM with a small heap by {@link ImageTilerTest}: tiles a generated 12 MP RGB
 * image (never held whole) through a 3×3 box mean and checks the rows as they arrive. Prints
 * "OK rows=… checksum=…" and exits 0, or exits 1 with the reason.
 */
public final class TilerMemoryProbe {
  private TilerMemoryProbe() {}

  static float pixel(int c, int x, int y) {
    return (float) (0.5 + 0.3 * Math.sin(0.01 * x + 0.7 * c) * Math.cos(0.013 * y));
  }

  public static void main(String[] args) {
    int w = Integer.parseInt(args[0]);
    int h = Integer.parseInt(args[1]);
    TileSource source = new TileSource() {
      @Override
      public int width() {
        return w;
      }

      @Override
      public int height() {
        return h;
      }

      @Override
      public int channels() {
        return 3;
      }

      @Override
      public PlanarImage read(int x, int y, int tw, int th) {
        PlanarImage out = new PlanarImage(tw, th, 3);
        for (int c = 0; c < 3; c++) {
          for (int j = 0; j < th; j++) {
            for (int i = 0; i < tw; i++) {
              out.set(c, i, j, pixel(c, x + i, y + j));
            }
          }
        }
        return out;
      }
    };
    int[] next = {0};
    double[] checksum = {0};
    RowSink sink = (y0, rows) -> {
      if (y0 != next[0] || rows.width() != w) {
        System.out.println("rows out of order: got y0=" + y0 + " expected " + next[0]);
        System.exit(1);
      }
      // An interior pixel of a 3×3 box over a smooth field stays within 1e-3 of the field.
      int x = w / 2;
      float expected = pixel(1, x, y0);
      if (y0 > 0 && Math.abs(rows.get(1, x, 0) - expected) > 1e-3) {
        System.out.println("wrong value at row " + y0 + ": " + rows.get(1, x, 0));
        System.exit(1);
      }
      for (float v : rows.plane(0)) {
        checksum[0] += v;
      }
      next[0] += rows.height();
    };
    new ImageTiler(256, 32, 1).process(source, FakeImageDenoisers.boxMean(1), 10, 1, sink,
        Progress.NONE);
    if (next[0] != h) {
      System.out.println("only " + next[0] + " of " + h + " rows written");
      System.exit(1);
    }
    System.out.printf("OK rows=%d checksum=%.3f%n", next[0], checksum[0]);
  }
}
