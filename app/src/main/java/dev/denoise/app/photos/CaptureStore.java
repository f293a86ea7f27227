package dev.denoise.app.photos;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The camera's temporary captures: JPEGs in one folder of the app's cache, held by the photo
 * screen while it shows them. A capture is deleted when the screen lets go of it
 * ({@link PhotoSource#discard()}: the photo replaced, the screen closed); captures older than this
 * session (a process that ended before it could let go) are deleted by {@link #deleteStale()}.
 * Only regular files directly inside this folder are ever deleted: the user's photos, picked or
 * saved (MediaStore items), are never touched.
 */
public final class CaptureStore {
    private final File dir;
    private final long sessionStartMillis;

    /**
     * @param dir the captures folder (created when missing)
     * @param sessionStartMillis when this session began (wall clock, as file times): files last
     *     modified before it are stale
     */
    public CaptureStore(File dir, long sessionStartMillis) {
        this.dir = dir;
        this.sessionStartMillis = sessionStartMillis;
    }

    /** The folder the camera writes its stills into. */
    public File dir() {
        dir.mkdirs();
        return dir;
    }

    /** Deletes the captures older than this session; returns how many. */
    public int deleteStale() {
        File[] files = dir.listFiles();
        int deleted = 0;
        if (files == null) {
            return 0;
        }
        for (File f : files) {
            if (f.isFile() && f.lastModified() < sessionStartMillis && f.delete()) {
                deleted++;
            }
        }
        return deleted;
    }

    /** Whether {@code file} is a capture of this store (directly inside its folder). */
    public boolean owns(File file) {
        try {
            File parent = file.getCanonicalFile().getParentFile();
            return parent != null && parent.equals(dir.getCanonicalFile());
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The photo source of a capture: read from the file; {@link PhotoSource#discard()} deletes it
     * (only when it lies in this store's folder).
     */
    public PhotoSource source(File jpeg, String displayName, CameraNoiseMetadata metadata) {
        return new PhotoSource() {
            @Override
            public String displayName() {
                return displayName;
            }

            @Override
            public InputStream open() throws IOException {
                return new FileInputStream(jpeg);
            }

            @Override
            public CameraNoiseMetadata cameraMetadata() {
                return metadata;
            }

            @Override
            public void discard() {
                if (owns(jpeg)) {
                    jpeg.delete();
                }
            }
        };
    }
}
