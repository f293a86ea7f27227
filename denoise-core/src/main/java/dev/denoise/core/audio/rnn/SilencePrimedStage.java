package dev.denoise.core.audio.rnn;

import dev.denoise.core.audio.StreamingStage;
import java.util.Arrays;

/**
 * A learned denoiser (or a stage around one, such as a resampler) that never starts from its
 * all-zero state: construction and every {@link #reset} reset the inner stage and then run a
 * few frames of digital silence through it, discarding the output. Afterwards the stage is
 * where it would be after that much silence and its output is aligned as after a plain reset
 * (the delay lines hold processed silence). For paths that cannot look ahead: the live path and
 * {@code denoise audio --warm-up 0}; see {@link NeuralVoiceStage#LIVE_PRIME_SECONDS} for what it
 * is worth.
 *
 * <p>Allocates only in the constructor; {@link #reset} costs {@link #primeFrames()} frames of
 * the inner stage's processing. Single-threaded like any {@link StreamingStage}.
 */
public final class SilencePrimedStage implements StreamingStage {
  private final StreamingStage inner;
  private final int primeFrames;
  private final float[] scratch;

  /**
   * @param inner the stage to prime, at {@code sampleRate}
   * @param seconds silence per priming, rounded up to whole frames (at least one when positive)
   * @throws IllegalArgumentException for a negative or non-finite {@code seconds} or a
   *     non-positive rate
   */
  public SilencePrimedStage(StreamingStage inner, int sampleRate, double seconds) {
    this.primeFrames = frames(inner.frameSize(), sampleRate, seconds);
    this.inner = inner;
    this.scratch = new float[inner.frameSize()];
    reset();
  }

  /**
   * Frames of {@code frameSize} samples that hold {@code seconds} at {@code sampleRate}, rounded
   * up.
   *
   * @throws IllegalArgumentException for a negative or non-finite {@code seconds} or a
   *     non-positive rate or frame size, naming them
   */
  public static int frames(int frameSize, int sampleRate, double seconds) {
    if (!(seconds >= 0) || Double.isInfinite(seconds) || sampleRate <= 0 || frameSize <= 0) {
      throw new IllegalArgumentException("cannot prime with " + seconds + " s of silence at "
          + sampleRate + " Hz in frames of " + frameSize);
    }
    return (int) Math.ceil(seconds * sampleRate / frameSize - 1e-9);
  }

  /** Frames of silence each priming runs. */
  public int primeFrames() {
    return primeFrames;
  }

  @Override
  public int frameSize() {
    return inner.frameSize();
  }

  @Override
  public int latencySamples() {
    return inner.latencySamples();
  }

  @Override
  public void process(float[] in, int inOffset, float[] out, int outOffset) {
    inner.process(in, inOffset, out, outOffset);
  }

  /** Resets the inner stage and primes it again. */
  @Override
  public void reset() {
    inner.reset();
    for (int i = 0; i < primeFrames; i++) {
      Arrays.fill(scratch, 0f);  // the inner stage may write its output in place
      inner.process(scratch, 0, scratch, 0);
    }
  }
}
