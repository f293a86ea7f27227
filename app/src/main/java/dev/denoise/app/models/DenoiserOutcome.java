package dev.denoise.app.models;

import dev.denoise.core.audio.classic.Strength;
import dev.denoise.core.audio.rnn.NeuralVoiceStage;

/**
 * The result of trying to open the voice model as a complete denoiser
 * ({@link VoiceModelLoader#openDenoiserWithNote}): the denoiser, or null and a note saying why the
 * classic path runs instead. A loaded denoiser may carry a note too, when it runs other than asked
 * (the GPU delegate failed, the CPU runs the model). Never throws, as {@link ModelOutcome}, whose
 * notes it shares.
 */
public record DenoiserOutcome(NeuralVoiceStage denoiser, String note) {

    public static DenoiserOutcome open(VoiceModelLoader loader, DelegateChoice delegate, Strength strength) {
        if (loader == null) {
            return new DenoiserOutcome(null, ModelOutcome.NO_MODEL);
        }
        try {
            VoiceModelLoader.Opened o = loader.openDenoiserWithNote(delegate, strength);
            return o == null || o.denoiser() == null ? new DenoiserOutcome(null, ModelOutcome.UNAVAILABLE)
                    : new DenoiserOutcome(o.denoiser(), o.note());
        } catch (Throwable t) {
            return new DenoiserOutcome(null, ModelOutcome.failureNote(delegate, t));
        }
    }

    public boolean loaded() {
        return denoiser != null;
    }
}
