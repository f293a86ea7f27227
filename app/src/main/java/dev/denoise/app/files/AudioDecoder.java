package dev.denoise.app.files;

import dev.denoise.core.Progress;
import dev.denoise.core.audio.wav.AudioClip;
import java.io.IOException;

/** Decodes a whole file into float samples. */
public interface AudioDecoder {
    /**
     * @throws IOException with a message for the user when the file cannot be decoded
     * @throws java.util.concurrent.CancellationException when {@code progress} cancels
     */
    AudioClip decode(AudioSource source, Progress progress) throws IOException;
}
