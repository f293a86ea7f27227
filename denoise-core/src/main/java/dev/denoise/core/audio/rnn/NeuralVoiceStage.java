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

  /**
   * Seconds of a file's opening that warm a learned denoiser before the file is denoised
   * ({@code AlignedProcessor.warmUp}), the default of the CLI's {@code audio --method neural}
   * and of the app's file denoising. On the 60-clip test set of the voice evaluation it lifts
   * the shipped model from PESQ-WB 1.55 / STOI 0.762 / SI-SDR 5.18 dB (cold) to 1.63 / 0.789 /
   * 6.53 dB; the classic methods change by at most 0.02 PESQ and 0.002 STOI and lose 0.5 dB
   * SI-SDR, so they start cold. The live path cannot look ahead; it starts primed with
   * {@link #LIVE_PRIME_SECONDS} of silence instead ({@link SilencePrimedStage}).
   */
  double FILE_WARM_UP_SECONDS = 1;

  /**
   * Seconds of digital silence that {@link SilencePrimedStage} runs through a learned denoiser
   * where it cannot look ahead (the live path, {@code denoise audio --warm-up 0}). The model's
   * all-zero initial state is not the state it reaches after silence, and from it the shipped
   * model cuts the first few hundred milliseconds of speech. Measured on the 60-clip test set of
   * the voice evaluation, shipped float32 model, PESQ-WB / STOI / SI-SDR: cold 1.55 / 0.762 /
   * 5.18 dB; after 0.05 s of zeros 1.58 / 0.797 / 7.02; 0.1 s 1.56 / 0.798 / 7.02; 0.3 s 1.55 /
   * 0.798 / 6.96. Five 10 ms frames already give it all, so priming is cheap enough for the
   * audio thread when the live path switches to the neural denoiser.
   */
  double LIVE_PRIME_SECONDS = 0.05;

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
