package dev.denoise.app.voice;

import dev.denoise.core.audio.mask.MaskModel;
import java.util.Arrays;

/**
 * A spectral-mask model stand-in writing one gain in every bin, as a trained U-Net or CRN would
 * write its mask: enough to tell the neural mask path (every sample scaled by the gain) from the
 * classic one.
 */
public final class ConstantMaskModel implements MaskModel {
    public final float gain;
    public boolean closed;
    /** Frames inferred so far. */
    public int frames;

    public ConstantMaskModel(float gain) {
        this.gain = gain;
    }

    @Override
    public int bins() {
        return 513;
    }

    @Override
    public boolean complexMask() {
        return false;
    }

    @Override
    public void infer(float[] lnPower, float[] maskRe, float[] maskIm) {
        Arrays.fill(maskRe, 0, 513, gain);
        frames++;
    }

    @Override
    public void reset() {}

    @Override
    public void close() {
        closed = true;
    }
}
