package dev.denoise.app.audio.nativeengine;

import dev.denoise.app.audio.DuplexAudioEngine;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The live path's engine choice: the native engine when its library (with the Oboe backend)
 * loads, otherwise the platform engine the caller supplies, with a line for the UI saying which
 * is in use and why.
 *
 * @param engine the engine to use (the caller owns it and closes it)
 * @param nativeEngine whether it is the native engine
 * @param description e.g. "Native (Oboe)" or "AudioRecord/AudioTrack (native engine unavailable:
 *     libdenoise_native.so is not part of this build ...)"
 */
public record EngineSelection(DuplexAudioEngine engine, boolean nativeEngine, String description) {

  public EngineSelection {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(description, "description");
  }

  /**
   * Prefers the native engine; {@code platform} is only called when the native one is
   * unavailable.
   *
   * @param extraBufferMillis see {@link NativeDuplexEngine#openDevice}
   */
  public static EngineSelection preferNative(
      int sampleRate, int extraBufferMillis, Supplier<? extends DuplexAudioEngine> platform) {
    NativeEngineResult result = NativeDuplexEngine.openDevice(sampleRate, extraBufferMillis);
    if (result.isAvailable()) {
      NativeDuplexEngine engine = result.engine();
      return new EngineSelection(engine, true, engine.name());
    }
    DuplexAudioEngine fallback = platform.get();
    return new EngineSelection(
        fallback, false, fallback.name() + " (" + result.unavailableReason() + ")");
  }
}
