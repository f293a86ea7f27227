package dev.denoise.core.audio.mask;

import java.util.Arrays;

/**
 * A {@link MaskModel} that writes the same mask every frame and counts how it is driven. A
 * magnitude model writes {@code re} only; a complex one writes {@code re + i·im}.
 */
final class FixedMaskModel implements MaskModel {
  private final int bins;
  private final boolean complex;
  private final float re;
  private final float im;
  int inferCalls;
  int resetCalls;
  int closeCalls;

  FixedMaskModel(int bins, float magnitude) {
    this(bins, false, magnitude, Float.NaN);
  }

  FixedMaskModel(int bins, boolean complex, float re, float im) {
    this.bins = bins;
    this.complex = complex;
    this.re = re;
    this.im = im;
  }

  @Override
  public int bins() {
    return bins;
  }

  @Override
  public boolean complexMask() {
    return complex;
  }

  @Override
  public void infer(float[] lnPower, float[] maskRe, float[] maskIm) {
    inferCalls++;
    Arrays.fill(maskRe, 0, bins, re);
    if (complex) {
      Arrays.fill(maskIm, 0, bins, im);
    }
  }

  @Override
  public void reset() {
    resetCalls++;
  }

  @Override
  public void close() {
    closeCalls++;
  }
}
