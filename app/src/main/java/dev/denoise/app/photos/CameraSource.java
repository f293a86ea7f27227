package dev.denoise.app.photos;

import java.io.File;

/**
 * The camera behind the photo screen (camera2 on a phone, a fake in tests; CameraX is not
 * available to this build). One preview and one full-resolution still capture at a time.
 *
 * <p>Threads: call from the main thread; callbacks arrive on the main thread.
 */
public interface CameraSource extends AutoCloseable {

    /** What opening and capturing report. */
    interface Listener {
        /** The preview runs. */
        void onPreviewStarted(int previewWidth, int previewHeight);

        /**
         * A still was captured at full resolution and written as a JPEG to {@code jpeg} (owned by
         * the caller from now on), with the capture result's noise metadata (null when the
         * result never arrived).
         */
        void onCaptured(File jpeg, CameraNoiseMetadata metadata);

        /** Opening or capturing failed; {@code message} says why, for the screen. */
        void onError(String message);
    }

    /**
     * Opens the back camera and starts its preview into {@code surfaceTexture} (an
     * {@code android.graphics.SurfaceTexture}; typed as Object to keep this interface plain Java).
     */
    void open(Object surfaceTexture, Listener listener);

    /** Takes one still at the sensor's largest JPEG size. */
    void capture();

    /** Stops the preview and frees the camera. Closing twice is harmless. */
    @Override
    void close();
}
