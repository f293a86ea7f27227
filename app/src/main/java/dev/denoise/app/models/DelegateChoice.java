package dev.denoise.app.models;

/** Where the user asked the voice model to run. */
public enum DelegateChoice {
    /** XNNPACK on the CPU, then TFLite's built-in CPU kernels, then the classic path. */
    AUTO("Auto"),
    /** TFLite's built-in CPU kernels. */
    CPU("CPU"),
    /**
     * The GPU delegate: the photo CNN and the convolution-only voice U-Net (falling back to the
     * CPU with a note when the delegate fails); refused for the recurrent voice models (GRU, LSTM).
     */
    GPU("GPU"),
    /** NNAPI (deprecated since Android 15; int8 models only). */
    NNAPI("NNAPI");

    private final String label;

    DelegateChoice(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
