package dev.denoise.app.photos;

import dev.denoise.app.models.DelegateChoice;
import dev.denoise.core.image.PlanarImage;

/**
 * What the photo screen shows. Images are downsampled previews (or 100 % crops) in stored
 * orientation; the screen turns and mirrors them by {@code orientation} ({@link Orientation}).
 *
 * @param phase where the flow is
 * @param fileName the photo's name, or null
 * @param summary e.g. "4032 × 3024, 12.2 MP, image/jpeg", or null
 * @param orientation the photo's EXIF orientation, 1–8 (other values show it as stored)
 * @param original the original's preview, or null
 * @param denoised the denoised preview once ready, or null
 * @param zoom the 100 % comparison, or null when the whole photo is shown
 * @param progress 0–1 while a job runs
 * @param stage what the job does now ("Denoising"), or null
 * @param method Neural or Classic
 * @param delegate where the neural model runs
 * @param autoStrength whether the strength is calibrated on the photo (Noise2Self)
 * @param strength the manual strength, or the calibrated one after an Auto run
 * @param noise the noise level used and its source, or null before a photo is open
 * @param note a neutral note (fallback, what ran, cancelled), or null
 * @param error what went wrong, or null
 * @param savedAs where the copy was saved, or null
 * @param savedUri the saved item's URI for sharing, or null
 */
public record PhotoUiState(Phase phase, String fileName, String summary, int orientation,
        PlanarImage original, PlanarImage denoised, Zoom zoom, double progress, String stage, Method method,
        DelegateChoice delegate, boolean autoStrength, double strength, NoiseProfile.Level noise, String note,
        String error, String savedAs, String savedUri) {

    public enum Phase { EMPTY, LOADING, READY, DENOISING, DENOISED, SAVING, ERROR }

    /** The denoiser family. */
    public enum Method {
        NEURAL("Neural"), CLASSIC("Classic");

        private final String label;

        Method(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * A 100 % crop of both versions around a point of the photo.
     *
     * @param original stored-orientation crop of the original, full resolution
     * @param denoised the same crop of the denoised photo
     * @param x left edge of the crop in stored pixels
     * @param y top edge in stored pixels
     */
    public record Zoom(PlanarImage original, PlanarImage denoised, int x, int y) {
    }

    /** Manual strength range: 0 = the original, 1 = the method's calibrated default. */
    public static final double MAX_STRENGTH = 2.0;

    public static PhotoUiState empty() {
        return new PhotoUiState(Phase.EMPTY, null, null, 0, null, null, null, 0, null, Method.NEURAL,
                DelegateChoice.AUTO, true, 1.0, null, null, null, null, null);
    }

    /** Whether a long job runs (progress and cancel shown). */
    public boolean busy() {
        return phase == Phase.LOADING || phase == Phase.DENOISING || phase == Phase.SAVING;
    }

    PhotoUiState with(Phase p, double prog, String st) {
        return new PhotoUiState(p, fileName, summary, orientation, original, denoised, zoom, prog, st, method,
                delegate, autoStrength, strength, noise, note, error, savedAs, savedUri);
    }

    PhotoUiState withPhoto(String name, String sum, int exifOrientation, PlanarImage orig, NoiseProfile.Level level) {
        return new PhotoUiState(phase, name, sum, exifOrientation, orig, null, null, progress, stage, method, delegate,
                autoStrength, strength, level, null, null, null, null);
    }

    PhotoUiState withDenoised(PlanarImage d) {
        return new PhotoUiState(phase, fileName, summary, orientation, original, d, null, progress, stage,
                method, delegate, autoStrength, strength, noise, note, error, null, null);
    }

    PhotoUiState withZoom(Zoom z) {
        return new PhotoUiState(phase, fileName, summary, orientation, original, denoised, z, progress, stage,
                method, delegate, autoStrength, strength, noise, note, error, savedAs, savedUri);
    }

    PhotoUiState withSettings(Method m, DelegateChoice d, boolean auto, double s) {
        return new PhotoUiState(phase, fileName, summary, orientation, original, denoised, zoom, progress, stage,
                m, d, auto, s, noise, note, error, savedAs, savedUri);
    }

    PhotoUiState withMessages(String n, String e) {
        return new PhotoUiState(phase, fileName, summary, orientation, original, denoised, zoom, progress, stage,
                method, delegate, autoStrength, strength, noise, n, e, savedAs, savedUri);
    }

    PhotoUiState withSaved(String where, String uri) {
        return new PhotoUiState(phase, fileName, summary, orientation, original, denoised, zoom, progress, stage,
                method, delegate, autoStrength, strength, noise, note, error, where, uri);
    }
}
