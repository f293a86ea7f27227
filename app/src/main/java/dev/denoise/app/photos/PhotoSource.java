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
}
