package dev.denoise.app.photos;

import java.util.Arrays;

/**
 * What a camera2 capture result says about the noise of one photo, copied out of the
 * {@code CaptureResult} so the mapping to a noise level is plain Java.
 *
 * @param noiseScale {@code S} per colour channel of {@code SENSOR_NOISE_PROFILE} (raw variance
 *     {@code S·x + O} for a raw value {@code x} normalised to [0, 1]), or an empty array when the
 *     camera does not report a profile
 * @param noiseOffset {@code O} per colour channel, same length as {@code noiseScale}
 * @param iso {@code SENSOR_SENSITIVITY} (ISO 12232 arithmetic speed), or -1 when unknown
 * @param exposureNs {@code SENSOR_EXPOSURE_TIME} in nanoseconds, or -1 when unknown
 * @param postRawBoostPercent {@code CONTROL_POST_RAW_SENSITIVITY_BOOST} (100 = none)
 * @param noiseReductionMode {@code NOISE_REDUCTION_MODE} the capture ran with, or -1 when
 *     unknown (0 = OFF in camera2)
 */
public record CameraNoiseMetadata(double[] noiseScale, double[] noiseOffset, int iso, long exposureNs,
        int postRawBoostPercent, int noiseReductionMode) {

    /** camera2's {@code CaptureRequest.NOISE_REDUCTION_MODE_OFF}. */
    public static final int NOISE_REDUCTION_OFF = 0;

    public CameraNoiseMetadata {
        if (noiseScale == null || noiseOffset == null || noiseScale.length != noiseOffset.length) {
            throw new IllegalArgumentException("noise profile needs one offset per scale: scales="
                    + (noiseScale == null ? "null" : noiseScale.length) + " offsets="
                    + (noiseOffset == null ? "null" : noiseOffset.length));
        }
        noiseScale = noiseScale.clone();
        noiseOffset = noiseOffset.clone();
    }

    /** Metadata with no noise profile, only ISO (and exposure when known). */
    public static CameraNoiseMetadata isoOnly(int iso, long exposureNs) {
        return new CameraNoiseMetadata(new double[0], new double[0], iso, exposureNs, 100, -1);
    }

    public boolean hasProfile() {
        return noiseScale.length > 0;
    }

    @Override
    public double[] noiseScale() {
        return noiseScale.clone();
    }

    @Override
    public double[] noiseOffset() {
        return noiseOffset.clone();
    }

    @Override
    public String toString() {
        return "CameraNoiseMetadata[S=" + Arrays.toString(noiseScale) + " O=" + Arrays.toString(noiseOffset)
                + " iso=" + iso + " exposureNs=" + exposureNs + " boost=" + postRawBoostPercent
                + " nr=" + noiseReductionMode + "]";
    }
}
