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
        double[] p = switch (degrees(exif)) {
            case 90 -> new double[] {v, 1 - u};
            case 180 -> new double[] {1 - u, 1 - v};
            case 270 -> new double[] {1 - v, u};
            default -> new double[] {u, v};
        };
        if (mirrored(exif)) {
            p[0] = 1 - p[0];
        }
        return p;
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
        int degrees = degrees(exif);
        boolean mirror = mirrored(exif);
        int[] out = new int[dw * dh];
        for (int yd = 0; yd < dh; yd++) {
            for (int xd = 0; xd < dw; xd++) {
                // Undo the turn: the pixel of the mirrored image shown at (xd, yd)...
                int x;
                int y;
                switch (degrees) {
                    case 90 -> {
                        x = yd;
                        y = height - 1 - xd;
                    }
                    case 180 -> {
                        x = width - 1 - xd;
                        y = height - 1 - yd;
                    }
                    case 270 -> {
                        x = width - 1 - yd;
                        y = xd;
                    }
                    default -> {
                        x = xd;
                        y = yd;
                    }
                }
                // ...then the mirror.
                if (mirror) {
                    x = width - 1 - x;
                }
                out[yd * dw + xd] = stored[y * width + x];
            }
        }
        return out;
    }
}
