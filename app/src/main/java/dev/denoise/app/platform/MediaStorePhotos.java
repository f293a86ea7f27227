package dev.denoise.app.platform;

import android.content.ContentResolver;
import android.content.ContentValues;
import android.net.Uri;
import android.os.Build;
import android.os.Environment;
import android.provider.MediaStore;
import dev.denoise.core.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Writes a new photo into the shared Pictures/Denoised folder through MediaStore: inserted with
 * IS_PENDING=1 (invisible to other apps), filled, then published with IS_PENDING=0. If anything
 * fails or the copy is cancelled, the entry is deleted, so no partial photo is ever visible. A new
 * entry every time; MediaStore gives a unique name when one exists, so nothing is replaced.
 */
public final class MediaStorePhotos {
    public static final String FOLDER = Environment.DIRECTORY_PICTURES + "/Denoised";
    private static final int CHUNK = 256 * 1024;

    private MediaStorePhotos() {
    }

    /**
     * Copies {@code data} ({@code length} bytes, for progress) into a new entry; returns its Uri.
     *
     * @throws java.util.concurrent.CancellationException when {@code progress} cancels (the entry
     *     is deleted first)
     */
    public static Uri insert(ContentResolver resolver, String displayName, String mimeType, InputStream data,
            long length, Progress progress) throws IOException {
        ContentValues values = new ContentValues();
        values.put(MediaStore.MediaColumns.DISPLAY_NAME, displayName);
        values.put(MediaStore.MediaColumns.MIME_TYPE, mimeType);
        Uri collection;
        if (Build.VERSION.SDK_INT >= 29) {
            values.put(MediaStore.MediaColumns.RELATIVE_PATH, FOLDER);
            values.put(MediaStore.MediaColumns.IS_PENDING, 1);
            collection = MediaStore.Images.Media.getContentUri(MediaStore.VOLUME_EXTERNAL_PRIMARY);
        } else {
            collection = MediaStore.Images.Media.EXTERNAL_CONTENT_URI;
        }
        Uri item = resolver.insert(collection, values);
        if (item == null) {
            throw new IOException("the media store refused a new photo " + displayName);
        }
        boolean done = false;
        try {
            try (OutputStream out = resolver.openOutputStream(item, "w")) {
                if (out == null) {
                    throw new IOException("cannot open " + item + " for writing");
                }
                byte[] buffer = new byte[CHUNK];
                long copied = 0;
                for (int n; (n = data.read(buffer)) > 0; ) {
                    out.write(buffer, 0, n);
                    copied += n;
                    progress.update(length > 0 ? Math.min(1, copied / (double) length) : 0);
                }
            }
            // Last chance to cancel before the photo becomes visible.
            progress.update(1);
            if (Build.VERSION.SDK_INT >= 29) {
                ContentValues publish = new ContentValues();
                publish.put(MediaStore.MediaColumns.IS_PENDING, 0);
                if (resolver.update(item, publish, null, null) != 1) {
                    throw new IOException("the media store did not publish " + item);
                }
            }
            done = true;
        } finally {
            if (!done) {
                resolver.delete(item, null, null);
            }
        }
        return item;
    }
}
