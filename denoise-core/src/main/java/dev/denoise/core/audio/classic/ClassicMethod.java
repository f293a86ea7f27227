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
  GainRule newGainRule(int bins) {
    switch (this) {
      case MMSE_LSA:
        return new MmseLsaGain(bins, 0.98f, -25f);
      case WIENER:
        return new WienerGain(bins, 0.98f, -25f);
      case SPECTRAL_SUBTRACTION:
        return new SpectralSubtractionGain();
      default:
        throw new AssertionError(this);
    }
  }
}
