package dev.denoise.app.files;

import dev.denoise.app.voice.VoiceMode;

/**
 * What the audio files screen shows.
 *
 * @param phase where the flow is
 * @param fileName the picked file's name, or null
 * @param summary e.g. "48000 Hz, 2 channels, 12.3 s", or null
 * @param progress 0–1 while decoding or denoising
 * @param mode the denoiser used for files (Neural or Classic)
 * @param strengthDb maximum attenuation, dB
 * @param playing which version plays, or null
 * @param note a neutral note (model fallback), or null
 * @param error what went wrong in phase ERROR, or null
 * @param savedAs where the denoised copy was saved, or null
 */
public record FileUiState(Phase phase, String fileName, String summary, double progress, VoiceMode mode,
        double strengthDb, Version playing, String note, String error, String savedAs) {

    public enum Phase { EMPTY, DECODING, READY, DENOISING, DENOISED, SAVING, ERROR }

    /** The two versions A/B playback switches between. */
    public enum Version { ORIGINAL, DENOISED }

    public static FileUiState empty() {
        return new FileUiState(Phase.EMPTY, null, null, 0, VoiceMode.CLASSIC, 30, null, null, null, null);
    }

    /** Whether a long job runs (progress and cancel shown). */
    public boolean busy() {
        return phase == Phase.DECODING || phase == Phase.DENOISING || phase == Phase.SAVING;
    }

    FileUiState with(Phase p, double prog) {
        return new FileUiState(p, fileName, summary, prog, mode, strengthDb, playing, note, error, savedAs);
    }

    FileUiState withFile(String name, String sum) {
        return new FileUiState(phase, name, sum, progress, mode, strengthDb, null, null, null, null);
    }

    FileUiState withSettings(VoiceMode m, double s) {
        return new FileUiState(phase, fileName, summary, progress, m, s, playing, note, error, savedAs);
    }

    FileUiState withPlaying(Version v) {
        return new FileUiState(phase, fileName, summary, progress, mode, strengthDb, v, note, error, savedAs);
    }

    FileUiState withMessages(String n, String e, String saved) {
        return new FileUiState(phase, fileName, summary, progress, mode, strengthDb, playing, n, e, saved);
    }
}
