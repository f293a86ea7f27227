package dev.denoise.core.audio.rnn;

import dev.denoise.core.audio.StreamingStage;
import dev.denoise.core.audio.classic.Strength;

/**
 * A 48 kHz voice denoiser around a learned model, as the live and file paths drive it: one
 * streaming stage per stream that owns its model. Implemented by {@link NeuralDenoiser} (band
 * gains from a {@link GainModel}) and {@code audio.mask.SpectralMaskDenoiser} (bin masks from a
 * {@code MaskModel}), so callers can run whichever kind of model ships.
 *
 * <p>Threads: {@link #process} and {@link #reset} on one thread, as {@link StreamingStage} says;
 * {@link #setStrength} and {@link #lastVadProbability} from any thread.
 */
public interface NeuralVoiceStage extends StreamingStage, AutoCloseable {

  /** Changes the strength; takes effect at the next frame. Safe from any thread. */
  void setStrength(Strength strength);

  /**
   * Voice activity of the last frame in [0, 1]: the model's own VAD output where it has one,
   * otherwise a proxy the implementation documents. Safe from any thread.
   */
  float lastVadProbability();

  /** Closes the model; idempotent. */
  @Override
  void close();
}
