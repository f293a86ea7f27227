package dev.denoise.app.files;

import dev.denoise.core.audio.wav.AudioClip;
import java.io.IOException;

/** What the files flow needs from the phone besides decoding. */
public interface FilePlatform {

    /**
     * Saves {@code clip} as a new 16-bit WAV named {@code displayName} (MediaStore, pending until
     * complete; never replaces an existing file) and returns where the user finds it.
     */
    String saveCopy(AudioClip clip, String displayName) throws IOException;

    /** Plays {@code clip} from {@code startFrame}; {@code onEnd} runs on the main thread at the end. */
    void play(AudioClip clip, int startFrame, Runnable onEnd);

    /** Stops playback; returns the frame it had reached. */
    int stopPlayback();
}
