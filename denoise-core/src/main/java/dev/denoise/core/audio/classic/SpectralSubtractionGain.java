package dev.denoise.core.audio.classic;

/**
 * Power spectral subtraction with over-subtraction and a spectral floor, after Berouti, Schwartz
 * &amp; Makhoul, "Enhancement of speech corrupted by acoustic noise", ICASSP 1979.
 *
 * <p>{@code |S|^2 = max(|Y|^2 - alpha * lambda, beta * lambda)}, {@code G = sqrt(|S|^2/|Y|^2)}.
 * The over-subtraction factor follows the frame's a-posteriori SNR (dB) as in the paper:
 * {@code alpha = 4 - 3/20 * SNR}, clamped to [1, 5] (SNR in [-5, 20] dB maps to [4.75, 1]).
 * Over-subtraction removes the random peaks of the noise spectrum that would otherwise survive as
 * isolated tones ("musical noise"), and the floor {@code beta} (power, default 0.01 = −20 dB)
 * masks what remains with a little broadband noise instead of silence.
 */
public final class SpectralSubtractionGain implements GainRule {
  private final float beta;

  /** With the paper's spectral floor, {@code beta = 0.01}. */
  public SpectralSubtractionGain() {
    this(0.01f);
  }

  /** @param beta spectral floor as a fraction of the noise power, in (0, 1) */
  public SpectralSubtractionGain(float beta) {
    if (!(beta > 0 && beta < 1)) {
      throw new IllegalArgumentException("beta must be in (0, 1): " + beta);
    }
    this.beta = beta;
  }

  @Override
  public void computeGains(float[] power, float[] noise, float[] gain, int bins) {
    double sumPower = 0;
    double sumNoise = 0;
    for (int k = 0; k < bins; k++) {
      sumPower += power[k];
      sumNoise += noise[k];
    }
    double snrDb = 10 * Math.log10(Math.max(sumPower - sumNoise, 1e-12) / Math.max(sumNoise, 1e-30));
    float alpha = (float) Math.max(1.0, Math.min(5.0, 4.0 - 0.15 * snrDb));
    for (int k = 0; k < bins; k++) {
      float y = power[k];
      float clean = Math.max(y - alpha * noise[k], beta * noise[k]);
      gain[k] = y > 0 ? (float) Math.min(1.0, Math.sqrt(clean / y)) : 0f;
    }
  }

  @Override
  public void reset() {
    // Stateless.
  }
}
