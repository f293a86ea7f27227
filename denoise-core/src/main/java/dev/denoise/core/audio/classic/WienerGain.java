package dev.denoise.core.audio.classic;

/** Wiener gain {@code G = xi / (1 + xi)} with the decision-directed a-priori SNR. */
public final class WienerGain extends DecisionDirectedGain {

  /**
   * @param maxBins largest number of bins this rule will be given
   * @param smoothing decision-directed weight {@code a}, typically 0.98
   * @param xiMinDb floor of the a-priori SNR in dB, typically −25
   */
  public WienerGain(int maxBins, float smoothing, float xiMinDb) {
    super(maxBins, smoothing, xiMinDb);
  }

  @Override
  float gain(float xi, float gamma) {
    return xi / (1 + xi);
  }
}
