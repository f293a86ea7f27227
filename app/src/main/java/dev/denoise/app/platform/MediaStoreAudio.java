package dev.denoise.app.platform;

import android.content.ContentResolver;
import android.content.ContentValues;
import android.net.Uri;
import android.os.Build;
import android.os.Environment;
import android.provider.MediaStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Writes a new audio file into the shared Music/Denoiser folder through MediaStore: the entry is
 * inserted with IS_PENDING=1 (invisible to other apps), filled, then published with IS_PENDING=0;
 * on failure it is deleted. A new entry every time: nothing the user has is replaced.
 */
public final class MediaStoreAudio {
    public static final String FOLDER = Environment.DIRECTORY_MUSIC + "/Denoiser";

    private MediaStoreAudio() {
    }

    /** Copies {@code data} into a new WAV entry named {@code displayName}; returns its Uri. */
    public static Uri insertWav(ContentResolver resolver, String displayName, InputStream data) throws IOException {
        ContentValues values = new ContentValues();
        values.put(MediaStore.MediaColumns.DISPLAY_NAME, displayName);
        values.put(MediaStore.MediaColumns.MIME_TYPE, "audio/wav");
        Uri collection;
        if (Build.VERSION.SDK_INT >= 29) {
            values.put(MediaStore.MediaColumns.RELATIVE_PATH, FOLDER);
            values.put(MediaStore.MediaColumns.IS_PENDING, 1);
            collection = MediaStore.Audio.Media.getContentUri(MediaStore.VOLUME_EXTERNAL_PRIMARY);
        } else {
            collection = MediaStore.Audio.Media.EXTERNAL_CONTENT_URI;
        }
        Uri item = resolver.insert(collection, values);
        if (item == null) {
            throw new IOException("the media store refused a new file " + displayName);
        }
        boolean done = false;
        try (OutputStream out = resolver.openOutputStream(item, "w")) {
            if (out == null) {
                throw new IOException("cannot open " + item + " for writing");
            }
            data.transferTo(out);
            done = true;
        } finally {
            if (!done) {
                resolver.delete(item, null, null);
            }
        }
        if (Build.VERSION.SDK_INT >= 29) {
            ContentValues publish = new ContentValues();
            publish.put(MediaStore.MediaColumns.IS_PENDING, 0);
            resolver.update(item, publish, null, null);
        }
        return item;
    }
}
