/**
 * The spectral-mask voice path (the U-Net and CRN voice models): the standard 48 kHz STFT, a
 * {@link dev.denoise.core.audio.mask.MaskModel} that maps each frame's log power spectrum to a
 * magnitude or complex mask per bin, and the mask applied to the noisy spectrum.
 *
 * <pre>
 * 480 samples (10 ms) ─► StftStage: 960-sample sqrt-Hann window, FFT 1024 → X (513 bins)
 *                         ▼ ln(|X|² + 1e-8)
 *                  MaskModel.infer ─► M (513 gains, or 513 complex values)   (TFLite, or a fake)
 *                         ▼ clamp, floor/mix (Strength)
 *                  Y = G·X ─► IFFT → overlap-add ─► 480 samples out, 10 ms output delay
 * </pre>
 *
 * <p>The Python training side reproduces this framing exactly (mask contract, issue 9).
 */
package dev.denoise.core.audio.mask;
