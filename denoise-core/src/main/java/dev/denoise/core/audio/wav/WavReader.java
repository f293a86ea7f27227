package dev.denoise.core.audio.wav;

import dev.denoise.core.audio.wav.WavHeaderParser.CountingInput;
import dev.denoise.core.audio.wav.WavHeaderParser.Header;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Streams samples out of a WAV file with constant memory, whatever its length.
 *
 * <p>Reads RIFF/WAVE with PCM 8 (unsigned), 16, 24, 32-bit integer or 32/64-bit IEEE float
 * samples, any channel count, plain or WAVE_FORMAT_EXTENSIBLE fmt chunks (the subformat GUID must
 * be PCM or IEEE float), and any other chunks (LIST, fact, bext, JUNK, …) before the data chunk,
 * which are skipped; chunks after the data chunk are never read. The RIFF size field is ignored.
 *
 * <p>Damaged or unusual lengths, documented behaviour:
 * <ul>
 *   <li>A data chunk that declares more bytes than the input holds (a recorder that crashed
 *       before patching sizes) is read up to the end of the input; {@link #truncated()} then
 *       says so. Opened by path, {@link WavFormat#frameCount()} already counts only the frames
 *       present; opened on a stream it is the declared count.
 *   <li>A data size of {@code 0xFFFFFFFF} means "unknown": samples run to the end of the input
 *       (any trailing chunk would be read as samples). Opened by path, the frame count is
 *       derived from the file size; on a stream it is {@link WavFormat#UNKNOWN_FRAME_COUNT}.
 *       A data size of 0 in a file whose RIFF size is also 0 (placeholders a recorder never
 *       patched; a real empty file has a RIFF size of at least 36) is read the same way.
 *   <li>A trailing partial frame (data size not a multiple of the frame size, or input ending
 *       mid-frame) is dropped.
 * </ul>
 *
 * <p>A malformed header raises {@link WavFormatException} from {@link #open}; sample data cannot
 * be malformed, only short (see above). No other exception type comes out for any byte sequence
 * (other {@link IOException}s come from the input itself), and declared sizes can only shrink
 * the reader's fixed buffer, never grow it.
 *
 * <p>Samples come out as floats with full scale at ±1.0 (see {@link WavEncoding} for the integer
 * mapping) or, for integer encodings, as the stored integers ({@link #readInts}). Every read
 * method returns the number of frames read, fewer than asked only at the end of the data, and
 * -1 once no frame is left (0 when asked for 0 frames). Offsets count array elements;
 * {@code maxFrames} counts frames.
 *
 * <p>The reader owns its input: {@link #close()} closes it, and a failed {@link #open} closes
 * it too. Not thread-safe: one thread at a time.
 */
public final class WavReader implements Closeable {
  /** Target size of the internal byte buffer; it always holds at least one whole frame. */
  private static final int BUFFER_BYTES = 16384;

  private final InputStream in;
  private final WavFormat format;
  private final WavEncoding encoding;
  private final int channels;
  private final int frameBytes;
  private final boolean lengthKnown;
  private final byte[] buf;
  private int bufPos;
  private int bufEnd;
  /** Data bytes not yet pulled from the input; Long.MAX_VALUE when the length is unknown. */
  private long dataRemaining;
  private boolean inputEnded;
  private boolean truncated;
  private long framesRead;
  private float[] scratch;
  private boolean closed;

  private WavReader(InputStream in, Header header, long bytesAvailable) {
    this.in = in;
    this.encoding = header.format.encoding();
    this.channels = header.format.channels();
    this.frameBytes = header.format.bytesPerFrame();
    boolean unknown = header.declaredDataBytes == WavHeaderParser.UNKNOWN_DATA_SIZE;
    long dataBytes = unknown ? Long.MAX_VALUE : header.declaredDataBytes;
    WavFormat f = header.format;
    if (bytesAvailable >= 0) {
      if (!unknown && dataBytes > bytesAvailable) {
        truncated = true;
      }
      dataBytes = Math.min(dataBytes, bytesAvailable);
      f = f.withFrameCount(dataBytes / frameBytes);
    }
    this.format = f;
    this.lengthKnown = !unknown;
    this.dataRemaining = dataBytes;
    long bufferFrames = Math.max(1, BUFFER_BYTES / frameBytes);
    if (dataBytes != Long.MAX_VALUE) {
      bufferFrames = Math.max(1, Math.min(bufferFrames, dataBytes / frameBytes));
    }
    this.buf = new byte[(int) bufferFrames * frameBytes];
  }

  /** Opens a file; the frame count reflects what the file actually holds. */
  public static WavReader open(Path path) throws IOException {
    long fileSize = Files.size(path);
    InputStream in = new BufferedInputStream(Files.newInputStream(path), BUFFER_BYTES);
    return open(in, fileSize);
  }

  /** Opens a stream positioned at the RIFF header; the reader takes ownership of it. */
  public static WavReader open(InputStream in) throws IOException {
    return open(Objects.requireNonNull(in, "in"), -1);
  }

  private static WavReader open(InputStream in, long inputSize) throws IOException {
    try {
      CountingInput counting = new CountingInput(in);
      Header header = WavHeaderParser.parse(counting);
      long available = inputSize < 0 ? -1 : Math.max(0, inputSize - header.dataOffset);
      return new WavReader(in, header, available);
    } catch (IOException | RuntimeException | Error e) {
      try {
        in.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** The stream's format; see {@link WavFormat#frameCount()} for what the count means here. */
  public WavFormat format() {
    return format;
  }

  /** Frames returned so far by all read methods. */
  public long framesRead() {
    return framesRead;
  }

  /**
   * Whether the data chunk declares more bytes than the input holds. Known at open for a path;
   * for a stream it becomes true when the end of input is reached early.
   */
  public boolean truncated() {
    return truncated;
  }

  /**
   * Reads up to {@code maxFrames} interleaved frames into
   * {@code interleaved[offset, offset + frames·channels)}.
   *
   * @return frames read, or -1 at the end of the data
   */
  public int read(float[] interleaved, int offset, int maxFrames) throws IOException {
    checkRange("interleaved", interleaved == null ? -1 : interleaved.length, offset, maxFrames,
        channels);
    int done = 0;
    while (done < maxFrames) {
      int k = pull(maxFrames - done);
      if (k == 0) {
        break;
      }
      SampleCodec.decode(encoding, buf, bufPos, interleaved, offset + done * channels,
          k * channels);
      bufPos += k * frameBytes;
      done += k;
    }
    return finish(done, maxFrames);
  }

  /**
   * Reads up to {@code maxFrames} frames into {@code channels[c][offset, offset + frames)}, one
   * array per channel; {@code channels.length} must equal the channel count.
   *
   * @return frames read, or -1 at the end of the data
   */
  public int readDeinterleaved(float[][] out, int offset, int maxFrames) throws IOException {
    if (out == null || out.length != channels) {
      throw new IllegalArgumentException(String.format(
          "need %d channel arrays, got %s", channels, out == null ? "null" : out.length));
    }
    for (int c = 0; c < channels; c++) {
      checkRange("channel " + c, out[c] == null ? -1 : out[c].length, offset, maxFrames, 1);
    }
    float[] s = scratch();
    int done = 0;
    while (done < maxFrames) {
      int k = pull(maxFrames - done);
      if (k == 0) {
        break;
      }
      SampleCodec.decode(encoding, buf, bufPos, s, 0, k * channels);
      bufPos += k * frameBytes;
      for (int c = 0; c < channels; c++) {
        float[] dst = out[c];
        int d = offset + done;
        for (int i = 0, j = c; i < k; i++, j += channels) {
          dst[d + i] = s[j];
        }
      }
      done += k;
    }
    return finish(done, maxFrames);
  }

  /**
   * Reads up to {@code maxFrames} frames mixed down to mono (the mean of all channels) into
   * {@code mono[offset, offset + frames)}.
   *
   * @return frames read, or -1 at the end of the data
   */
  public int readMono(float[] mono, int offset, int maxFrames) throws IOException {
    checkRange("mono", mono == null ? -1 : mono.length, offset, maxFrames, 1);
    if (channels == 1) {
      return read(mono, offset, maxFrames);
    }
    float[] s = scratch();
    float inv = 1.0f / channels;
    int done = 0;
    while (done < maxFrames) {
      int k = pull(maxFrames - done);
      if (k == 0) {
        break;
      }
      SampleCodec.decode(encoding, buf, bufPos, s, 0, k * channels);
      bufPos += k * frameBytes;
      for (int i = 0, j = 0; i < k; i++) {
        float sum = 0;
        for (int c = 0; c < channels; c++, j++) {
          sum += s[j];
        }
        mono[offset + done + i] = sum * inv;
      }
      done += k;
    }
    return finish(done, maxFrames);
  }

  /**
   * Reads up to {@code maxFrames} interleaved frames as the stored signed integers (for
   * {@link WavEncoding#PCM_U8} the byte minus 128), bit-exact for every integer encoding.
   *
   * @return frames read, or -1 at the end of the data
   * @throws IllegalStateException for float encodings
   */
  public int readInts(int[] interleaved, int offset, int maxFrames) throws IOException {
    if (encoding.isFloat()) {
      throw new IllegalStateException("readInts needs an integer encoding, the file is " + encoding);
    }
    checkRange("interleaved", interleaved == null ? -1 : interleaved.length, offset, maxFrames,
        channels);
    int done = 0;
    while (done < maxFrames) {
      int k = pull(maxFrames - done);
      if (k == 0) {
        break;
      }
      SampleCodec.decodeInts(encoding, buf, bufPos, interleaved, offset + done * channels,
          k * channels);
      bufPos += k * frameBytes;
      done += k;
    }
    return finish(done, maxFrames);
  }

  /** Closes the input. Safe to call more than once. */
  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      in.close();
    }
  }

  private int finish(int done, int maxFrames) {
    framesRead += done;
    return done == 0 && maxFrames > 0 ? -1 : done;
  }

  /**
   * Makes whole frames available at {@code buf[bufPos…]} and returns how many (at most
   * {@code maxFrames}), or 0 when the data is exhausted. Reads at most one buffer of input.
   */
  private int pull(int maxFrames) throws IOException {
    if (closed) {
      throw new IllegalStateException("reader is closed");
    }
    int avail = bufEnd - bufPos;
    if (avail < frameBytes) {
      System.arraycopy(buf, bufPos, buf, 0, avail);
      bufPos = 0;
      bufEnd = avail;
      while (bufEnd < buf.length && !inputEnded && dataRemaining > 0) {
        int want = (int) Math.min(buf.length - bufEnd, dataRemaining);
        int n = in.read(buf, bufEnd, want);
        if (n == 0) {
          // A stream breaking the read contract: ask for one blocking byte instead.
          int c = in.read();
          n = c < 0 ? -1 : 1;
          if (c >= 0) {
            buf[bufEnd] = (byte) c;
          }
        }
        if (n < 0) {
          inputEnded = true;
          truncated |= lengthKnown;
          break;
        }
        bufEnd += n;
        dataRemaining -= n;
        if (bufEnd >= frameBytes) {
          break;
        }
      }
      avail = bufEnd;
      if (avail < frameBytes) {
        return 0;
      }
    }
    return Math.min(maxFrames, avail / frameBytes);
  }

  private float[] scratch() {
    if (scratch == null) {
      scratch = new float[buf.length / frameBytes * channels];
    }
    return scratch;
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
