package dev.denoise.app.platform;

import android.content.ContentResolver;
import android.net.Uri;
import dev.denoise.app.photos.CameraNoiseMetadata;
import dev.denoise.app.photos.PhotoSource;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;

/** A photo behind a content or file Uri (the photo picker's result, a camera capture), only read. */
public final class UriPhotoSource implements PhotoSource {
    private final ContentResolver resolver;
    private final Uri uri;
    private final String displayName;
    private final CameraNoiseMetadata metadata;

    public UriPhotoSource(ContentResolver resolver, Uri uri, String displayName, CameraNoiseMetadata metadata) {
        this.resolver = resolver;
        this.uri = uri;
        this.displayName = displayName;
        this.metadata = metadata;
    }

    @Override
    public String displayName() {
        return displayName;
    }

    @Override
    public InputStream open() throws IOException {
        InputStream in = resolver.openInputStream(uri);
        if (in == null) {
            throw new FileNotFoundException("cannot read " + uri);
        }
        return in;
    }

    @Override
    public CameraNoiseMetadata cameraMetadata() {
        return metadata;
    }
}
