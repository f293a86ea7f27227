package dev.denoise.core.audio;

import java.util.Arrays;

/**
 * Streaming STFT analysis → {@link SpectralProcessor} → ISTFT synthesis with overlap-add.
 *
 * <p>Frame contract: {@link #frameSize()} is the STFT hop; each call shifts one hop of input in,
 * transforms the newest window, lets the processor modify the spectrum, overlap-adds the
 * result and emits one hop of output. The output lags the input by
 * {@code windowLength - hopSize} samples ({@link #latencySamples()}). With a processor that
 * leaves the spectrum alone, the stage is a pure delay (perfect reconstruction).
 *
 * <p>All buffers are allocated in the constructor; {@link #process} allocates nothing.
 */
public final class StftStage implements StreamingStage {
  private final Stft stft;
  private final SpectralProcessor processor;
  private final int hop;
  private final int windowLength;
  private final float[] inputHistory;
  private final float[] overlap;
  private final float[] re;
  private final float[] im;

  public StftStage(Stft stft, SpectralProcessor processor) {
    this.stft = stft;
    this.processor = processor;
    this.hop = stft.hopSize();
    this.windowLength = stft.windowLength();
    this.inputHistory = new float[windowLength];
    this.overlap = new float[windowLength];
    this.re = new float[stft.bins()];
    this.im = new float[stft.bins()];
  }

  @Override
  public int frameSize() {
    return hop;
  }

  @Override
  public int latencySamples() {
    return windowLength - hop;
  }

  /** The STFT plan this stage runs (window, hop and FFT size). */
  public Stft stft() {
    return stft;
  }

  @Override
  public void process(float[] in, int inOffset, float[] out, int outOffset) {
    StreamingStage.checkFrame("in", in, inOffset, hop);
    StreamingStage.checkFrame("out", out, outOffset, hop);
    System.arraycopy(inputHistory, hop, inputHistory, 0, windowLength - hop);
    System.arraycopy(in, inOffset, inputHistory, windowLength - hop, hop);
    stft.forward(inputHistory, 0, re, im);
    processor.process(re, im, re.length);
    stft.inverseAdd(re, im, overlap, 0);
    System.arraycopy(overlap, 0, out, outOffset, hop);
    System.arraycopy(overlap, hop, overlap, 0, windowLength - hop);
    Arrays.fill(overlap, windowLength - hop, windowLength, 0f);
  }

  @Override
  public void reset() {
    Arrays.fill(inputHistory, 0f);
    Arrays.fill(overlap, 0f);
    processor.reset();
  }
}
