package dev.denoise.app;

import android.app.Application;
import android.content.Context;
import android.os.Handler;
import android.os.Looper;
import dev.denoise.app.files.FileDenoiseController;
import dev.denoise.app.files.WavDecoder;
import dev.denoise.app.models.TflitePhotoModelLoader;
import dev.denoise.app.models.TfliteVoiceModelLoader;
import dev.denoise.app.models.VoiceModelLoader;
import dev.denoise.app.platform.AndroidFilePlatform;
import dev.denoise.app.platform.AndroidLivePlatform;
import dev.denoise.app.platform.AndroidPhotoPlatform;
import dev.denoise.app.platform.Camera2Source;
import dev.denoise.app.photos.CameraSource;
import dev.denoise.app.photos.CaptureStore;
import dev.denoise.app.photos.PhotoDenoiseController;
import dev.denoise.app.platform.CodecDecoder;
import dev.denoise.app.voice.LiveVoiceController;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The app's object graph: one live controller and one files controller for the process, so the
 * live session survives the activity being recreated and the foreground service can stop it.
 */
public final class DenoiseApp extends Application {
    private LiveVoiceController live;
    private FileDenoiseController files;
    private ExecutorService background;
    private PhotoDenoiseController photos;
    private ExecutorService photoBackground;
    private CaptureStore captures;
    /** When this process began: camera captures older than it are left over from an earlier one. */
    private final long sessionStart = System.currentTimeMillis();

    public static DenoiseApp of(Context context) {
        return (DenoiseApp) context.getApplicationContext();
    }

    /** The voice model from the APK's assets (stored uncompressed). */
    public VoiceModelLoader voiceModel() {
        return new TfliteVoiceModelLoader(path -> getAssets().open(path), TfliteVoiceModelLoader.DEFAULT_DIR);
    }

    public synchronized LiveVoiceController live() {
        if (live == null) {
            live = new LiveVoiceController(new AndroidLivePlatform(this), voiceModel());
        }
        return live;
    }

    public synchronized FileDenoiseController files() {
        if (files == null) {
            background = Executors.newSingleThreadExecutor(r -> new Thread(r, "file-denoise"));
            Handler main = new Handler(Looper.getMainLooper());
            files = new FileDenoiseController(new WavDecoder(new CodecDecoder(getContentResolver())),
                    new AndroidFilePlatform(this), voiceModel(), background, main::post);
        }
        return files;
    }

    public synchronized PhotoDenoiseController photos() {
        if (photos == null) {
            photoBackground = Executors.newSingleThreadExecutor(r -> new Thread(r, "photo-denoise"));
            Handler main = new Handler(Looper.getMainLooper());
            photos = new PhotoDenoiseController(new AndroidPhotoPlatform(this),
                    new TflitePhotoModelLoader(path -> getAssets().open(path), Runtime.getRuntime().availableProcessors()),
                    captures(), photoBackground, main::post);
        }
        return photos;
    }

    /**
     * The camera's captures in the app's cache ({@code cache/captures}): each deleted once the
     * photo screen lets go of it, stale ones from earlier processes when the photo screen starts.
     */
    public synchronized CaptureStore captures() {
        if (captures == null) {
            captures = new CaptureStore(new java.io.File(getCacheDir(), "captures"), sessionStart);
        }
        return captures;
    }

    /** A new camera for the camera screen; stills go to {@link #captures()} until opened. */
    public CameraSource newCamera() {
        return new Camera2Source(this, captures().dir());
    }
}
