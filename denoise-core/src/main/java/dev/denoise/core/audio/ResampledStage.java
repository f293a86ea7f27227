package dev.denoise.core.audio;

import dev.denoise.core.dsp.KaiserSinc;
import java.util.Arrays;

/**
 * Runs a stage built for one sample rate (the inner rate, e.g. the voice model's 48 kHz) on a
 * signal at another supported rate: upsample → stage → downsample, as one {@link StreamingStage}
 * at the outer rate.
 *
 * <p>The outer frame holds exactly {@code k} inner frames ({@code k} is 1 for 8, 16, 32 and
 * 44.1 kHz around a 480-sample inner frame, 2 for 22.05 kHz). Because {@code frameSize * L / M}
 * is then a whole number, each {@link Resampler} call yields an exact, constant sample count and
 * no queue is needed. A short delay line at the inner rate pads the chain so the total latency
 * is a whole number of outer samples ({@link #latencySamples()}), which keeps file processing
 * sample-aligned.
 *
 * <p>Allocates only in the constructor. The inner stage is not owned: closing it stays with the
 * caller.
 */
public final class ResampledStage implements StreamingStage {
  private final StreamingStage inner;
  private final Resampler up;
  private final Resampler down;
  private final int outerFrame;
  private final int innerFrames;
  private final int innerFrame;
  private final float[] innerIn;
  private final float[] innerOut;
  private final float[] delayLine;
  private final int latency;
  private int delayPosition;

  /**
   * {@code inner} run at {@code outerRate}: itself when the rates are equal, else a
   * {@code ResampledStage} around it.
   */
  public static StreamingStage around(StreamingStage inner, int innerRate, int outerRate) {
    return innerRate == outerRate ? inner : new ResampledStage(inner, innerRate, outerRate);
  }

  /**
   * @param inner the stage, running at {@code innerRate}
   * @param innerRate the stage's sample rate, one of {@link Resampler#SUPPORTED_RATES_HZ}
   * @param outerRate the signal's sample rate, one of {@link Resampler#SUPPORTED_RATES_HZ}
   */
  public ResampledStage(StreamingStage inner, int innerRate, int outerRate) {
    this.inner = inner;
    this.up = new Resampler(outerRate, innerRate);
    this.down = new Resampler(innerRate, outerRate);
    this.innerFrame = inner.frameSize();
    int g = KaiserSinc.gcd(innerRate, outerRate);
    int l = innerRate / g;
    int m = outerRate / g;
    // Smallest k with k * innerFrame * m divisible by l: the outer frame is then whole.
    int k = 1;
    while ((long) k * innerFrame * m % l != 0) {
      k++;
    }
    this.innerFrames = k;
    this.outerFrame = (int) ((long) k * innerFrame * m / l);
    // Pad at the inner rate until the inner-rate part of the delay maps to whole outer samples.
    int innerDelay = up.latencyOutputSamples() + inner.latencySamples();
    int pad = 0;
    while ((long) (innerDelay + pad) * m % l != 0) {
      pad++;
    }
    this.delayLine = new float[pad];
    this.latency = (int) ((long) (innerDelay + pad) * m / l) + down.latencyOutputSamples();
    this.innerIn = new float[k * innerFrame];
    this.innerOut = new float[k * innerFrame];
  }

  @Override
  public int frameSize() {
    return outerFrame;
  }

  @Override
  public int latencySamples() {
    return latency;
  }

  @Override
  public void process(float[] in, int inOffset, float[] out, int outOffset) {
    StreamingStage.checkFrame("in", in, inOffset, outerFrame);
    StreamingStage.checkFrame("out", out, outOffset, outerFrame);
    int produced = up.process(in, inOffset, outerFrame, innerIn, 0);
    if (produced != innerIn.length) {
      throw new IllegalStateException(
          "upsampler produced " + produced + " samples, expected " + innerIn.length);
    }
    if (delayLine.length > 0) {
      for (int i = 0; i < innerIn.length; i++) {
        float delayed = delayLine[delayPosition];
        delayLine[delayPosition] = innerIn[i];
        innerIn[i] = delayed;
        delayPosition = delayPosition + 1 == delayLine.length ? 0 : delayPosition + 1;
      }
    }
    for (int f = 0; f < innerFrames; f++) {
      inner.process(innerIn, f * innerFrame, innerOut, f * innerFrame);
    }
    int written = down.process(innerOut, 0, innerOut.length, out, outOffset);
    if (written != outerFrame) {
      throw new IllegalStateException(
          "downsampler produced " + written + " samples, expected " + outerFrame);
    }
  }

  @Override
  public void reset() {
    up.reset();
    down.reset();
    inner.reset();
    Arrays.fill(delayLine, 0f);
    delayPosition = 0;
  }
}
