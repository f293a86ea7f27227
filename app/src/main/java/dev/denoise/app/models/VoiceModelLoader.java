package dev.denoise.app.models;

import dev.denoise.core.audio.classic.Strength;
import dev.denoise.core.audio.rnn.GainModel;
import dev.denoise.core.audio.rnn.NeuralDenoiser;
import dev.denoise.core.audio.rnn.NeuralVoiceStage;

/** Opens the voice model; one model per stream (it carries recurrent state). */
public interface VoiceModelLoader {

    /**
     * Opens a band-gain model (the RNNoise-style path).
     *
     * @throws Exception anything at all (missing file, bad manifest, a native library that will
     *     not load, a delegate that refuses the graph, a model of another kind); callers fall back
     *     to the classic path
     */
    GainModel open(DelegateChoice delegate) throws Exception;

    /**
     * Opens the model as a complete 48 kHz voice denoiser, whichever kind it is (band gains or a
     * spectral mask). The default runs {@link #open}'s gain model in a {@link NeuralDenoiser}
     * with the pitch filter; a loader that can open other kinds overrides it.
     *
     * @return the denoiser (owning its model), or null when no model is available
     * @throws Exception as {@link #open}
     */
    default NeuralVoiceStage openDenoiser(DelegateChoice delegate, Strength strength) throws Exception {
        GainModel model = open(delegate);
        if (model == null) {
            return null;
        }
        try {
            return new NeuralDenoiser(model, strength, true);
        } catch (RuntimeException doesNotFit) {
            model.close();
            throw doesNotFit;
        }
    }

    /**
     * A denoiser and a note for the user when it runs other than asked (e.g. the GPU delegate
     * failed and the CPU runs the model), else null.
     */
    record Opened(NeuralVoiceStage denoiser, String note) {
    }

    /**
     * As {@link #openDenoiser}, with a note when the model runs other than asked. The default has
     * no such fallback (no note); a loader with one overrides it. {@link DenoiserOutcome#open}, the
     * route live voice and audio files take, calls this.
     *
     * @return the denoiser and its note, or null when no model is available
     * @throws Exception as {@link #open}
     */
    default Opened openDenoiserWithNote(DelegateChoice delegate, Strength strength) throws Exception {
        NeuralVoiceStage d = openDenoiser(delegate, strength);
        return d == null ? null : new Opened(d, null);
    }

    /** A short description of the model for the UI, e.g. "voice_rnnoise_small_float32". */
    String name();
}
