package dev.denoise.app.voice;

import dev.denoise.app.audio.AudioEngineException;
import dev.denoise.app.audio.DuplexAudioEngine;
import java.io.IOException;
import java.nio.file.Path;

/**
 * What the live controller needs from the phone. The Android implementation is
 * {@code platform.AndroidLivePlatform}; tests use a fake.
 */
public interface LivePlatform {

    boolean hasRecordPermission();

    /** Wired or Bluetooth headphones/headset are the current output (no loudspeaker feedback). */
    boolean headphonesConnected();

    /** Asks for audio focus; {@code onLoss} runs (on the main thread) when another app takes it. */
    boolean requestAudioFocus(Runnable onLoss);

    void abandonAudioFocus();

    /** Starts the foreground service (type microphone) that keeps the process alive while live. */
    void startLiveService();

    void stopLiveService();

    /** A new, not yet started engine; {@code playback} false for recording without monitoring. */
    DuplexAudioEngine openEngine(boolean playback) throws AudioEngineException;

    /** A fresh path to record into (app-private scratch space). */
    Path newScratchRecording() throws IOException;

    /**
     * Publishes a finished recording for the user (MediaStore, pending until complete), then
     * deletes the scratch file; returns where the user finds it.
     */
    String publishRecording(Path wav, String displayName) throws IOException;
}
