package dev.denoise.core.audio.wav;

import dev.denoise.core.io.AtomicOutputFile;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Streams frames into a WAV file with constant memory, through an {@link AtomicOutputFile}: the
 * file appears under its name only after {@link #commit()}, which writes the final RIFF, data
 * (and fact) sizes into the header and renames the file into place. {@link #close()} without
 * {@code commit()} deletes the partial output, so in try-with-resources an exception leaves
 * nothing behind.
 *
 * <p>Header layout chosen from the format: a 16-byte PCM fmt chunk for 8/16-bit PCM with one or
 * two channels and no channel mask; an 18-byte IEEE-float fmt chunk plus a fact chunk for float
 * with one or two channels and no mask; otherwise WAVE_FORMAT_EXTENSIBLE (40-byte fmt chunk,
 * the format's channel mask, a fact chunk for float), as Microsoft recommends for more than two
 * channels or more than 16 bits. A data chunk with an odd size gets its pad byte.
 *
 * <p>Float samples have full scale at ±1.0. For integer encodings they are rounded to nearest
 * (ties toward positive infinity), clipped to full scale, and NaN becomes 0; no dither is added.
 * Float encodings store the values as given, without clipping. A file is limited to 4 GiB
 * (RIFF's 32-bit sizes); writing past it throws before anything is written.
 *
 * <p>Not thread-safe: one thread writes, commits and closes.
 */
public final class WavWriter implements Closeable {
  private static final int BUFFER_BYTES = 16384;
  private static final long MAX_RIFF_SIZE = 0xFFFFFFFFL;

  private final AtomicOutputFile output;
  private final FileChannel channel;
  private final WavFormat format;
  private final WavEncoding encoding;
  private final int channels;
  private final int frameBytes;
  private final byte[] header;
  private final int factSizeOffset;
  private final byte[] buf;
  private final long maxDataBytes;
  private float[] scratch;
  private long framesWritten;
  private boolean done;

  private WavWriter(AtomicOutputFile output, WavFormat format) throws IOException {
    this.output = output;
    this.channel = output.channel();
    this.format = format.withFrameCount(WavFormat.UNKNOWN_FRAME_COUNT);
    this.encoding = format.encoding();
    this.channels = format.channels();
    this.frameBytes = format.bytesPerFrame();
    boolean extensible = format.channels() > 2 || format.channelMask() != 0
        || (!encoding.isFloat() && encoding.bitsPerSample() > 16)
        || format.validBitsPerSample() != format.bitsPerSample();
    if ((long) format.sampleRate() * frameBytes > 0xFFFFFFFFL) {
      throw new IllegalArgumentException(String.format(
          "byte rate of %d Hz x %d bytes per frame does not fit the fmt chunk's 32 bits",
          format.sampleRate(), frameBytes));
    }
    int fmtSize = extensible ? 40 : encoding.isFloat() ? 18 : 16;
    boolean fact = encoding.isFloat();
    int size = 12 + 8 + fmtSize + (fact ? 12 : 0) + 8;
    this.header = new byte[size];
    this.factSizeOffset = fact ? 12 + 8 + fmtSize + 8 : -1;
    this.maxDataBytes = MAX_RIFF_SIZE - (size - 8) - 1;
    writeHeaderTemplate(fmtSize, extensible);
    this.buf = new byte[Math.max(frameBytes, BUFFER_BYTES / frameBytes * frameBytes)];
    writeFully(header, header.length);
  }

  /** Writes {@code target} in {@code format}, refusing to replace an existing file. */
  public static WavWriter create(Path target, WavFormat format) throws IOException {
    return create(AtomicOutputFile.create(target), format);
  }

  /**
   * Writes into {@code output}, which must be fresh (nothing written yet); the writer takes
   * ownership and commits or closes it. Use this to allow overwriting or to name input files the
   * target must not be: {@code AtomicOutputFile.create(target, true, inputPath)}.
   */
  public static WavWriter create(AtomicOutputFile output, WavFormat format) throws IOException {
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(format, "format");
    try {
      return new WavWriter(output, format);
    } catch (IOException | RuntimeException e) {
      output.close();
      throw e;
    }
  }

  /** The format being written (frame count unknown). */
  public WavFormat format() {
    return format;
  }

  public long framesWritten() {
    return framesWritten;
  }

  /** Writes {@code frames} interleaved frames from {@code interleaved[offset…]}. */
  public void write(float[] interleaved, int offset, int frames) throws IOException {
    checkRange("interleaved", interleaved == null ? -1 : interleaved.length, offset, frames,
        channels);
    reserve(frames);
    int samplesPerChunk = buf.length / frameBytes * channels;
    int total = frames * channels;
    for (int i = 0; i < total; ) {
      int n = Math.min(samplesPerChunk, total - i);
      SampleCodec.encode(encoding, interleaved, offset + i, buf, 0, n);
      writeFully(buf, n * encoding.bytesPerSample());
      i += n;
    }
    framesWritten += frames;
  }

  /**
   * Writes {@code frames} frames from {@code in[c][offset…]}, one array per channel;
   * {@code in.length} must equal the channel count.
   */
  public void writeDeinterleaved(float[][] in, int offset, int frames) throws IOException {
    if (in == null || in.length != channels) {
      throw new IllegalArgumentException(String.format(
          "need %d channel arrays, got %s", channels, in == null ? "null" : in.length));
    }
    for (int c = 0; c < channels; c++) {
      checkRange("channel " + c, in[c] == null ? -1 : in[c].length, offset, frames, 1);
    }
    reserve(frames);
    int framesPerChunk = buf.length / frameBytes;
    if (scratch == null) {
      scratch = new float[framesPerChunk * channels];
    }
    for (int f = 0; f < frames; ) {
      int k = Math.min(framesPerChunk, frames - f);
      for (int c = 0; c < channels; c++) {
        float[] src = in[c];
        for (int i = 0, j = c; i < k; i++, j += channels) {
          scratch[j] = src[offset + f + i];
        }
      }
      SampleCodec.encode(encoding, scratch, 0, buf, 0, k * channels);
      writeFully(buf, k * frameBytes);
      f += k;
    }
    framesWritten += frames;
  }

  /**
   * Writes {@code frames} interleaved frames of signed integers (for {@link WavEncoding#PCM_U8}
   * the byte minus 128), bit-exact.
   *
   * @throws IllegalStateException for float encodings
   * @throws IllegalArgumentException when a value is outside the encoding's range; nothing of
   *     the call is written then
   */
  public void writeInts(int[] interleaved, int offset, int frames) throws IOException {
    if (encoding.isFloat()) {
      throw new IllegalStateException("writeInts needs an integer encoding, writing " + encoding);
    }
    checkRange("interleaved", interleaved == null ? -1 : interleaved.length, offset, frames,
        channels);
    int total = frames * channels;
    int min = encoding.minInt();
    int max = encoding.maxInt();
    for (int i = 0; i < total; i++) {
      int v = interleaved[offset + i];
      if (v < min || v > max) {
        throw new IllegalArgumentException(String.format(
            "sample %d at index %d is outside %s range [%d, %d]", v, offset + i, encoding, min,
            max));
      }
    }
    reserve(frames);
    int samplesPerChunk = buf.length / frameBytes * channels;
    for (int i = 0; i < total; ) {
      int n = Math.min(samplesPerChunk, total - i);
      SampleCodec.encodeInts(encoding, interleaved, offset + i, buf, 0, n);
      writeFully(buf, n * encoding.bytesPerSample());
      i += n;
    }
    framesWritten += frames;
  }

  /**
   * Writes the pad byte and final sizes, then commits the file under its name. After this,
   * {@link #close()} does nothing.
   */
  public void commit() throws IOException {
    requireOpen();
    long dataBytes = framesWritten * frameBytes;
    if ((dataBytes & 1) != 0) {
      buf[0] = 0;
      writeFully(buf, 1);
    }
    long riffSize = header.length - 8 + dataBytes + (dataBytes & 1);
    SampleCodec.putInt32(header, 4, (int) riffSize);
    SampleCodec.putInt32(header, header.length - 4, (int) dataBytes);
    if (factSizeOffset >= 0) {
      SampleCodec.putInt32(header, factSizeOffset, (int) framesWritten);
    }
    channel.position(0);
    writeFully(header, header.length);
    done = true;
    output.commit();
  }

  /** Without a prior {@link #commit()}, deletes the partial output. Safe to call twice. */
  @Override
  public void close() throws IOException {
    done = true;
    output.close();
  }

  private void reserve(int frames) throws IOException {
    requireOpen();
    long after = (framesWritten + frames) * frameBytes;
    if (after > maxDataBytes) {
      throw new IOException(String.format(
          "WAV size limit: %d frames of %d bytes would need %d data bytes, at most %d fit in"
              + " RIFF's 32-bit sizes", framesWritten + frames, frameBytes, after, maxDataBytes));
    }
  }

  private void requireOpen() {
    if (done) {
      throw new IllegalStateException("writer is committed or closed: " + output.target());
    }
  }

  private void writeFully(byte[] b, int len) throws IOException {
    ByteBuffer bb = ByteBuffer.wrap(b, 0, len);
    while (bb.hasRemaining()) {
      channel.write(bb);
    }
  }

  private void writeHeaderTemplate(int fmtSize, boolean extensible) {
    byte[] h = header;
    ascii(h, 0, "RIFF");
    ascii(h, 8, "WAVE");
    ascii(h, 12, "fmt ");
    SampleCodec.putInt32(h, 16, fmtSize);
    int tag = extensible ? 0xFFFE : encoding.isFloat() ? 3 : 1;
    SampleCodec.putInt16(h, 20, tag);
    SampleCodec.putInt16(h, 22, channels);
    SampleCodec.putInt32(h, 24, format.sampleRate());
    SampleCodec.putInt32(h, 28, (int) ((long) format.sampleRate() * frameBytes));
    SampleCodec.putInt16(h, 32, frameBytes);
    SampleCodec.putInt16(h, 34, encoding.bitsPerSample());
    int p = 36;
    if (fmtSize >= 18) {
      SampleCodec.putInt16(h, 36, fmtSize - 18);
      p = 38;
    }
    if (extensible) {
      SampleCodec.putInt16(h, 38, format.validBitsPerSample());
      SampleCodec.putInt32(h, 40, format.channelMask());
      // KSDATAFORMAT_SUBTYPE_PCM or _IEEE_FLOAT: {0000000X-0000-0010-8000-00AA00389B71}.
      SampleCodec.putInt16(h, 44, encoding.isFloat() ? 3 : 1);
      byte[] suffix = {0, 0, 0, 0, 0x10, 0, (byte) 0x80, 0, 0, (byte) 0xAA, 0, 0x38,
        (byte) 0x9B, 0x71};
      System.arraycopy(suffix, 0, h, 46, suffix.length);
      p = 60;
    }
    if (factSizeOffset >= 0) {
      ascii(h, p, "fact");
      SampleCodec.putInt32(h, p + 4, 4);
      p += 12;
    }
    ascii(h, p, "data");
    // Sizes are patched by commit(); until then they read as "unknown".
    SampleCodec.putInt32(h, 4, -1);
    SampleCodec.putInt32(h, p + 4, -1);
  }

  private static void ascii(byte[] b, int p, String s) {
    for (int i = 0; i < 4; i++) {
      b[p + i] = (byte) s.charAt(i);
    }
  }

  private static void checkRange(String name, int length, int offset, int frames, int perFrame) {
    if (length < 0) {
      throw new IllegalArgumentException(name + " is null");
    }
    if (frames < 0 || offset < 0 || offset > length
        || (long) frames * perFrame > length - offset) {
      throw new IllegalArgumentException(String.format(
          "%s too short: length=%d offset=%d frames=%d samplesPerFrame=%d",
          name, length, offset, frames, perFrame));
    }
  }
}
