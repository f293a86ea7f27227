package dev.denoise.app.audio.nativeengine;

import java.util.Objects;

/**
 * The simulated device of the native host backend ({@code backends/host_backend.h}): one clock
 * at {@code sampleRate} delivers {@code framesPerBurst} input samples and asks for as many
 * output samples per burst.
 *
 * @param sampleRate Hz, also the engine's rate
 * @param framesPerBurst device burst in samples (any positive size; 10 ms frames are re-blocked)
 * @param jitterMillis each callback fires up to this much early or late around its slot
 * @param dropoutProbability chance per burst that the device loses it (input lost, output silent)
 * @param inputLagProbability chance per burst that its input is readable one callback late
 * @param seed seeds the jitter, dropout and lag draws
 * @param input the microphone signal, looped; silence when empty
 * @param captureFrames how many output samples the device records for {@link
 *     NativeDuplexEngine#hostCapture()}, from its first burst on
 */
public record HostDeviceSimulation(
    int sampleRate,
    int framesPerBurst,
    double jitterMillis,
    double dropoutProbability,
    double inputLagProbability,
    long seed,
    float[] input,
    int captureFrames) {

  public HostDeviceSimulation {
    Objects.requireNonNull(input, "input");
    if (sampleRate < 8000 || framesPerBurst <= 0 || captureFrames < 0 || jitterMillis < 0) {
      throw new IllegalArgumentException(String.format(
          "bad simulation: sampleRate=%d framesPerBurst=%d captureFrames=%d jitterMillis=%s",
          sampleRate, framesPerBurst, captureFrames, jitterMillis));
    }
  }

  /** A clean device: no jitter, dropouts or late input. */
  public static HostDeviceSimulation clean(
      int sampleRate, int framesPerBurst, float[] input, int captureFrames) {
    return new HostDeviceSimulation(sampleRate, framesPerBurst, 0, 0, 0, 1, input, captureFrames);
  }
}
