package dev.denoise.app.voice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoise.core.audio.SpeechLikeSignal;
import dev.denoise.core.audio.StreamingStage;
import dev.denoise.core.audio.classic.Strength;
import dev.denoise.core.audio.mask.SpectralMaskDenoiser;
import dev.denoise.core.metrics.SiSdr;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The live path's per-frame work, driven frame by frame as an engine would. */
class LiveProcessorTest {
    static final int RATE = 48000;
    static final int FRAME = 480;

    static float[] run(LiveProcessor p, float[] x) {
        float[] y = new float[x.length];
        float[] in = new float[FRAME];
        float[] out = new float[FRAME];
        for (int pos = 0; pos + FRAME <= x.length; pos += FRAME) {
            System.arraycopy(x, pos, in, 0, FRAME);
            p.process(in, out);
            System.arraycopy(out, 0, y, pos, FRAME);
        }
        return y;
    }

    /**
     * Stands in for the neural stage: passes its input through, logging resets and each frame
     * as "0" (silence) or "x" when {@code log} is set (the allocation test leaves it null).
     */
    static final class LoggingStage implements StreamingStage {
        final int frame;
        final List<String> log;

        LoggingStage(int frame, List<String> log) {
            this.frame = frame;
            this.log = log;
        }

        @Override
        public int frameSize() {
            return frame;
        }

        @Override
        public int latencySamples() {
            return 0;
        }

        @Override
        public void process(float[] in, int inOffset, float[] out, int outOffset) {
            boolean silent = true;
            for (int i = 0; i < frame; i++) {
                silent &= in[inOffset + i] == 0f;
            }
            if (log != null) {
                log.add(silent ? "0" : "x");
            }
            System.arraycopy(in, inOffset, out, outOffset, frame);
        }

        @Override
        public void reset() {
            if (log != null) {
                log.add("reset");
            }
        }
    }

    static void frames(LiveProcessor p, VoiceMode mode, int count) {
        p.setMode(mode);
        float[] in = new float[p.frameSize()];
        Arrays.fill(in, 0.3f);
        float[] out = new float[p.frameSize()];
        for (int i = 0; i < count; i++) {
            p.process(in, out);
        }
    }

    /**
     * The neural stage hears 50 ms of silence after a reset before its first live frame, at
     * construction (so a session that starts in, or first switches to, neural mode starts
     * primed) and again when neural mode comes back after it has run; never a bare reset.
     */
    @Test
    void neuralStageIsPrimedWithSilenceBeforeItHearsLiveAudio() {
        for (int rate : new int[] {48000, 44100, 16000}) {
            List<String> log = new ArrayList<>();
            LiveProcessor p = new LiveProcessor(rate, Strength.DEFAULT, VoiceMode.CLASSIC,
                    new LoggingStage(rate / 100, log), null);
            List<String> primed = List.of("reset", "0", "0", "0", "0", "0");
            assertEquals(primed, log, rate + " Hz at construction");
            log.clear();
            frames(p, VoiceMode.CLASSIC, 3);
            frames(p, VoiceMode.OFF, 2);
            frames(p, VoiceMode.NEURAL, 2);
            assertEquals(List.of("x", "x"), log, rate + " Hz: primed and unused, so not primed again");
            log.clear();
            frames(p, VoiceMode.CLASSIC, 1);
            frames(p, VoiceMode.NEURAL, 1);
            List<String> again = new ArrayList<>(primed);
            again.add("x");
            assertEquals(again, log, rate + " Hz: back to neural after it ran");
        }
    }

    @Test
    void classicRaisesSiSdrOfNoisySpeech() {
        float[] clean = SpeechLikeSignal.speech(RATE, 6, 11);
        float[] noisy = SpeechLikeSignal.mix(clean, SpeechLikeSignal.noise(RATE, 6, 0.4, true, 12), 0);
        LiveProcessor p = new LiveProcessor(RATE, Strength.DEFAULT, VoiceMode.CLASSIC, null, null);
        float[] y = run(p, noisy);
        int lat = p.latencySamples();
        int skip = RATE; // the noise tracker's first second
        float[] ref = Arrays.copyOfRange(clean, skip, noisy.length - lat);
        double before = SiSdr.db(ref, Arrays.copyOfRange(noisy, skip, noisy.length - lat));
        double after = SiSdr.db(ref, Arrays.copyOfRange(y, skip + lat, noisy.length));
        assertTrue(after > before + 3, "SI-SDR " + before + " -> " + after);
    }

    /**
     * Neural mode runs a spectral-mask denoiser like the band-gain one: its mask is applied (a
     * 0.25 gain quarters the delayed input), the strength reaches it (0 dB lifts the floor to
     * 1), its mean gain is the voice activity, and closing the processor closes the model.
     */
    @Test
    void neuralModeRunsASpectralMaskDenoiser() {
        float[] x = SpeechLikeSignal.mix(SpeechLikeSignal.speech(RATE, 1, 5),
                SpeechLikeSignal.noise(RATE, 1, 0.4, false, 6), 5);
        ConstantMaskModel model = new ConstantMaskModel(0.25f);
        SpectralMaskDenoiser mask = new SpectralMaskDenoiser(model, new Strength(40, 1));
        LiveProcessor p = new LiveProcessor(RATE, new Strength(40, 1), VoiceMode.NEURAL, mask, mask);
        assertEquals(VoiceMode.NEURAL, p.effectiveMode());
        assertEquals(FRAME, p.latencySamples());
        float[] y = run(p, x);
        for (int n = 2 * FRAME; n < y.length; n++) {
            assertEquals(0.25f * x[n - FRAME], y[n], 1e-5f, "sample " + n);
        }
        assertEquals(0.25f, p.voiceProbability(), 1e-6f);
        p.setStrength(new Strength(0, 1));
        float[] z = run(p, x);
        assertEquals(1f, p.voiceProbability(), 1e-6f);
        assertEquals(x[3 * FRAME], z[4 * FRAME], 1e-5f);
        p.close();
        assertTrue(model.closed);
    }

    @Test
    void offPassesInputThroughUnchanged() {
        float[] x = SpeechLikeSignal.speech(RATE, 1, 3);
        LiveProcessor p = new LiveProcessor(RATE, Strength.DEFAULT, VoiceMode.OFF, null, null);
        float[] y = run(p, x);
        assertArrayEquals(Arrays.copyOf(x, y.length / FRAME * FRAME), Arrays.copyOf(y, y.length / FRAME * FRAME));
        assertEquals(-1f, p.voiceProbability());
    }

    @Test
    void modeAndStrengthChangesTakeEffectAtTheNextFrame() {
        float[] clean = SpeechLikeSignal.speech(RATE, 4, 21);
        float[] x = SpeechLikeSignal.mix(clean, SpeechLikeSignal.noise(RATE, 4, 0.4, false, 22), 0);
        LiveProcessor p = new LiveProcessor(RATE, Strength.DEFAULT, VoiceMode.CLASSIC, null, null);
        float[] in = new float[FRAME];
        float[] out = new float[FRAME];
        int frames = x.length / FRAME;
        int toOff = frames / 3;
        int toZeroDb = 2 * frames / 3;
        float[] y = new float[frames * FRAME];
        for (int f = 0; f < frames; f++) {
            if (f == toOff) {
                p.setMode(VoiceMode.OFF);
            }
            if (f == toZeroDb) {
                p.setMode(VoiceMode.CLASSIC);
                p.setStrength(new Strength(0, 1));
            }
            System.arraycopy(x, f * FRAME, in, 0, FRAME);
            p.process(in, out);
            System.arraycopy(out, 0, y, f * FRAME, FRAME);
        }
        // Classic at 30 dB changes the signal; Off from exactly the switch frame is the input.
        double diffBefore = 0;
        for (int i = FRAME * (toOff - 10); i < FRAME * toOff; i++) {
            diffBefore = Math.max(diffBefore, Math.abs(y[i] - x[i]));
        }
        assertTrue(diffBefore > 0.05, "classic left the noisy input unchanged: " + diffBefore);
        for (int i = FRAME * toOff; i < FRAME * toZeroDb; i++) {
            assertEquals(x[i], y[i], 0f, "sample " + i);
        }
        // 0 dB = no attenuation: after the stage refills its window (one hop), the output is the
        // input delayed by the algorithmic latency (perfect reconstruction of the STFT).
        int lat = p.latencySamples();
        for (int i = FRAME * (toZeroDb + 2); i < frames * FRAME; i++) {
            assertEquals(x[i - lat], y[i], 1e-4f, "sample " + i);
        }
    }

    @Test
    void metersFollowTheSignal() {
        LiveProcessor p = new LiveProcessor(RATE, Strength.DEFAULT, VoiceMode.OFF, null, null);
        float[] in = new float[FRAME];
        Arrays.fill(in, 0.1f);
        p.process(in, new float[FRAME]);
        assertEquals(-20f, p.inputLevelDb(), 0.01f);
        p.process(new float[FRAME], new float[FRAME]);
        assertEquals(LiveProcessor.LEVEL_FLOOR_DB, p.inputLevelDb());
    }

    @Test
    void recordTapGetsEveryProcessedSample() {
        float[] x = SpeechLikeSignal.speech(RATE, 1, 5);
        LiveProcessor p = new LiveProcessor(RATE, Strength.DEFAULT, VoiceMode.CLASSIC, null, null);
        FloatRingBuffer ring = new FloatRingBuffer(RATE * 2);
        p.setRecordTap(ring);
        float[] y = run(p, x);
        float[] recorded = new float[ring.available()];
        ring.read(recorded, 0, recorded.length);
        assertArrayEquals(Arrays.copyOf(y, recorded.length), recorded);
        assertEquals(x.length / FRAME * FRAME, recorded.length);
    }

    @Test
    void processAllocatesNothingPerFrame() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        float[] x = SpeechLikeSignal.mix(SpeechLikeSignal.speech(RATE, 2, 1),
                SpeechLikeSignal.noise(RATE, 2, 0.4, false, 2), 5);
        // Switching back to neural primes it again on this thread: that allocates nothing either.
        LiveProcessor p = new LiveProcessor(RATE, Strength.DEFAULT, VoiceMode.CLASSIC,
                new LoggingStage(FRAME, null), null);
        p.setRecordTap(new FloatRingBuffer(1 << 20));
        float[] in = new float[FRAME];
        float[] out = new float[FRAME];
        VoiceMode[] modes = {VoiceMode.CLASSIC, VoiceMode.NEURAL, VoiceMode.OFF, VoiceMode.NEURAL};
        for (int warm = 0; warm < 2000; warm++) {
            p.setMode(modes[(warm / 50) % modes.length]);
            System.arraycopy(x, (warm % 190) * FRAME, in, 0, FRAME);
            p.process(in, out);
        }
        long tid = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(tid);
        for (int f = 0; f < 190; f++) {
            p.setMode(modes[(f / 20) % modes.length]);
            System.arraycopy(x, f * FRAME, in, 0, FRAME);
            p.process(in, out);
        }
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        assertTrue(allocated < 256, "190 frames allocated " + allocated + " bytes");
    }
}
