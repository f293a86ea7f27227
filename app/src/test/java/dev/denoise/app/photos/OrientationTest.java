package dev.denoise.app.photos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Display ↔ stored mapping, against a photo turned pixel by pixel here. */
class OrientationTest {

    /** Turns a stored w×h grid of labels clockwise by {@code degrees}, the way a viewer shows it. */
    static int[][] turn(int[][] stored, int degrees) {
        int[][] g = stored;
        for (int k = 0; k < degrees / 90; k++) {
            int h = g.length;
            int w = g[0].length;
            int[][] r = new int[w][h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    r[x][h - 1 - y] = g[y][x]; // clockwise: row y becomes column h-1-y
                }
            }
            g = r;
        }
        return g;
    }

    @Test
    void everyDisplayedPixelMapsToTheStoredPixelItShows() {
        int w = 6;
        int h = 4;
        int[][] stored = new int[h][w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                stored[y][x] = y * w + x;
            }
        }
        for (int degrees : new int[] {0, 90, 180, 270}) {
            int[][] shown = turn(stored, degrees);
            int dh = shown.length;
            int dw = shown[0].length;
            assertEquals(dw, Orientation.displayWidth(w, h, degrees));
            assertEquals(dh, Orientation.displayHeight(w, h, degrees));
            for (int yd = 0; yd < dh; yd++) {
                for (int xd = 0; xd < dw; xd++) {
                    double[] s = Orientation.displayToStored((xd + 0.5) / dw, (yd + 0.5) / dh, degrees);
                    int xs = (int) Math.floor(s[0] * w);
                    int ys = (int) Math.floor(s[1] * h);
                    assertEquals(shown[yd][xd], stored[ys][xs], degrees + "° at " + xd + "," + yd);
                }
            }
        }
    }

    @Test
    void exifValuesMapToClockwiseTurns() {
        assertArrayEquals(new int[] {0, 0, 180, 180, 90, 90, 270, 270, 0},
                new int[] {Orientation.degreesForExif(1), Orientation.degreesForExif(2), Orientation.degreesForExif(3),
                    Orientation.degreesForExif(4), Orientation.degreesForExif(5), Orientation.degreesForExif(6),
                    Orientation.degreesForExif(7), Orientation.degreesForExif(8), Orientation.degreesForExif(0)});
        assertThrows(IllegalArgumentException.class, () -> Orientation.displayToStored(0.5, 0.5, 45));
    }
}
