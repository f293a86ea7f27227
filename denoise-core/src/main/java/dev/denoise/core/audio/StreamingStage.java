package dev.denoise.core.audio;

/**
 * One streaming audio stage with a fixed frame contract.
 *
 * <p>A stage consumes exactly {@link #frameSize()} mono samples per call and produces exactly
 * {@link #frameSize()} samples. The output is the input delayed by {@link #latencySamples()}
 * samples (plus whatever the stage does to it). Samples are floats with full scale at ±1.0.
 *
 * <p>Stages are single-threaded: one thread at a time calls {@link #process} and {@link #reset}.
 * {@link #process} must not allocate, lock, log or do I/O in steady state; buffers are allocated
 * in the constructor.
 */
public interface StreamingStage {

  /** Number of samples consumed and produced by each {@link #process} call. */
  int frameSize();

  /** Algorithmic delay of the output relative to the input, in samples. */
  int latencySamples();

  /**
   * Processes one frame. {@code in} and {@code out} may be the same array (in-place use) as long
   * as the ranges are identical.
   *
   * @throws IllegalArgumentException when either range does not hold {@link #frameSize()} samples
   */
  void process(float[] in, int inOffset, float[] out, int outOffset);

  /** Returns the stage to its freshly constructed state (silence history, initial estimates). */
  void reset();

  /** Checks that {@code array[offset, offset + frameSize)} is in bounds, naming the numbers. */
  static void checkFrame(String name, float[] array, int offset, int frameSize) {
    if (array == null) {
      throw new IllegalArgumentException(name + " is null");
    }
    if (offset < 0 || offset > array.length - frameSize) {
      throw new IllegalArgumentException(String.format(
          "%s too short: length=%d offset=%d frameSize=%d", name, array.length, offset, frameSize));
    }
  }
}
