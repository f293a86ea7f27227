package dev.denoise.core.audio;

import java.util.function.IntFunction;

/**
 * Runs one {@link StreamingStage} per channel over interleaved multichannel blocks, latency
 * compensated ({@link AlignedProcessor}), for files and buffers rather than the live path.
 *
 * <p>Feed any number of blocks with {@link #process}, then call {@link #finish} once; the
 * total number of frames written equals the total read. Not thread-safe.
 */
public final class InterleavedProcessor {
  private final AlignedProcessor[] channels;
  private final int maxFrames;
  private final float[] in;
  private final float[] out;

  /**
   * @param channelCount number of interleaved channels
   * @param stageFactory makes the stage for channel {@code c}
   * @param maxFrames largest block, in frames, that {@link #process} will be given
   */
  public InterleavedProcessor(
      int channelCount, IntFunction<StreamingStage> stageFactory, int maxFrames) {
    if (channelCount <= 0 || maxFrames <= 0) {
      throw new IllegalArgumentException(
          "channelCount and maxFrames must be positive: " + channelCount + ", " + maxFrames);
    }
    this.channels = new AlignedProcessor[channelCount];
    for (int c = 0; c < channelCount; c++) {
      channels[c] = new AlignedProcessor(stageFactory.apply(c));
    }
    this.maxFrames = maxFrames;
    int latency = channels[0].latencySamples();
    this.in = new float[maxFrames];
    this.out = new float[Math.max(maxFrames, latency)];
  }

  /** Delay compensated per channel, in frames. */
  public int latencyFrames() {
    return channels[0].latencySamples();
  }

  /**
   * {@link AlignedProcessor#warmUp} for every channel on its part of {@code frames} interleaved
   * frames of {@code lead} (normally the first frames of the signal, then given to
   * {@link #process} as usual). Call at most once, before the first {@link #process}.
   */
  public void warmUp(float[] lead, int frames) {
    int n = channels.length;
    if (frames < 0 || (long) frames * n > lead.length) {
      throw new IllegalArgumentException(
          "lead too short: lead.length=" + lead.length + " frames=" + frames + " channels=" + n);
    }
    float[] mono = new float[frames];
    for (int c = 0; c < n; c++) {
      for (int i = 0; i < frames; i++) {
        mono[i] = lead[i * n + c];
      }
      channels[c].warmUp(mono, 0, frames);
    }
  }

  /**
   * Processes {@code frames} interleaved frames of {@code block} into {@code result} (which
   * needs room for {@code frames} frames) and returns the number of frames written.
   */
  public int process(float[] block, int frames, float[] result) {
    if (frames < 0 || frames > maxFrames) {
      throw new IllegalArgumentException("frames=" + frames + " maxFrames=" + maxFrames);
    }
    int n = channels.length;
    int written = 0;
    for (int c = 0; c < n; c++) {
      for (int i = 0; i < frames; i++) {
        in[i] = block[i * n + c];
      }
      written = channels[c].process(in, 0, frames, out, 0);
      for (int i = 0; i < written; i++) {
        result[i * n + c] = out[i];
      }
    }
    return written;
  }

  /**
   * Flushes the delayed tail into {@code result} (room for {@link #latencyFrames()} frames) and
   * returns the number of frames written.
   */
  public int finish(float[] result) {
    int n = channels.length;
    int written = 0;
    for (int c = 0; c < n; c++) {
      written = channels[c].finish(out, 0);
      for (int i = 0; i < written; i++) {
        result[i * n + c] = out[i];
      }
    }
    return written;
  }
}
