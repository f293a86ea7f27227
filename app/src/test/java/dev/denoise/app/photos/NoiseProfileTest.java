package dev.denoise.app.photos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The camera-metadata-to-sigma255 mapping, against values worked out here from its definition. */
class NoiseProfileTest {

    /** sRGB encoding, for a finite-difference slope independent of NoiseProfile.srgbSlope. */
    static double srgb(double x) {
        return x <= 0.0031308 ? 12.92 * x : 1.055 * Math.pow(x, 1 / 2.4) - 0.055;
    }

    static double slopeAt(double x) {
        double h = 1e-6;
        return (srgb(x + h) - srgb(x - h)) / (2 * h);
    }

    @Test
    void profileGivesTheRawSigmaAtMidGreyThroughTheSrgbCurveAndTheIspFactor() {
        double[] s = {2e-4, 2e-4, 2e-4, 2e-4};
        double[] o = {1e-6, 1e-6, 1e-6, 1e-6};
        NoiseProfile.Level level = NoiseProfile.fromCamera(new CameraNoiseMetadata(s, o, 800, 10_000_000L, 100, 1));
        double rawSigma = Math.sqrt(2e-4 * 0.18 + 1e-6);
        double expected = 255 * slopeAt(0.18) * rawSigma * 0.5;
        assertEquals(expected, level.sigma255(), 1e-6 * expected);
        assertEquals("camera noise profile", level.source());
        // Worked figure for the record: sqrt(3.7e-5) = 6.08e-3; slope 1.195; ·255·0.5 ≈ 0.93.
        assertEquals(0.93, level.sigma255(), 0.01);
    }

    @Test
    void noiseReductionOffKeepsMoreOfTheRawNoise() {
        double[] s = {1e-3};
        double[] o = {0};
        double on = NoiseProfile.fromCamera(new CameraNoiseMetadata(s, o, 100, 1, 100, 2)).sigma255();
        double off = NoiseProfile.fromCamera(new CameraNoiseMetadata(s, o, 100, 1, 100,
                CameraNoiseMetadata.NOISE_REDUCTION_OFF)).sigma255();
        assertEquals(0.85 / 0.5, off / on, 1e-9);
    }

    @Test
    void channelsCombineByTheirMeanVarianceNotTheirMeanSigma() {
        double[] s = {1e-4 / 0.18, 9e-4 / 0.18};
        double[] o = {0, 0};
        double got = NoiseProfile.fromProfile(s, o, 1.0);
        double rms = Math.sqrt((1e-4 + 9e-4) / 2);
        assertEquals(255 * slopeAt(0.18) * rms, got, 1e-6 * got);
        double meanOfSigmas = (0.01 + 0.03) / 2;
        assertTrue(got > 255 * slopeAt(0.18) * meanOfSigmas * 1.05, "RMS over channels exceeds the mean of sigmas");
    }

    @Test
    void moreGainMeansMoreNoise() {
        double previous = 0;
        for (double scale : new double[] {1e-6, 1e-5, 1e-4, 1e-3}) {
            double sigma = NoiseProfile.fromProfile(new double[] {scale}, new double[] {1e-7}, 0.5);
            assertTrue(sigma > previous, scale + " gave " + sigma + " after " + previous);
            previous = sigma;
        }
    }

    @Test
    void hugeProfilesAreCappedAtTheLargestLevel() {
        assertEquals(NoiseProfile.MAX_SIGMA255, NoiseProfile.fromProfile(new double[] {10}, new double[] {1}, 1.0));
    }

    @Test
    void unusableProfileFallsBackToIso() {
        double[] s = {-1e-3};
        double[] o = {0};
        NoiseProfile.Level level = NoiseProfile.fromCamera(new CameraNoiseMetadata(s, o, 400, 1, 100, 1));
        assertEquals(2.0, level.sigma255(), 1e-12); // 1.0 at ISO 100, times sqrt(400/100)
        assertEquals("camera ISO 400", level.source());
    }

    @Test
    void isoMappingGrowsWithTheSquareRootOfGainIncludingThePostRawBoost() {
        assertEquals(1.0, NoiseProfile.fromIso(100, 100), 1e-12);
        assertEquals(4.0, NoiseProfile.fromIso(1600, 100), 1e-12);
        assertEquals(Math.sqrt(2) * 4.0, NoiseProfile.fromIso(1600, 200), 1e-12);
        assertEquals(2.0, NoiseProfile.fromCamera(CameraNoiseMetadata.isoOnly(400, 1)).sigma255(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> NoiseProfile.fromIso(0, 100));
    }

    @Test
    void noProfileAndNoIsoMeansNoCameraEstimate() {
        assertNull(NoiseProfile.fromCamera(CameraNoiseMetadata.isoOnly(-1, -1)));
        assertNull(NoiseProfile.fromCamera(null));
    }

    @Test
    void mismatchedProfileIsRefusedWithTheCounts() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CameraNoiseMetadata(new double[2], new double[3], 100, 1, 100, 1));
        assertTrue(e.getMessage().contains("scales=2 offsets=3"), e.getMessage());
    }
}
