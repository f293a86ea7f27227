package dev.denoise.app.photos;

import java.io.IOException;
import java.io.InputStream;

/**
 * A photo to denoise: a gallery item or a camera capture. Only ever read; {@link #open()} may be
 * called several times (decoding, EXIF, region reads), each stream closed by its caller.
 */
public interface PhotoSource {
    String displayName();

    InputStream open() throws IOException;

    /** The capture's noise metadata when the photo came from this app's camera, else null. */
    default CameraNoiseMetadata cameraMetadata() {
        return null;
    }

    /**
     * Called once the photo screen is done with this photo (replaced by another, failed to open,
     * or the screen closed). A temporary camera capture deletes its file
     * ({@link CaptureStore#source}); a photo of the user's (the default) is left alone.
     */
    default void discard() {
    }
}
