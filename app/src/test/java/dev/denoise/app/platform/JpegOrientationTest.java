package dev.denoise.app.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link Camera2Source#jpegOrientation} against camera2's documentation for
 * {@code CaptureRequest.JPEG_ORIENTATION}, written out here on its own: round the device
 * orientation to the nearest multiple of 90, negate it for a front-facing camera, add the sensor
 * orientation, modulo 360. (This app's one change to it: an unknown orientation, -1, counts as
 * upright, i.e. the sensor orientation, where the documentation's sample returns 0.)
 */
class JpegOrientationTest {

    static final int UNKNOWN = -1; // OrientationEventListener.ORIENTATION_UNKNOWN

    /** The documented formula. Math.round rounds halves up, as the documentation's (d + 45) / 90 does. */
    static int documented(int sensor, int device, boolean front) {
        if (device == UNKNOWN) {
            return sensor;
        }
        int rounded = (int) Math.round(device / 90.0) * 90;
        int turn = front ? -rounded : rounded;
        return ((sensor + turn) % 360 + 360) % 360;
    }

    @Test
    void backCameraTurnsWithThePhone() {
        // The usual back camera: sensor 90. Upright, left side up, upside down, right side up.
        int[] device = {0, 90, 180, 270};
        int[] expected = {90, 180, 270, 0};
        for (int i = 0; i < device.length; i++) {
            assertEquals(expected[i], documented(90, device[i], false));
            assertEquals(expected[i], Camera2Source.jpegOrientation(90, device[i], false), "device " + device[i]);
        }
    }

    @Test
    void frontCameraTurnsTheOtherWay() {
        // The usual front camera: sensor 270.
        int[] device = {0, 90, 180, 270};
        int[] expected = {270, 180, 90, 0};
        for (int i = 0; i < device.length; i++) {
            assertEquals(expected[i], documented(270, device[i], true));
            assertEquals(expected[i], Camera2Source.jpegOrientation(270, device[i], true), "device " + device[i]);
        }
    }

    @Test
    void deviceOrientationRoundsToTheNearestQuarterTurn() {
        // 44 → 0, 45 → 90 (halves up), 46 → 90, 314 → 270, 316 → 360 ≡ 0, 359 → 0.
        int[] device = {44, 45, 46, 314, 316, 359};
        int[] back = {90, 180, 180, 0, 90, 90};
        int[] front = {270, 180, 180, 0, 270, 270};
        for (int i = 0; i < device.length; i++) {
            assertEquals(back[i], documented(90, device[i], false));
            assertEquals(front[i], documented(270, device[i], true));
            assertEquals(back[i], Camera2Source.jpegOrientation(90, device[i], false), "back, device " + device[i]);
            assertEquals(front[i], Camera2Source.jpegOrientation(270, device[i], true), "front, device " + device[i]);
        }
    }

    @Test
    void unknownOrientationKeepsTheSensorOrientation() {
        for (int sensor = 0; sensor < 360; sensor += 90) {
            assertEquals(sensor, Camera2Source.jpegOrientation(sensor, UNKNOWN, false));
            assertEquals(sensor, Camera2Source.jpegOrientation(sensor, UNKNOWN, true));
        }
    }

    @Test
    void everyInputGivesTheDocumentedValueInRange() {
        for (int sensor = 0; sensor < 360; sensor += 90) {
            for (int device = UNKNOWN; device < 360; device++) {
                for (boolean front : new boolean[] {false, true}) {
                    int got = Camera2Source.jpegOrientation(sensor, device, front);
                    String what = "sensor " + sensor + ", device " + device + (front ? ", front" : ", back");
                    assertTrue(got >= 0 && got < 360 && got % 90 == 0, what + ": " + got);
                    assertEquals(documented(sensor, device, front), got, what);
                }
            }
        }
    }
}
