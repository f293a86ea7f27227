package dev.denoise.app.audio.nativeengine;

/**
 * The outcome of asking for the native engine: either an engine, or the reason there is none
 * (for the UI to show next to the platform engine it falls back to).
 */
public final class NativeEngineResult {
  private final NativeDuplexEngine engine;
  private final String unavailableReason;

  private NativeEngineResult(NativeDuplexEngine engine, String unavailableReason) {
    this.engine = engine;
    this.unavailableReason = unavailableReason;
  }

  static NativeEngineResult available(NativeDuplexEngine engine) {
    return new NativeEngineResult(engine, null);
  }

  static NativeEngineResult unavailable(String reason) {
    return new NativeEngineResult(null, reason);
  }

  public boolean isAvailable() {
    return engine != null;
  }

  /** The engine (the caller owns it and must close it). */
  public NativeDuplexEngine engine() {
    if (engine == null) {
      throw new IllegalStateException(unavailableReason);
    }
    return engine;
  }

  /** Why there is no engine, starting with "native engine unavailable: "; null when available. */
  public String unavailableReason() {
    return unavailableReason;
  }
}
