package dev.denoise.app.photos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Display ↔ stored mapping for all eight EXIF orientations, checked against the EXIF/TIFF 6.0
 * definitions of tag 0x0112 (where the stored 0th row and 0th column are in the visual image),
 * applied here pixel by pixel without the code under test.
 */
class OrientationTest {

    enum Edge { TOP, BOTTOM, LEFT, RIGHT }

    /**
     * The spec, verbatim as data: for orientation {@code v} (index v − 1), the visual edge the
     * stored 0th row lies along, and the visual edge the stored 0th column lies along.
     * 1 "top, left-hand side", 2 "top, right-hand side", 3 "bottom, right-hand side",
     * 4 "bottom, left-hand side", 5 "left-hand side, top", 6 "right-hand side, top",
     * 7 "right-hand side, bottom", 8 "left-hand side, bottom".
     */
    static final Edge[][] SPEC = {
        {Edge.TOP, Edge.LEFT}, {Edge.TOP, Edge.RIGHT}, {Edge.BOTTOM, Edge.RIGHT}, {Edge.BOTTOM, Edge.LEFT},
        {Edge.LEFT, Edge.TOP}, {Edge.RIGHT, Edge.TOP}, {Edge.RIGHT, Edge.BOTTOM}, {Edge.LEFT, Edge.BOTTOM},
    };

    /**
     * The stored {@code w × h} grid {@code stored[y][x]} as a viewer following the spec shows it:
     * stored row {@code y} lies {@code y} pixels in from the row-0 edge, stored column {@code x}
     * lies {@code x} pixels in from the column-0 edge.
     */
    static int[][] shownBySpec(int[][] stored, int exif) {
        int h = stored.length;
        int w = stored[0].length;
        Edge rowEdge = SPEC[exif - 1][0];
        Edge colEdge = SPEC[exif - 1][1];
        boolean rowsHorizontal = rowEdge == Edge.TOP || rowEdge == Edge.BOTTOM;
        int dw = rowsHorizontal ? w : h;
        int dh = rowsHorizontal ? h : w;
        int[][] shown = new int[dh][dw];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int xd;
                int yd;
                if (rowsHorizontal) {
                    yd = rowEdge == Edge.TOP ? y : dh - 1 - y;
                    xd = colEdge == Edge.LEFT ? x : dw - 1 - x;
                } else {
                    xd = rowEdge == Edge.LEFT ? y : dw - 1 - y;
                    yd = colEdge == Edge.TOP ? x : dh - 1 - x;
                }
                shown[yd][xd] = stored[y][x];
            }
        }
        return shown;
    }

    /** A 3 × 2 image with a distinct value per pixel: no orientation maps it onto another's. */
    static int[][] asymmetric(int w, int h) {
        int[][] g = new int[h][w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                g[y][x] = 10 * y + x + 1;
            }
        }
        return g;
    }

    @Test
    void everyOrientationShowsWhatTheSpecSays() {
        int w = 3;
        int h = 2;
        int[][] stored = asymmetric(w, h);
        int[] flat = new int[w * h];
        for (int y = 0; y < h; y++) {
            System.arraycopy(stored[y], 0, flat, y * w, w);
        }
        for (int exif = 1; exif <= 8; exif++) {
            int[][] expected = shownBySpec(stored, exif);
            int dh = expected.length;
            int dw = expected[0].length;
            assertEquals(dw, Orientation.displayWidth(w, h, exif), "width, orientation " + exif);
            assertEquals(dh, Orientation.displayHeight(w, h, exif), "height, orientation " + exif);
            int[] shown = Orientation.toDisplay(flat, w, h, exif);
            assertEquals(dw * dh, shown.length);
            for (int yd = 0; yd < dh; yd++) {
                for (int xd = 0; xd < dw; xd++) {
                    String at = "orientation " + exif + " at " + xd + "," + yd;
                    assertEquals(expected[yd][xd], shown[yd * dw + xd], at);
                    // The zoom's point mapping lands on the same stored pixel.
                    double[] s = Orientation.displayToStored((xd + 0.5) / dw, (yd + 0.5) / dh, exif);
                    int xs = (int) Math.floor(s[0] * w);
                    int ys = (int) Math.floor(s[1] * h);
                    assertEquals(expected[yd][xd], stored[ys][xs], at + " (displayToStored)");
                }
            }
        }
    }

    /** The spec's table checked on one concrete case each, by hand, so the test data cannot drift. */
    @Test
    void handCheckedCornersOfThe3x2Image() {
        // stored:  1  2  3
        //         11 12 13
        int[] flat = {1, 2, 3, 11, 12, 13};
        assertArrayEquals(new int[] {1, 2, 3, 11, 12, 13}, Orientation.toDisplay(flat, 3, 2, 1));
        assertArrayEquals(new int[] {3, 2, 1, 13, 12, 11}, Orientation.toDisplay(flat, 3, 2, 2)); // FLIP_HORIZONTAL
        assertArrayEquals(new int[] {13, 12, 11, 3, 2, 1}, Orientation.toDisplay(flat, 3, 2, 3)); // ROTATE_180
        assertArrayEquals(new int[] {11, 12, 13, 1, 2, 3}, Orientation.toDisplay(flat, 3, 2, 4)); // FLIP_VERTICAL
        assertArrayEquals(new int[] {1, 11, 2, 12, 3, 13}, Orientation.toDisplay(flat, 3, 2, 5)); // TRANSPOSE
        assertArrayEquals(new int[] {11, 1, 12, 2, 13, 3}, Orientation.toDisplay(flat, 3, 2, 6)); // ROTATE_90
        assertArrayEquals(new int[] {13, 3, 12, 2, 11, 1}, Orientation.toDisplay(flat, 3, 2, 7)); // TRANSVERSE
        assertArrayEquals(new int[] {3, 13, 2, 12, 1, 11}, Orientation.toDisplay(flat, 3, 2, 8)); // ROTATE_270
    }

    @Test
    void mirroredOrientationsAndTurns() {
        for (int exif = 0; exif <= 9; exif++) {
            assertEquals(exif == 2 || exif == 4 || exif == 5 || exif == 7, Orientation.mirrored(exif), "" + exif);
        }
        assertArrayEquals(new int[] {0, 0, 180, 180, 270, 90, 90, 270},
                new int[] {Orientation.degrees(1), Orientation.degrees(2), Orientation.degrees(3), Orientation.degrees(4),
                    Orientation.degrees(5), Orientation.degrees(6), Orientation.degrees(7), Orientation.degrees(8)});
        // Undefined values (0 when a photo has no tag, anything out of range) show the photo as stored.
        assertEquals(Orientation.NORMAL, Orientation.normalise(0));
        assertEquals(Orientation.NORMAL, Orientation.normalise(9));
        assertFalse(Orientation.mirrored(0));
        assertTrue(Orientation.mirrored(2));
        assertArrayEquals(new double[] {0.25, 0.5}, Orientation.displayToStored(0.25, 0.5, 0));
    }
}
