package dev.denoise.app.voice;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Single-producer single-consumer ring of float samples with monotonic 64-bit counters: the
 * producer (the audio thread) never blocks, locks or allocates; when the ring is full the
 * samples that do not fit are dropped and counted.
 */
public final class FloatRingBuffer {
    private final float[] data;
    private final int mask;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong read = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    /** @param capacity samples, rounded up to a power of two */
    public FloatRingBuffer(int capacity) {
        if (capacity < 1 || capacity > (1 << 28)) {
            throw new IllegalArgumentException("capacity must be in [1, 2^28]: " + capacity);
        }
        int size = Integer.highestOneBit(capacity - 1) << 1;
        data = new float[Math.max(size, 1)];
        mask = data.length - 1;
    }

    public int capacity() {
        return data.length;
    }

    /** Producer side: copies up to {@code length} samples; returns how many fit. */
    public int write(float[] in, int offset, int length) {
        long w = written.get();
        long free = data.length - (w - read.get());
        int n = (int) Math.min(length, free);
        for (int i = 0; i < n; i++) {
            data[(int) ((w + i) & mask)] = in[offset + i];
        }
        written.lazySet(w + n);
        if (n < length) {
            dropped.addAndGet(length - n);
        }
        return n;
    }

    /** Consumer side: moves up to {@code length} samples into {@code out}; returns how many. */
    public int read(float[] out, int offset, int length) {
        long r = read.get();
        int n = (int) Math.min(length, written.get() - r);
        for (int i = 0; i < n; i++) {
            out[offset + i] = data[(int) ((r + i) & mask)];
        }
        read.lazySet(r + n);
        return n;
    }

    /** Samples waiting for the consumer. */
    public int available() {
        return (int) (written.get() - read.get());
    }

    /** Samples the producer had to drop because the ring was full. */
    public long dropped() {
        return dropped.get();
    }
}
