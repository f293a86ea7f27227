package dev.denoise.app.voice;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FloatRingBufferTest {
    @Test
    void keepsOrderAcrossTheWrapAndCountsWhatDidNotFit() {
        FloatRingBuffer r = new FloatRingBuffer(6);
        assertEquals(8, r.capacity());
        float[] in = {1, 2, 3, 4, 5};
        assertEquals(5, r.write(in, 0, 5));
        float[] out = new float[8];
        assertEquals(3, r.read(out, 0, 3));
        assertEquals(5, r.write(in, 0, 5)); // wraps
        assertEquals(1, r.write(in, 0, 2)); // one free slot left
        assertEquals(1, r.dropped());
        assertEquals(8, r.read(out, 0, 8));
        assertEquals(4f, out[0]);
        assertEquals(5f, out[1]);
        assertEquals(1f, out[2]);
        assertEquals(5f, out[6]);
        assertEquals(1f, out[7]);
        assertEquals(0, r.available());
    }
}
