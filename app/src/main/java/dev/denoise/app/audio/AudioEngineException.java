package dev.denoise.app.audio;

/** An audio stream could not be opened or started; the message says which and why. */
public class AudioEngineException extends Exception {
    public AudioEngineException(String message) {
        super(message);
    }

    public AudioEngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
