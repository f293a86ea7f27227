package dev.denoise.app.audio;

/**
 * A full-duplex audio path for live cleanup: microphone frames in, processed frames out,
 * one 10 ms mono frame at a time.
 *
 * <p>Two implementations are planned: the platform path (AudioRecord in, AudioTrack out, in
 * low-latency mode) and the native engine (a device callback feeding a lock-free ring buffer,
 * bridged by JNI). Either way {@link #start} runs {@link FrameProcessor#process} on one Java
 * processing thread that the engine owns; the processor never runs on the device callback, so it
 * may use the Java denoiser freely but should not allocate per frame.
 *
 * <p>Plain Java with no Android types, so the contract and the code that drives it can be tested
 * on the JVM.
 */
public interface DuplexAudioEngine extends AutoCloseable {

    /** Turns one input frame into one output frame; both arrays hold {@link #frameSize()} samples. */
    @FunctionalInterface
    interface FrameProcessor {
        void process(float[] input, float[] output);
    }

    /** A short human-readable name for the UI, e.g. "Native (Oboe)" or "AudioRecord/AudioTrack". */
    String name();

    /** The rate at which {@link FrameProcessor} sees samples, in Hz. */
    int sampleRate();

    /** Samples per frame handed to the processor: 10 ms at {@link #sampleRate()}. */
    default int frameSize() {
        return sampleRate() / 100;
    }

    /**
     * Opens the streams and starts the processing thread.
     *
     * @throws AudioEngineException when a stream cannot be opened; nothing is left running then
     * @throws IllegalStateException when already started
     */
    void start(FrameProcessor processor) throws AudioEngineException;

    /** Stops the streams and joins the processing thread; does nothing when not started. */
    void stop();

    /** Whether {@link #start} succeeded and {@link #stop} has not been called since. */
    boolean isRunning();

    /** A consistent snapshot of the counters since the last {@link #start}. */
    AudioEngineStats stats();

    /** Stops the engine and releases everything it holds. */
    @Override
    void close();
}
