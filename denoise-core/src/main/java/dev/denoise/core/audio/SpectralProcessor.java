package dev.denoise.core.audio;

/**
 * Modifies one STFT frame's spectrum in place. Called by {@link StftStage} once per hop, on the
 * audio thread: implementations must not allocate, lock, log or do I/O.
 */
public interface SpectralProcessor {

  /**
   * Processes the spectrum of one frame in place.
   *
   * @param re real parts, {@code bins} values
   * @param im imaginary parts, {@code bins} values
   * @param bins number of bins, {@code fftSize/2 + 1}
   */
  void process(float[] re, float[] im, int bins);

  /** Forgets all history, as if newly constructed. */
  void reset();
}
