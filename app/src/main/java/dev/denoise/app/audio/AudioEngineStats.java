package dev.denoise.app.audio;

/**
 * Counters of a running {@link DuplexAudioEngine}, for the live screen and for tests.
 *
 * @param framesProcessed 10 ms frames that went through the processor
 * @param inputOverruns times input arrived while the buffer towards the processor was full
 *     (input samples were dropped)
 * @param outputUnderruns times the output needed a frame that was not ready (silence was played)
 * @param outputDrops times processed audio was discarded because the output was full (after a
 *     processing stall the queued audio is dropped rather than played late)
 * @param latencyMillis current estimate of input-to-output latency, or {@code NaN} when unknown
 */
public record AudioEngineStats(
        long framesProcessed, long inputOverruns, long outputUnderruns, long outputDrops,
        double latencyMillis) {

    /** The counters of an engine that has not started. */
    public static final AudioEngineStats NONE = new AudioEngineStats(0, 0, 0, 0, Double.NaN);
}
