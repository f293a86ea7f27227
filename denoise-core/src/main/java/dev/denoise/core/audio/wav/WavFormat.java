package dev.denoise.core.audio.wav;

import java.util.Objects;

/**
 * The layout of a WAV data chunk: sample rate, channel count, sample encoding and, when known,
 * the number of frames. A frame is one sample per channel; frames are interleaved in the file
 * (channel 0, channel 1, … of frame 0, then frame 1, …). Immutable and thread-safe.
 */
public final class WavFormat {
  /** {@link #frameCount()} when the length is not known up front (e.g. a streamed file). */
  public static final long UNKNOWN_FRAME_COUNT = -1;
  /** The largest channel count a WAV fmt chunk can declare (16-bit field). */
  public static final int MAX_CHANNELS = 65535;

  private final int sampleRate;
  private final int channels;
  private final WavEncoding encoding;
  private final int validBitsPerSample;
  private final int channelMask;
  private final long frameCount;

  private WavFormat(
      int sampleRate, int channels, WavEncoding encoding, int validBitsPerSample,
      int channelMask, long frameCount) {
    if (sampleRate <= 0) {
      throw new IllegalArgumentException("sample rate must be positive: " + sampleRate);
    }
    if (channels <= 0 || channels > MAX_CHANNELS) {
      throw new IllegalArgumentException(String.format(
          "channels must be in 1..%d: %d", MAX_CHANNELS, channels));
    }
    Objects.requireNonNull(encoding, "encoding");
    if (validBitsPerSample <= 0 || validBitsPerSample > encoding.bitsPerSample()) {
      throw new IllegalArgumentException(String.format(
          "valid bits must be in 1..%d for %s: %d",
          encoding.bitsPerSample(), encoding, validBitsPerSample));
    }
    if (frameCount < UNKNOWN_FRAME_COUNT) {
      throw new IllegalArgumentException("frame count must be >= 0 or UNKNOWN: " + frameCount);
    }
    this.sampleRate = sampleRate;
    this.channels = channels;
    this.encoding = encoding;
    this.validBitsPerSample = validBitsPerSample;
    this.channelMask = channelMask;
    this.frameCount = frameCount;
  }

  /** A format with unknown length, all container bits valid and no speaker mask. */
  public static WavFormat of(int sampleRate, int channels, WavEncoding encoding) {
    return new WavFormat(
        sampleRate, channels, encoding, encoding.bitsPerSample(), 0, UNKNOWN_FRAME_COUNT);
  }

  /** The default output format: 16-bit PCM. */
  public static WavFormat pcm16(int sampleRate, int channels) {
    return of(sampleRate, channels, WavEncoding.PCM_S16);
  }

  /** Frames per second per channel, in Hz. */
  public int sampleRate() {
    return sampleRate;
  }

  public int channels() {
    return channels;
  }

  public WavEncoding encoding() {
    return encoding;
  }

  /** Container size of one sample in bits (8, 16, 24, 32 or 64). */
  public int bitsPerSample() {
    return encoding.bitsPerSample();
  }

  /**
   * Bits that carry signal, from WAVE_FORMAT_EXTENSIBLE's {@code wValidBitsPerSample}; the
   * samples are left-justified in the container, so a 20-in-24 file reads at the same full scale
   * as a 24-bit one. Equals {@link #bitsPerSample()} for plain fmt chunks.
   */
  public int validBitsPerSample() {
    return validBitsPerSample;
  }

  /**
   * WAVE_FORMAT_EXTENSIBLE speaker positions ({@code dwChannelMask}), 0 when not given. The
   * writer stores it as given; it does not invent speaker layouts.
   */
  public int channelMask() {
    return channelMask;
  }

  /** Bytes per interleaved frame: channels × bytes per sample (the fmt chunk's block align). */
  public int bytesPerFrame() {
    return channels * encoding.bytesPerSample();
  }

  /**
   * Frames in the data chunk, or {@link #UNKNOWN_FRAME_COUNT}. For a file opened by path this is
   * what the file actually holds (a truncated data chunk counts only its whole frames present);
   * for a stream it is what the data chunk declares.
   */
  public long frameCount() {
    return frameCount;
  }

  /** Duration in seconds, or NaN when the frame count is unknown. */
  public double durationSeconds() {
    return frameCount == UNKNOWN_FRAME_COUNT ? Double.NaN : (double) frameCount / sampleRate;
  }

  public WavFormat withFrameCount(long frames) {
    return new WavFormat(sampleRate, channels, encoding, validBitsPerSample, channelMask, frames);
  }

  public WavFormat withChannelMask(int mask) {
    return new WavFormat(sampleRate, channels, encoding, validBitsPerSample, mask, frameCount);
  }

  /** The same format with a different encoding; valid bits become the new container size. */
  public WavFormat withEncoding(WavEncoding newEncoding) {
    return new WavFormat(
        sampleRate, channels, newEncoding, newEncoding.bitsPerSample(), channelMask, frameCount);
  }

  WavFormat withValidBits(int bits) {
    return new WavFormat(sampleRate, channels, encoding, bits, channelMask, frameCount);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof WavFormat)) {
      return false;
    }
    WavFormat f = (WavFormat) o;
    return sampleRate == f.sampleRate && channels == f.channels && encoding == f.encoding
        && validBitsPerSample == f.validBitsPerSample && channelMask == f.channelMask
        && frameCount == f.frameCount;
  }

  @Override
  public int hashCode() {
    return Objects.hash(sampleRate, channels, encoding, validBitsPerSample, channelMask, frameCount);
  }

  @Override
  public String toString() {
    return String.format("WavFormat{%d Hz, %d ch, %s%s%s, frames=%s}",
        sampleRate, channels, encoding,
        validBitsPerSample == encoding.bitsPerSample() ? "" : " (" + validBitsPerSample + " valid)",
        channelMask == 0 ? "" : String.format(", mask=0x%X", channelMask),
        frameCount == UNKNOWN_FRAME_COUNT ? "unknown" : Long.toString(frameCount));
  }
}
