package dev.denoise.core.audio.mask;

/**
 * The learned part of a spectral-mask voice denoiser (the U-Net and CRN voice models): per 10 ms
 * frame, one mask value per STFT bin from the frame's log power spectrum. The core never sees how
 * it is computed (a TensorFlow Lite graph, an oracle from known clean speech, a fixed test value).
 *
 * <p>Shapes: {@link #infer} reads {@code lnPower[0, bins())}, {@code ln(re² + im² + 1e-8)} of
 * the frame's unnormalised spectrum in the layout of {@link dev.denoise.core.audio.Stft}
 * ({@link SpectralMaskDenoiser#LN_POWER_EPSILON}; 513 bins for the 48 kHz standard framing). A
 * {@linkplain #complexMask() magnitude} model writes {@code maskRe[0, bins())}, a real gain per bin
 * in [0, 1] applied to the noisy bin (noisy phase kept), and leaves {@code maskIm} alone; a
 * complex model writes both, and the clean estimate is {@code (maskRe + i·maskIm)·X}.
 *
 * <p>State: the implementation owns its state (LSTM/GRU vectors, causal-convolution history);
 * each {@link #infer} call advances it by one frame, so one instance serves one stream and frames
 * must come in order. {@link #reset} returns it to the state before the first frame.
 *
 * <p>Threads: one thread at a time. {@link #infer} runs on the audio thread and must not
 * allocate, lock, log or do I/O. {@link #close} releases native resources (interpreter,
 * delegate); closing twice is safe; no other call is allowed after it.
 */
public interface MaskModel extends AutoCloseable {

  /** Number of STFT bins per frame, {@code fftSize/2 + 1}. */
  int bins();

  /** Whether {@link #infer} writes a complex mask (both arrays) or a magnitude mask. */
  boolean complexMask();

  /**
   * Runs one frame: reads {@code lnPower}, writes the mask, advances the state.
   *
   * @param lnPower {@link #bins()} values of {@code ln(power + 1e-8)}
   * @param maskRe the magnitude mask, or the real part of the complex mask; {@link #bins()} values
   * @param maskIm the imaginary part of a complex mask; untouched by a magnitude model
   */
  void infer(float[] lnPower, float[] maskRe, float[] maskIm);

  /** Clears the state, as before the first frame. */
  void reset();

  /** Releases the model's resources; idempotent. */
  @Override
  void close();
}
