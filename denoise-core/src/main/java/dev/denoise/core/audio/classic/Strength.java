package dev.denoise.core.audio.classic;

/**
 * How hard a denoiser works: the deepest attenuation it may apply and how much of the processed
 * signal is mixed with the unprocessed one.
 *
 * @param maxAttenuationDb largest attenuation of any bin, in dB (&gt;= 0); the gain floor is
 *     {@code 10^(-maxAttenuationDb/20)}. 0 dB leaves the signal untouched.
 * @param mix wet fraction in [0, 1]: output = mix · denoised + (1 − mix) · input (time aligned)
 */
public record Strength(double maxAttenuationDb, double mix) {
  /** The default: up to 30 dB of attenuation, fully wet. */
  public static final Strength DEFAULT = new Strength(30, 1);

  public Strength {
    if (!(maxAttenuationDb >= 0) || Double.isInfinite(maxAttenuationDb)) {
      throw new IllegalArgumentException("maxAttenuationDb must be a finite value >= 0: "
          + maxAttenuationDb);
    }
    if (!(mix >= 0 && mix <= 1)) {
      throw new IllegalArgumentException("mix must be in [0, 1]: " + mix);
    }
  }

  /** Linear gain floor for this strength. */
  public float gainFloor() {
    return (float) Math.pow(10, -maxAttenuationDb / 20);
  }
}
