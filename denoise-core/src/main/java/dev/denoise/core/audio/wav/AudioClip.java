package dev.denoise.core.audio.wav;

/**
 * A whole, small piece of audio in memory: a sample rate and one float array per channel, all
 * of the same length, full scale at ±1.0.
 *
 * <p>The arrays are owned by the clip and exposed, not copied, for speed; callers that mutate
 * them own the consequences. Not thread-safe for concurrent mutation.
 */
public final class AudioClip {
  private final int sampleRate;
  private final float[][] channels;

  /**
   * Wraps {@code channels} (not copied).
   *
   * @throws IllegalArgumentException when the rate is not positive, there is no channel, a
   *     channel is null or the lengths differ
   */
  public AudioClip(int sampleRate, float[][] channels) {
    if (sampleRate <= 0) {
      throw new IllegalArgumentException("sample rate must be positive: " + sampleRate);
    }
    if (channels == null || channels.length == 0 || channels.length > WavFormat.MAX_CHANNELS) {
      throw new IllegalArgumentException(String.format("channel count must be in 1..%d: %s",
          WavFormat.MAX_CHANNELS, channels == null ? "null" : channels.length));
    }
    for (int c = 0; c < channels.length; c++) {
      if (channels[c] == null || channels[c].length != channels[0].length) {
        throw new IllegalArgumentException(String.format(
            "channel %d has %s samples, channel 0 has %d", c,
            channels[c] == null ? "null" : channels[c].length, channels[0].length));
      }
    }
    this.sampleRate = sampleRate;
    this.channels = channels;
  }

  /** A mono clip wrapping {@code samples}. */
  public static AudioClip mono(int sampleRate, float[] samples) {
    return new AudioClip(sampleRate, new float[][] {samples});
  }

  /** Frames per second per channel, in Hz. */
  public int sampleRate() {
    return sampleRate;
  }

  public int channelCount() {
    return channels.length;
  }

  /** Samples per channel. */
  public int frameCount() {
    return channels[0].length;
  }

  public double durationSeconds() {
    return (double) frameCount() / sampleRate;
  }

  /** Channel {@code c}'s samples (the clip's own array). */
  public float[] channel(int c) {
    return channels[c];
  }

  /** All channels (the clip's own arrays). */
  public float[][] channels() {
    return channels;
  }
}
