package dev.denoise.core.audio.classic;

import java.util.Locale;

/** The classic (non-neural) voice denoising methods, with their command-line names. */
public enum ClassicMethod {
  /** Ephraim–Malah MMSE log-spectral amplitude: the default, least musical noise. */
  MMSE_LSA("mmse-lsa"),
  /** Wiener gain with decision-directed a-priori SNR. */
  WIENER("wiener"),
  /** Berouti power spectral subtraction with over-subtraction and floor. */
  SPECTRAL_SUBTRACTION("specsub");

  /**
   * Decision-directed weight. Ephraim–Malah's 0.98 smooths most; on the seeded speech-like
   * mixtures of ClassicDenoiserTest, 0.95 gains 0.5–1.5 dB SI-SDR for MMSE-LSA at 0 dB input
   * (0.92 to 0.95 was the plateau, 0.85 and 0.99 were worse) with the a-priori SNR floor still
   * holding back musical noise.
   */
  static final float DD_SMOOTHING = 0.95f;
  /** Floor of the a-priori SNR, dB (Cappé 1994 recommends −15…−25 dB). */
  static final float XI_MIN_DB = -25f;

  private final String cliName;

  ClassicMethod(String cliName) {
    this.cliName = cliName;
  }

  /** Name used on the command line and in reports. */
  public String cliName() {
    return cliName;
  }

  /** Parses a command-line name, case-insensitively. */
  public static ClassicMethod fromName(String name) {
    for (ClassicMethod m : values()) {
      if (m.cliName.equals(name.toLowerCase(Locale.ROOT))) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown classic method '" + name + "'");
  }

  /** A new gain rule of this method for up to {@code bins} bins, with its standard settings. */
  public GainRule newGainRule(int bins) {
    switch (this) {
      case MMSE_LSA:
        return new MmseLsaGain(bins, DD_SMOOTHING, XI_MIN_DB);
      case WIENER:
        return new WienerGain(bins, DD_SMOOTHING, XI_MIN_DB);
      case SPECTRAL_SUBTRACTION:
        return new SpectralSubtractionGain();
      default:
        throw new AssertionError(this);
    }
  }
}
