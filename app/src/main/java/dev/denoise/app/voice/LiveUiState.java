package dev.denoise.app.voice;

import dev.denoise.app.models.DelegateChoice;

/**
 * Everything the live voice screen shows, as one immutable snapshot.
 *
 * @param phase where the screen is in its flow
 * @param mode the chosen mode; {@code effectiveMode} is what runs (Neural without a model runs Classic)
 * @param strengthDb maximum attenuation, dB
 * @param monitor whether the processed sound plays on the headphones
 * @param record whether the processed sound is recorded to a WAV file
 * @param warning a warning the user should read (loudspeaker, headphones unplugged), or null
 * @param note a neutral note (model fallback), or null
 * @param error what went wrong when {@code phase} is ERROR, or null
 * @param inputLevelDb last input level, dBFS
 * @param outputLevelDb last output level, dBFS
 * @param voiceProbability voice activity in [0, 1], or -1 when not computed
 * @param ioLatencyMs estimate of the engine's input-to-output latency, NaN when unknown
 * @param algorithmLatencyMs the denoiser's own delay
 * @param inputOverruns engine counter
 * @param outputUnderruns engine counter
 * @param outputDrops engine counter: processed audio discarded because the output was full
 * @param lastRecording where the last recording was saved, or null
 */
public record LiveUiState(
        Phase phase,
        VoiceMode mode,
        VoiceMode effectiveMode,
        double strengthDb,
        DelegateChoice delegate,
        boolean monitor,
        boolean record,
        String engineName,
        String warning,
        String note,
        String error,
        float inputLevelDb,
        float outputLevelDb,
        float voiceProbability,
        double ioLatencyMs,
        double algorithmLatencyMs,
        long inputOverruns,
        long outputUnderruns,
        long outputDrops,
        String lastRecording) {

    public enum Phase {
        /** Not running; start is possible. */
        IDLE,
        /** The system permission dialog should be shown now. */
        REQUESTING_PERMISSION,
        /** The user declined once: explain why the microphone is needed, offer to ask again. */
        PERMISSION_RATIONALE,
        /** Declined for good: live voice cannot run until the user allows it in Settings. */
        PERMISSION_DENIED,
        RUNNING,
        /** Could not start or stopped on a failure; {@link LiveUiState#error} says why. */
        ERROR
    }

    /**
     * The first state: Classic by default, because on the held-out voice evaluation
     * (tflite-models/training/runs/voice_eval.md) MMSE-LSA scores at least as well as the shipped
     * neural model on PESQ-WB, STOI and SI-SDR. Switch when a model beats it there.
     */
    public static LiveUiState initial() {
        return new LiveUiState(Phase.IDLE, VoiceMode.CLASSIC, VoiceMode.CLASSIC, 30, DelegateChoice.AUTO,
                false, false, null, null, null, null, LiveProcessor.LEVEL_FLOOR_DB, LiveProcessor.LEVEL_FLOOR_DB,
                -1f, Double.NaN, 0, 0, 0, 0, null);
    }

    public boolean running() {
        return phase == Phase.RUNNING;
    }

    /** Total latency shown to the user, ms (NaN when the engine cannot estimate it). */
    public double totalLatencyMs() {
        return ioLatencyMs + algorithmLatencyMs;
    }

    LiveUiState withPhase(Phase p) {
        return new LiveUiState(p, mode, effectiveMode, strengthDb, delegate, monitor, record, engineName, warning,
                note, error, inputLevelDb, outputLevelDb, voiceProbability, ioLatencyMs, algorithmLatencyMs,
                inputOverruns, outputUnderruns, outputDrops, lastRecording);
    }

    LiveUiState withSettings(VoiceMode m, VoiceMode effective, double s, DelegateChoice d, boolean mon, boolean rec) {
        return new LiveUiState(phase, m, effective, s, d, mon, rec, engineName, warning, note, error, inputLevelDb,
                outputLevelDb, voiceProbability, ioLatencyMs, algorithmLatencyMs, inputOverruns, outputUnderruns,
                outputDrops, lastRecording);
    }

    LiveUiState withMessages(String w, String n, String e) {
        return new LiveUiState(phase, mode, effectiveMode, strengthDb, delegate, monitor, record, engineName, w, n, e,
                inputLevelDb, outputLevelDb, voiceProbability, ioLatencyMs, algorithmLatencyMs, inputOverruns,
                outputUnderruns, outputDrops, lastRecording);
    }

    LiveUiState withMeters(String engine, float in, float out, float vad, double io, double algo, long over,
            long under, long dropped) {
        return new LiveUiState(phase, mode, effectiveMode, strengthDb, delegate, monitor, record, engine, warning,
                note, error, in, out, vad, io, algo, over, under, dropped, lastRecording);
    }

    LiveUiState withLastRecording(String where) {
        return new LiveUiState(phase, mode, effectiveMode, strengthDb, delegate, monitor, record, engineName, warning,
                note, error, inputLevelDb, outputLevelDb, voiceProbability, ioLatencyMs, algorithmLatencyMs,
                inputOverruns, outputUnderruns, outputDrops, where);
    }
}
