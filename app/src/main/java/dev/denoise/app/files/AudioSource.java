package dev.denoise.app.files;

import java.io.IOException;
import java.io.InputStream;

/** A file the user picked: read-only access (the original is never written). */
public interface AudioSource {
    String displayName();

    /** A new stream over the file's bytes each call. */
    InputStream open() throws IOException;
}
