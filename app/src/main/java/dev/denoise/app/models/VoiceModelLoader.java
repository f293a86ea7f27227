package dev.denoise.app.models;

import dev.denoise.core.audio.rnn.GainModel;

/** Opens the voice gain model; one model per stream (it carries recurrent state). */
public interface VoiceModelLoader {

    /**
     * @throws Exception anything at all (missing file, bad manifest, a native library that will
     *     not load, a delegate that refuses the graph); callers fall back to the classic path
     */
    GainModel open(DelegateChoice delegate) throws Exception;

    /** A short description of the model for the UI, e.g. "voice_rnnoise_small_float32". */
    String name();
}
