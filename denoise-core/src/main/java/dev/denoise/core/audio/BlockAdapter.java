package dev.denoise.core.audio;

import java.util.Arrays;

/**
 * Runs a fixed-frame {@link StreamingStage} on blocks of any size (1 sample, primes, random).
 *
 * <p>Each call returns exactly as many samples as it was given. Input samples are queued until
 * a full frame is available; output is served from a queue that starts with
 * {@code frameSize - 1} zeros, so the adapter adds {@link #addedLatency()} =
 * {@code frameSize - 1} samples on top of the stage's own latency ({@link #latencySamples()} is
 * the total). The output is bit-identical for every way of splitting the same input into
 * blocks, because frames are formed and processed in the same order regardless of block
 * boundaries.
 *
 * <p>Allocates only in the constructor. Single-threaded, like the stage it wraps.
 */
public final class BlockAdapter {
  private final StreamingStage stage;
  private final int frame;
  private final float[] inFrame;
  private final float[] outFrame;
  private int inFill;
  private int outRead;

  public BlockAdapter(StreamingStage stage) {
    this.stage = stage;
    this.frame = stage.frameSize();
    this.inFrame = new float[frame];
    this.outFrame = new float[frame];
    reset();
  }

  /** Samples of delay this adapter adds to the stage's latency. */
  public int addedLatency() {
    return frame - 1;
  }

  /** Total delay from input to output, in samples. */
  public int latencySamples() {
    return stage.latencySamples() + addedLatency();
  }

  /** The wrapped stage. */
  public StreamingStage stage() {
    return stage;
  }

  /**
   * Processes {@code length} samples from {@code in[inOffset...]} into {@code out[outOffset...]}.
   * {@code in} and {@code out} may be the same array at the same offset.
   */
  public void process(float[] in, int inOffset, float[] out, int outOffset, int length) {
    if (length < 0 || inOffset < 0 || outOffset < 0
        || inOffset > in.length - length || outOffset > out.length - length) {
      throw new IllegalArgumentException(String.format(
          "block out of bounds: in.length=%d inOffset=%d out.length=%d outOffset=%d length=%d",
          in.length, inOffset, out.length, outOffset, length));
    }
    int done = 0;
    while (done < length) {
      // Copy as much as fits before the next frame boundary; the queue depths stay in lockstep
      // (inFill + (frame - outRead) == frame - 1 between samples), so one count drives both.
      // Input is read before output is written, so in-place use is safe.
      int n = Math.min(length - done, frame - inFill);
      System.arraycopy(in, inOffset + done, inFrame, inFill, n);
      int served = Math.min(n, frame - outRead);
      System.arraycopy(outFrame, outRead, out, outOffset + done, served);
      inFill += n;
      outRead += served;
      if (inFill == frame) {
        stage.process(inFrame, 0, outFrame, 0);
        inFill = 0;
        outRead = 0;
        // The last sample of this step comes from the fresh frame.
        if (served < n) {
          out[outOffset + done + n - 1] = outFrame[0];
          outRead = 1;
        }
      }
      done += n;
    }
  }

  /** Resets the stage and the queues to their initial state. */
  public void reset() {
    stage.reset();
    Arrays.fill(inFrame, 0f);
    Arrays.fill(outFrame, 0f);
    inFill = 0;
    // Output queue holds frame-1 zeros: positions 1..frame-1 of outFrame are unread.
    outRead = 1;
  }
}
