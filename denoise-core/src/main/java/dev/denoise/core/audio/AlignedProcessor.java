package dev.denoise.core.audio;

import java.util.Arrays;

/**
 * Runs a {@link StreamingStage} over a finite signal so that the output lines up with the input
 * sample for sample: the first {@link BlockAdapter#latencySamples()} outputs are dropped and
 * {@link #finish} feeds that many zeros to flush the tail. Feeding N samples in any blocks and
 * calling {@link #finish} yields exactly N output samples.
 *
 * <p>For files and offline arrays, not the live path (which keeps the delay). Allocates only in
 * the constructor.
 *
 * <p>{@link #warmUp} lets a file start warm: adaptive stages (a recurrent model and its feature
 * history, a noise tracker) otherwise begin every file from silence and cut or smear its first
 * few hundred milliseconds. The live path has no future to look at and starts cold.
 */
public final class AlignedProcessor {
  private final BlockAdapter adapter;
  private final int latency;
  private final float[] scratch;
  private long toDrop;
  private boolean started;

  public AlignedProcessor(StreamingStage stage) {
    this.adapter = new BlockAdapter(stage);
    this.latency = adapter.latencySamples();
    this.scratch = new float[Math.max(1024, latency)];
    this.toDrop = latency;
  }

  /** Delay compensated by this processor, in samples. */
  public int latencySamples() {
    return latency;
  }

  /**
   * Runs {@code lead[offset, offset + length)} backwards through the stage and discards what
   * comes out, so that the stage's adaptive state (recurrent model state, feature history, noise
   * estimates) has seen the signal's own noise and voice when sample 0 arrives. The lead is
   * normally the beginning of the signal itself: played backwards it ends with sample 0, so the
   * stream the stage sees runs on without a jump into the signal. The output stays aligned and
   * as long as the input; only the state differs from a cold start. Call at most once, before
   * the first {@link #process}.
   *
   * @throws IllegalStateException after {@link #process} or a previous warm-up
   */
  public void warmUp(float[] lead, int offset, int length) {
    if (started) {
      throw new IllegalStateException("warmUp must come before the first process call, once");
    }
    if (length < 0 || offset < 0 || offset > lead.length - length) {
      throw new IllegalArgumentException(String.format(
          "lead out of bounds: lead.length=%d offset=%d length=%d", lead.length, offset, length));
    }
    started = true;
    for (int done = 0; done < length; ) {
      int n = Math.min(scratch.length, length - done);
      for (int i = 0; i < n; i++) {
        scratch[i] = lead[offset + length - 1 - done - i];
      }
      adapter.process(scratch, 0, scratch, 0, n);
      done += n;
    }
  }

  /**
   * Processes {@code length} input samples; writes the aligned output to {@code out[outOffset...]}
   * and returns how many samples were written (fewer than {@code length} while the initial
   * delay is being dropped). {@code out} needs room for {@code length} samples.
   */
  public int process(float[] in, int inOffset, int length, float[] out, int outOffset) {
    if (outOffset < 0 || outOffset > out.length - length) {
      throw new IllegalArgumentException(String.format(
          "out too short: out.length=%d outOffset=%d length=%d", out.length, outOffset, length));
    }
    started = true;
    adapter.process(in, inOffset, out, outOffset, length);
    int drop = (int) Math.min(toDrop, length);
    if (drop > 0) {
      System.arraycopy(out, outOffset + drop, out, outOffset, length - drop);
      toDrop -= drop;
    }
    return length - drop;
  }

  /**
   * Flushes the delayed tail: writes the last outputs (as many as were dropped at the start,
   * fewer if the input was shorter than the delay) to {@code out[outOffset...]} and returns the
   * count. {@code out} needs room for {@link #latencySamples()} samples. Call once, at the end.
   */
  public int finish(float[] out, int outOffset) {
    int pending = latency - (int) toDrop;
    Arrays.fill(scratch, 0, latency, 0f);
    int written = process(scratch, 0, latency, scratch, 0);
    int keep = Math.min(written, pending);
    System.arraycopy(scratch, 0, out, outOffset, keep);
    return keep;
  }

  /** Convenience for whole arrays: the aligned output of the stage for {@code x}, cold start. */
  public static float[] processAll(StreamingStage stage, float[] x) {
    return processAll(stage, x, 0);
  }

  /**
   * The aligned output of the stage for {@code x} after a {@link #warmUp} on its first
   * {@code min(warmUpSamples, x.length)} samples (0: cold start).
   */
  public static float[] processAll(StreamingStage stage, float[] x, int warmUpSamples) {
    AlignedProcessor p = new AlignedProcessor(stage);
    p.warmUp(x, 0, Math.min(Math.max(warmUpSamples, 0), x.length));
    float[] out = new float[x.length + p.latencySamples()];
    int n = p.process(x, 0, x.length, out, 0);
    n += p.finish(out, n);
    if (n != x.length) {
      throw new IllegalStateException("aligned output has " + n + " samples for " + x.length);
    }
    return Arrays.copyOf(out, x.length);
  }
}
