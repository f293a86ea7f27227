package dev.denoise.app.voice;

import dev.denoise.app.audio.DuplexAudioEngine;
import dev.denoise.core.audio.StftStage;
import dev.denoise.core.audio.StreamingStage;
import dev.denoise.core.audio.classic.ClassicDenoiser;
import dev.denoise.core.audio.classic.ClassicMethod;
import dev.denoise.core.audio.classic.Strength;
import dev.denoise.core.audio.rnn.NeuralVoiceStage;
import dev.denoise.core.audio.rnn.SilencePrimedStage;
import dev.denoise.core.audio.Stft;

/**
 * The live path's per-frame work, run on the engine's processing thread: the chosen denoiser
 * (neural, classic or none), level meters, voice activity, and the tap towards the recorder.
 *
 * <p>Allocates everything in the constructor; {@link #process} allocates, locks, logs and does
 * I/O never. Mode and strength are read once per frame from volatile fields, so a change made
 * from the UI thread takes effect at the next frame; the newly chosen denoiser is reset first so
 * it does not replay audio from before it was last used.
 *
 * <p>The neural denoiser never starts from its all-zero state, from which it cuts the first few
 * hundred milliseconds of speech: it runs inside a {@link SilencePrimedStage}, primed with
 * {@link NeuralVoiceStage#LIVE_PRIME_SECONDS} of silence in the constructor (off the audio
 * thread) and again by the reset when the live path switches back to it after it has run (five
 * 10 ms frames of processing within that one callback).
 */
public final class LiveProcessor implements DuplexAudioEngine.FrameProcessor, AutoCloseable {
    /** Levels are reported in dBFS and never below this. */
    public static final float LEVEL_FLOOR_DB = -90f;

    private final int frameSize;
    private final ClassicDenoiser classic;
    private final StftStage classicStage;
    private final StreamingStage neuralStage;
    private final NeuralVoiceStage neural;
    /** The neural stage has been primed and has not run on live audio since. */
    private boolean neuralPrimed;
    private volatile VoiceMode mode;
    private VoiceMode activeMode;
    private volatile FloatRingBuffer recordTap;
    private volatile float inputLevelDb = LEVEL_FLOOR_DB;
    private volatile float outputLevelDb = LEVEL_FLOOR_DB;
    private volatile float voiceProbability = -1f;
    private volatile long frames;

    /**
     * @param sampleRate the engine's rate
     * @param neuralStage the neural denoiser at {@code sampleRate} (a {@code ResampledStage} around
     *     it when the rate is not 48 kHz), or null when no model is loaded
     * @param neural the denoiser inside {@code neuralStage} (band-gain or spectral-mask), for its
     *     strength and voice activity; null with it
     */
    public LiveProcessor(int sampleRate, Strength strength, VoiceMode mode,
            StreamingStage neuralStage, NeuralVoiceStage neural) {
        Stft stft = ClassicDenoiser.standardStft(sampleRate);
        this.classic = new ClassicDenoiser(stft.bins(),
                ClassicDenoiser.NoiseTracking.SPP.create(stft.bins(), (double) stft.hopSize() / sampleRate, null),
                ClassicMethod.MMSE_LSA.newGainRule(stft.bins()), strength);
        this.classicStage = new StftStage(stft, classic);
        this.frameSize = sampleRate / 100;
        if (classicStage.frameSize() != frameSize) {
            throw new IllegalArgumentException("classic hop " + classicStage.frameSize()
                    + " differs from the 10 ms frame " + frameSize + " at " + sampleRate + " Hz");
        }
        if (neuralStage != null && neuralStage.frameSize() != frameSize) {
            throw new IllegalArgumentException("neural stage frame " + neuralStage.frameSize()
                    + " differs from the 10 ms frame " + frameSize + " at " + sampleRate + " Hz");
        }
        this.neuralStage = neuralStage == null ? null
                : new SilencePrimedStage(neuralStage, sampleRate, NeuralVoiceStage.LIVE_PRIME_SECONDS);
        this.neuralPrimed = true;
        this.neural = neural;
        this.mode = mode;
    }

    public int frameSize() {
        return frameSize;
    }

    /** Whether {@link VoiceMode#NEURAL} runs the model (otherwise it runs the classic path). */
    public boolean hasNeural() {
        return neuralStage != null;
    }

    public void setMode(VoiceMode mode) {
        this.mode = mode;
    }

    public VoiceMode mode() {
        return mode;
    }

    /** The mode that actually runs: NEURAL without a model runs CLASSIC. */
    public VoiceMode effectiveMode() {
        VoiceMode m = mode;
        return m == VoiceMode.NEURAL && neuralStage == null ? VoiceMode.CLASSIC : m;
    }

    /** Takes effect at the next frame; safe from any thread. */
    public void setStrength(Strength strength) {
        classic.setStrength(strength);
        if (neural != null) {
            neural.setStrength(strength);
        }
    }

    /** Where processed frames go for recording, or null to stop tapping. */
    public void setRecordTap(FloatRingBuffer tap) {
        this.recordTap = tap;
    }

    /** Algorithmic latency of the mode that runs, samples. */
    public int latencySamples() {
        return switch (effectiveMode()) {
            case NEURAL -> neuralStage.latencySamples();
            case CLASSIC -> classicStage.latencySamples();
            case OFF -> 0;
        };
    }

    @Override
    public void process(float[] input, float[] output) {
        VoiceMode m = effectiveMode();
        if (m != activeMode) {
            if (m == VoiceMode.NEURAL) {
                if (!neuralPrimed) {  // else primed and unused since: it starts from there
                    neuralStage.reset();
                }
            } else if (m == VoiceMode.CLASSIC) {
                classicStage.reset();
            }
            activeMode = m;
        }
        switch (m) {
            case NEURAL -> {
                neuralPrimed = false;
                neuralStage.process(input, 0, output, 0);
                voiceProbability = neural != null ? neural.lastVadProbability() : -1f;
            }
            case CLASSIC -> {
                classicStage.process(input, 0, output, 0);
                // The mean MMSE-LSA gain rises with speech; above 0.5 most bins are kept.
                voiceProbability = Math.min(1f, Math.max(0f, classic.lastMeanGain()));
            }
            case OFF -> {
                System.arraycopy(input, 0, output, 0, frameSize);
                voiceProbability = -1f;
            }
        }
        inputLevelDb = levelDb(input, frameSize);
        outputLevelDb = levelDb(output, frameSize);
        FloatRingBuffer tap = recordTap;
        if (tap != null) {
            tap.write(output, 0, frameSize);
        }
        frames++;
    }

    /** RMS level of the last input frame, dBFS. */
    public float inputLevelDb() {
        return inputLevelDb;
    }

    public float outputLevelDb() {
        return outputLevelDb;
    }

    /** Voice activity in [0, 1] for the last frame, or -1 when the mode computes none (Off). */
    public float voiceProbability() {
        return voiceProbability;
    }

    public long framesProcessed() {
        return frames;
    }

    static float levelDb(float[] x, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += (double) x[i] * x[i];
        }
        double rms = Math.sqrt(sum / n);
        return rms <= 0 ? LEVEL_FLOOR_DB : (float) Math.max(LEVEL_FLOOR_DB, 20 * Math.log10(rms));
    }

    @Override
    public void close() {
        if (neural != null) {
            neural.close();
        }
    }
}
