package dev.denoise.core.audio.wav;

import dev.denoise.core.io.AtomicOutputFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Whole-file convenience for small files; use {@link WavReader} and {@link WavWriter} to stream
 * long ones with constant memory.
 */
public final class WavFiles {
  /** Largest clip {@link #read} loads: samples per channel that fit one Java array. */
  public static final int MAX_FRAMES = Integer.MAX_VALUE - 8;
  private static final int CHUNK_FRAMES = 8192;

  private WavFiles() {}

  /**
   * Reads a whole file into memory as floats (full scale ±1.0). A truncated data chunk yields
   * the frames present (see {@link WavReader}).
   *
   * @throws WavFormatException for malformed files and for files longer than
   *     {@link #MAX_FRAMES} frames
   */
  public static AudioClip read(Path path) throws IOException {
    try (WavReader reader = WavReader.open(path)) {
      WavFormat format = reader.format();
      long frames = format.frameCount();
      if (frames > MAX_FRAMES) {
        throw new WavFormatException(String.format(
            "%s holds %d frames, more than the %d a clip can hold; stream it with WavReader",
            path, frames, MAX_FRAMES));
      }
      int channels = format.channels();
      float[][] out = new float[channels][(int) frames];
      int pos = 0;
      while (pos < frames) {
        int n = reader.readDeinterleaved(out, pos, (int) Math.min(CHUNK_FRAMES, frames - pos));
        if (n < 0) {
          break; // The file shrank while being read.
        }
        pos += n;
      }
      if (pos < frames) {
        for (int c = 0; c < channels; c++) {
          out[c] = Arrays.copyOf(out[c], pos);
        }
      }
      return new AudioClip(format.sampleRate(), out);
    }
  }

  /** Writes {@code clip} as 16-bit PCM to a new file {@code target} (see the next method). */
  public static void write(Path target, AudioClip clip) throws IOException {
    write(target, clip, WavEncoding.PCM_S16);
  }

  /** Writes {@code clip} to a new file {@code target}; refuses to replace an existing file. */
  public static void write(Path target, AudioClip clip, WavEncoding encoding) throws IOException {
    write(AtomicOutputFile.create(target), clip, encoding);
  }

  /**
   * Writes {@code clip} into {@code output} (see {@link AtomicOutputFile#create(Path, boolean,
   * Path...)} to allow overwriting or to guard inputs) and commits it.
   */
  public static void write(AtomicOutputFile output, AudioClip clip, WavEncoding encoding)
      throws IOException {
    WavFormat format = WavFormat.of(clip.sampleRate(), clip.channelCount(), encoding);
    try (WavWriter writer = WavWriter.create(output, format)) {
      writer.writeDeinterleaved(clip.channels(), 0, clip.frameCount());
      writer.commit();
    }
  }
}
