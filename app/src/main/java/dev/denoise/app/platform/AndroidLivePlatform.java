package dev.denoise.app.platform;

import android.Manifest;
import android.content.Context;
import android.content.Intent;
import android.content.pm.PackageManager;
import android.media.AudioAttributes;
import android.media.AudioDeviceInfo;
import android.media.AudioFocusRequest;
import android.media.AudioManager;
import android.media.MediaRecorder;
import android.os.Handler;
import android.os.Looper;
import android.util.Log;
import dev.denoise.app.audio.AudioEngineException;
import dev.denoise.app.audio.DuplexAudioEngine;
import dev.denoise.app.audio.PlatformAudioEngine;
import dev.denoise.app.audio.nativeengine.EngineSelection;
import dev.denoise.app.voice.LivePlatform;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@link LivePlatform} on a phone. */
public final class AndroidLivePlatform implements LivePlatform {
    /** The model's rate; Android resamples the microphone to it where the hardware differs. */
    public static final int ENGINE_RATE = 48000;
    private static final String TAG = "DenoiseLive";
    /** Processed audio the native engine queues beyond one frame: absorbs processing-thread stalls. */
    private static final int NATIVE_MARGIN_MS = 10;

    private final Context context;
    private final AudioManager audio;
    private AudioFocusRequest focus;

    public AndroidLivePlatform(Context context) {
        this.context = context.getApplicationContext();
        this.audio = context.getSystemService(AudioManager.class);
    }

    @Override
    public boolean hasRecordPermission() {
        return context.checkSelfPermission(Manifest.permission.RECORD_AUDIO) == PackageManager.PERMISSION_GRANTED;
    }

    @Override
    public boolean headphonesConnected() {
        for (AudioDeviceInfo d : audio.getDevices(AudioManager.GET_DEVICES_OUTPUTS)) {
            switch (d.getType()) {
                case AudioDeviceInfo.TYPE_WIRED_HEADPHONES, AudioDeviceInfo.TYPE_WIRED_HEADSET,
                        AudioDeviceInfo.TYPE_USB_HEADSET, AudioDeviceInfo.TYPE_BLUETOOTH_A2DP,
                        AudioDeviceInfo.TYPE_BLE_HEADSET -> {
                    return true;
                }
                default -> { }
            }
        }
        return false;
    }

    @Override
    public boolean requestAudioFocus(Runnable onLoss) {
        Handler main = new Handler(Looper.getMainLooper());
        focus = new AudioFocusRequest.Builder(AudioManager.AUDIOFOCUS_GAIN_TRANSIENT_EXCLUSIVE)
                .setAudioAttributes(new AudioAttributes.Builder()
                        .setUsage(AudioAttributes.USAGE_MEDIA)
                        .setContentType(AudioAttributes.CONTENT_TYPE_SPEECH).build())
                .setOnAudioFocusChangeListener(change -> {
                    if (change == AudioManager.AUDIOFOCUS_LOSS || change == AudioManager.AUDIOFOCUS_LOSS_TRANSIENT) {
                        onLoss.run();
                    }
                }, main)
                .build();
        return audio.requestAudioFocus(focus) == AudioManager.AUDIOFOCUS_REQUEST_GRANTED;
    }

    @Override
    public void abandonAudioFocus() {
        if (focus != null) {
            audio.abandonAudioFocusRequest(focus);
            focus = null;
        }
    }

    @Override
    public void startLiveService() {
        context.startForegroundService(new Intent(context, LiveVoiceService.class));
    }

    @Override
    public void stopLiveService() {
        context.stopService(new Intent(context, LiveVoiceService.class));
    }

    @Override
    public DuplexAudioEngine openEngine(boolean playback) throws AudioEngineException {
        boolean unprocessed = "true".equals(audio.getProperty(AudioManager.PROPERTY_SUPPORT_AUDIO_SOURCE_UNPROCESSED));
        int source = unprocessed ? MediaRecorder.AudioSource.UNPROCESSED : MediaRecorder.AudioSource.VOICE_RECOGNITION;
        if (!playback) {
            return new PlatformAudioEngine(ENGINE_RATE, false, source);
        }
        // Monitoring wants the lowest latency: the native (Oboe) engine when its library loads,
        // otherwise AudioRecord/AudioTrack. The UI shows engine.name(); the reason goes to the log.
        EngineSelection selection = EngineSelection.preferNative(ENGINE_RATE, NATIVE_MARGIN_MS,
                () -> new PlatformAudioEngine(ENGINE_RATE, true, source));
        Log.i(TAG, "live engine: " + selection.description());
        return selection.engine();
    }

    @Override
    public Path newScratchRecording() throws IOException {
        Path dir = context.getCacheDir().toPath().resolve("recordings");
        Files.createDirectories(dir);
        return dir.resolve("live-" + System.currentTimeMillis() + ".wav");
    }

    @Override
    public String publishRecording(Path wav, String displayName) throws IOException {
        try (InputStream in = Files.newInputStream(wav)) {
            MediaStoreAudio.insertWav(context.getContentResolver(), displayName, in);
        } finally {
            Files.deleteIfExists(wav);
        }
        return MediaStoreAudio.FOLDER + "/" + displayName;
    }
}
