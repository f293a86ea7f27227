package dev.denoise.app;

/**
 * What the Voice screen shows. Plain Java so that the logic behind screens stays testable on
 * the JVM without Android; the Compose UI only renders it.
 */
public final class VoiceUiState {
    private final String title;
    private final String status;

    public VoiceUiState(String title, String status) {
        this.title = title;
        this.status = status;
    }

    /** The state before any audio has been opened. */
    public static VoiceUiState idle(String title) {
        return new VoiceUiState(title, "Ready");
    }

    public String title() {
        return title;
    }

    public String status() {
        return status;
    }
}
