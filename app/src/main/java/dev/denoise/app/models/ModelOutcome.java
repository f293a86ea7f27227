package dev.denoise.app.models;

import dev.denoise.core.audio.rnn.GainModel;

/**
 * The result of trying to open the voice model: the model, or null and a note saying why the
 * classic path runs instead. Never throws: every failure, {@link Error}s included (an
 * {@code UnsatisfiedLinkError} from a native library built for 4 KB pages), becomes a note.
 */
public record ModelOutcome(GainModel model, String note) {
    static final String NO_MODEL = "No voice model in this build: using Classic";
    static final String UNAVAILABLE = "Voice model unavailable: using Classic";

    public static ModelOutcome open(VoiceModelLoader loader, DelegateChoice delegate) {
        if (loader == null) {
            return new ModelOutcome(null, NO_MODEL);
        }
        try {
            GainModel m = loader.open(delegate);
            if (m == null) {
                return new ModelOutcome(null, UNAVAILABLE);
            }
            return new ModelOutcome(m, null);
        } catch (Throwable t) {
            return new ModelOutcome(null, failureNote(delegate, t));
        }
    }

    /** The note for a model that failed to open; rethrows what no fallback can survive. */
    static String failureNote(DelegateChoice delegate, Throwable t) {
        if (t instanceof VirtualMachineError vm && !(t instanceof StackOverflowError)) {
            throw vm;
        }
        String why = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        if (why.length() > 160) {
            why = why.substring(0, 157) + "...";
        }
        return "Neural model failed (" + delegate.label() + "): " + why + ". Using Classic.";
    }

    public boolean loaded() {
        return model != null;
    }
}
