package dev.denoise.app.photos;

import java.util.Locale;

/**
 * Maps a capture's camera metadata to the noise level the photo denoisers take ({@code sigma255}:
 * standard deviation on the 0…255 scale of the 8-bit photo).
 *
 * <p><b>With {@code SENSOR_NOISE_PROFILE}</b>: each colour channel's raw noise variance at a raw
 * level {@code x} in [0, 1] is {@code S·x + O}. The photo's noise is judged at one representative
 * level, {@link #REPRESENTATIVE_LINEAR_LEVEL} (18 % mid-grey): the raw standard deviation there,
 * root-mean-square over the channels, is carried through the sRGB transfer curve (its slope at
 * that level, {@link #srgbSlope}) to the 8-bit scale, times the fraction of the noise the camera's
 * own processing leaves in the JPEG ({@link #NOISE_RETAINED_WITH_ISP_NR}, or
 * {@link #NOISE_RETAINED_WITHOUT_ISP_NR} when the capture ran with noise reduction off).
 *
 * <p><b>Assumptions</b> (named, so they can be revisited with measurements on real phones): the
 * auto-exposed photo places mid-grey at raw 0.18 and white balance gains are near 1 there; the
 * camera's JPEG pipeline (noise reduction, sharpening, tone mapping) leaves about half the noise
 * amplitude; with noise reduction off, demosaicing still averages neighbours and leaves about
 * 85 %. A profile that gives a non-finite or negative variance is ignored.
 *
 * <p><b>Without a profile</b>, from ISO: {@code sigma255 = }{@link #SIGMA255_AT_ISO_100}
 * {@code · √(ISO · boost / 100)}, shot noise growing with the square root of the analogue and
 * digital gain. With neither, there is no camera estimate and the photo's own estimate is used.
 */
public final class NoiseProfile {
    /** Linear raw level the noise is judged at: 18 % reflectance mid-grey. */
    public static final double REPRESENTATIVE_LINEAR_LEVEL = 0.18;
    /** Fraction of the raw noise amplitude left in the JPEG after the camera's noise reduction. */
    public static final double NOISE_RETAINED_WITH_ISP_NR = 0.5;
    /** Fraction left when the capture ran with {@code NOISE_REDUCTION_MODE_OFF} (demosaicing only). */
    public static final double NOISE_RETAINED_WITHOUT_ISP_NR = 0.85;
    /** ISO fallback: noise in a phone JPEG at ISO 100, 8-bit units. */
    public static final double SIGMA255_AT_ISO_100 = 1.0;
    /** Largest level reported (the photo model is trained up to 75/255; beyond, estimates are noise). */
    public static final double MAX_SIGMA255 = 75;

    /** A noise level and where it came from, for the screen. */
    public record Level(double sigma255, String source) {
        public String describe() {
            return String.format(Locale.ROOT, "σ ≈ %.1f (%s)", sigma255, source);
        }
    }

    private NoiseProfile() {
    }

    /**
     * The noise level the metadata implies, or null when it has neither a usable profile nor an ISO.
     */
    public static Level fromCamera(CameraNoiseMetadata m) {
        if (m == null) {
            return null;
        }
        if (m.hasProfile()) {
            double sigma = fromProfile(m.noiseScale(), m.noiseOffset(),
                    m.noiseReductionMode() == CameraNoiseMetadata.NOISE_REDUCTION_OFF
                            ? NOISE_RETAINED_WITHOUT_ISP_NR : NOISE_RETAINED_WITH_ISP_NR);
            if (!Double.isNaN(sigma)) {
                return new Level(sigma, "camera noise profile");
            }
        }
        if (m.iso() > 0) {
            return new Level(fromIso(m.iso(), m.postRawBoostPercent()),
                    String.format(Locale.ROOT, "camera ISO %d", m.iso()));
        }
        return null;
    }

    /**
     * sigma255 from per-channel (S, O) pairs; NaN when the profile is unusable (empty, negative or
     * non-finite variance at the representative level).
     */
    public static double fromProfile(double[] scale, double[] offset, double retained) {
        if (scale.length == 0 || scale.length != offset.length) {
            return Double.NaN;
        }
        double sum = 0;
        for (int c = 0; c < scale.length; c++) {
            double var = scale[c] * REPRESENTATIVE_LINEAR_LEVEL + offset[c];
            if (!(var >= 0) || Double.isInfinite(var)) {
                return Double.NaN;
            }
            sum += var;
        }
        double rawSigma = Math.sqrt(sum / scale.length);
        double sigma255 = 255.0 * srgbSlope(REPRESENTATIVE_LINEAR_LEVEL) * rawSigma * retained;
        return Math.min(MAX_SIGMA255, sigma255);
    }

    /** sigma255 from ISO and the post-raw boost (percent, 100 = none). */
    public static double fromIso(int iso, int postRawBoostPercent) {
        if (iso <= 0) {
            throw new IllegalArgumentException("ISO must be positive, got " + iso);
        }
        double boost = postRawBoostPercent > 0 ? postRawBoostPercent / 100.0 : 1.0;
        return Math.min(MAX_SIGMA255, SIGMA255_AT_ISO_100 * Math.sqrt(iso * boost / 100.0));
    }

    /**
     * Slope of the sRGB encoding {@code 1.055·x^(1/2.4) − 0.055} (linear {@code 12.92·x} below
     * 0.0031308) at linear level {@code x}: how much a small raw deviation grows in the encoded photo.
     */
    public static double srgbSlope(double x) {
        if (x <= 0.0031308) {
            return 12.92;
        }
        return 1.055 / 2.4 * Math.pow(x, 1 / 2.4 - 1);
    }
}
