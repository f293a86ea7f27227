package dev.denoise.app.photos;

/**
 * How a photo's stored pixels are shown, from its EXIF orientation (TIFF/EXIF tag 0x0112, values
 * 1–8; anything else is treated as 1): the stored pixels mirrored left to right (orientations 2,
 * 4, 5, 7), then turned clockwise by 0, 90, 180 or 270 degrees. That is the spec's table read as
 * operations:
 *
 * <pre>
 * value  stored row 0 is the visual…  stored column 0 is the visual…  as operations
 *   1    top                          left                            —
 *   2    top                          right                           mirror (FLIP_HORIZONTAL)
 *   3    bottom                       right                           turn 180
 *   4    bottom                       left                            mirror, turn 180 (FLIP_VERTICAL)
 *   5    left                         top                             mirror, turn 270 (TRANSPOSE)
 *   6    right                        top                             turn 90
 *   7    right                        bottom                          mirror, turn 90 (TRANSVERSE)
 *   8    left                         bottom                          turn 270
 * </pre>
 *
 * The app never rewrites pixels into display orientation: the saved copy keeps the stored pixels
 * and the original's EXIF tag, so viewers show it as they showed the original; only previews and
 * 100 % crops are turned (and mirrored) for the screen.
 */
public final class Orientation {
    /** EXIF orientation 1: shown as stored. */
    public static final int NORMAL = 1;

    private Orientation() {
    }

    /** {@code exif} when it is a defined EXIF orientation (1–8), else {@link #NORMAL}. */
    public static int normalise(int exif) {
        return exif >= 1 && exif <= 8 ? exif : NORMAL;
    }

    /** Whether the stored pixels are mirrored left to right before the turn (2, 4, 5, 7). */
    public static boolean mirrored(int exif) {
        return switch (normalise(exif)) {
            case 2, 4, 5, 7 -> true;
            default -> false;
        };
    }

    /** Degrees clockwise the (mirrored, where {@link #mirrored}) stored pixels are turned. */
    public static int degrees(int exif) {
        return switch (normalise(exif)) {
            case 3, 4 -> 180;
            case 6, 7 -> 90;
            case 5, 8 -> 270;
            default -> 0;
        };
    }

    /**
     * Maps a point of the displayed photo, as fractions {@code (u, v)} of its width and height, to
     * the same point of the stored pixels, as fractions of the stored width and height.
     */
    public static double[] displayToStored(double u, double v, int exif) {
        double[] p = new double[2];
        displayToStored(u, v, 1, 1, exif, p);
        return p;
    }

    /**
     * The one mapping behind {@link #displayToStored(double, double, int)} and {@link #toDisplay}:
     * the displayed point {@code (x, y)} to its stored point, written to {@code out}, where the
     * stored coordinates run from 0 to {@code maxX} and {@code maxY} (1 for fractions; width − 1 and
     * height − 1 for pixel indices, so every flip stays on the pixel grid). Undo the turn, then the
     * mirror.
     */
    private static void displayToStored(double x, double y, double maxX, double maxY, int exif,
            double[] out) {
        switch (degrees(exif)) {
            case 90 -> {
                out[0] = y;
                out[1] = maxY - x;
            }
            case 180 -> {
                out[0] = maxX - x;
                out[1] = maxY - y;
            }
            case 270 -> {
                out[0] = maxX - y;
                out[1] = x;
            }
            default -> {
                out[0] = x;
                out[1] = y;
            }
        }
        if (mirrored(exif)) {
            out[0] = maxX - out[0];
        }
    }

    /** Displayed width of a stored {@code width × height} photo. */
    public static int displayWidth(int width, int height, int exif) {
        return degrees(exif) % 180 == 0 ? width : height;
    }

    /** Displayed height of a stored {@code width × height} photo. */
    public static int displayHeight(int width, int height, int exif) {
        return degrees(exif) % 180 == 0 ? height : width;
    }

    /**
     * The pixels of a stored {@code width × height} image (row-major, e.g. ARGB) in display order:
     * {@link #displayWidth} × {@link #displayHeight}, row-major. A new array, even for orientation 1.
     */
    public static int[] toDisplay(int[] stored, int width, int height, int exif) {
        if (stored.length < width * height) {
            throw new IllegalArgumentException("need " + width * height + " pixels, got " + stored.length);
        }
        int dw = displayWidth(width, height, exif);
        int dh = displayHeight(width, height, exif);
        int[] out = new int[dw * dh];
        double[] p = new double[2];
        for (int yd = 0; yd < dh; yd++) {
            for (int xd = 0; xd < dw; xd++) {
                displayToStored(xd, yd, width - 1, height - 1, exif, p);
                out[yd * dw + xd] = stored[(int) p[1] * width + (int) p[0]];
            }
        }
        return out;
    }
}
