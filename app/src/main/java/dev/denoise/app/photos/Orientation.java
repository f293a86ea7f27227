package dev.denoise.app.photos;

/**
 * How a photo's stored pixels are turned for display: a clockwise rotation of 0, 90, 180 or 270
 * degrees (EXIF orientation 1, 6, 3, 8; mirrored orientations are shown unmirrored). The app never
 * rewrites pixels into display orientation: the saved copy keeps the stored orientation and its
 * EXIF tag, and only previews are turned.
 */
public final class Orientation {
    private Orientation() {
    }

    /** Degrees clockwise for an EXIF orientation value (1–8); 0 for unknown values. */
    public static int degreesForExif(int exifOrientation) {
        return switch (exifOrientation) {
            case 3, 4 -> 180;
            case 6, 5 -> 90;
            case 8, 7 -> 270;
            default -> 0;
        };
    }

    /**
     * Maps a point of the displayed photo, as fractions {@code (u, v)} of its width and height, to
     * the same point of the stored pixels, as fractions of the stored width and height.
     */
    public static double[] displayToStored(double u, double v, int degrees) {
        return switch (normalise(degrees)) {
            case 90 -> new double[] {v, 1 - u};
            case 180 -> new double[] {1 - u, 1 - v};
            case 270 -> new double[] {1 - v, u};
            default -> new double[] {u, v};
        };
    }

    /** Displayed width of a stored {@code width × height} photo. */
    public static int displayWidth(int width, int height, int degrees) {
        return normalise(degrees) % 180 == 0 ? width : height;
    }

    /** Displayed height of a stored {@code width × height} photo. */
    public static int displayHeight(int width, int height, int degrees) {
        return normalise(degrees) % 180 == 0 ? height : width;
    }

    static int normalise(int degrees) {
        int d = ((degrees % 360) + 360) % 360;
        if (d % 90 != 0) {
            throw new IllegalArgumentException("rotation must be a multiple of 90 degrees, got " + degrees);
        }
        return d;
    }
}
