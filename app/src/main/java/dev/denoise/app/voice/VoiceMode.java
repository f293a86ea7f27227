package dev.denoise.app.voice;

/** What the live path and the file path do to the voice. */
public enum VoiceMode {
    /** The TFLite gain model (RNNoise-style); falls back to {@link #CLASSIC} when it cannot load. */
    NEURAL("Neural"),
    /** MMSE-LSA with speech-presence noise tracking (denoise-core). */
    CLASSIC("Classic"),
    /** Input passed through untouched (to compare). */
    OFF("Off");

    private final String label;

    VoiceMode(String label) {
        this.label = label;
    }

    /** The name the UI shows. */
    public String label() {
        return label;
    }
}
