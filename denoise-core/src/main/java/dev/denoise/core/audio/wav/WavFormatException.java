package dev.denoise.core.audio.wav;

import java.io.IOException;

/**
 * The bytes are not a WAV file this package can read. The message names the problem with the
 * numbers involved (sizes, offsets, tags), for example {@code "fmt chunk too short: 12 bytes,
 * need 16"}.
 *
 * <p>It is the only exception {@link WavReader} throws for malformed input; other
 * {@link IOException}s come from the underlying stream or file system.
 */
public final class WavFormatException extends IOException {

  public WavFormatException(String message) {
    super(message);
  }
}
