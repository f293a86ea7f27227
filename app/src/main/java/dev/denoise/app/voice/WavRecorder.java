package dev.denoise.app.voice;

import dev.denoise.core.audio.wav.WavFormat;
import dev.denoise.core.audio.wav.WavWriter;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Drains a {@link FloatRingBuffer} that the audio thread fills into a 16-bit mono WAV on its own
 * thread, so the audio thread never does I/O. The file appears under its name only after
 * {@link #finish()} ({@link WavWriter} writes through a temporary file).
 */
public final class WavRecorder {
    private static final long POLL_NANOS = 20_000_000L;

    private final FloatRingBuffer ring;
    private final WavWriter writer;
    private final Thread thread;
    private final float[] chunk = new float[4096];
    private volatile boolean stopping;
    private volatile IOException failure;

    /** Starts draining {@code ring} into a new file {@code target}. */
    public WavRecorder(FloatRingBuffer ring, Path target, int sampleRate) throws IOException {
        this.ring = ring;
        this.writer = WavWriter.create(target, WavFormat.pcm16(sampleRate, 1));
        this.thread = new Thread(this::drainLoop, "wav-recorder");
        thread.start();
    }

    private void drainLoop() {
        try {
            while (!stopping) {
                drain();
                java.util.concurrent.locks.LockSupport.parkNanos(POLL_NANOS);
            }
            drain();
        } catch (IOException e) {
            failure = e;
        }
    }

    private void drain() throws IOException {
        int n;
        while ((n = ring.read(chunk, 0, chunk.length)) > 0) {
            writer.write(chunk, 0, n);
        }
    }

    /**
     * Writes what is left and completes the file.
     *
     * @return frames written
     * @throws IOException when writing failed at any point (the partial file is deleted)
     */
    public long finish() throws IOException {
        stopping = true;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (WavWriter w = writer) {
            if (failure != null) {
                throw failure;
            }
            w.commit();
            return w.framesWritten();
        }
    }

    /** Stops and deletes the partial file. */
    public void abort() {
        stopping = true;
        try {
            thread.join();
            writer.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException ignored) {
            // the partial file is being thrown away
        }
    }
}
