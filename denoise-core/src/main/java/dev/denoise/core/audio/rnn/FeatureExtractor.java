package dev.denoise.core.audio.rnn;

import dev.denoise.core.audio.Stft;
import dev.denoise.core.audio.StreamingStage;
import dev.denoise.core.audio.Windows;
import java.util.Arrays;

/**
 * RNNoise-style input features of the neural voice path, one vector per 10 ms hop at 48 kHz.
 * The training data dump ({@link TrainingFrames}) and the denoiser ({@link NeuralDenoiser}) both
 * run this class, so a model sees at inference exactly the features it was trained on.
 *
 * <p>Framing: hop {@link #HOP} = 480 samples (10 ms), window {@link #WINDOW} = 960 samples
 * (20 ms) of sqrt-Hann ending at the newest sample, FFT {@link #FFT_SIZE} = 1024 (zero padded),
 * {@link #BINS} = 513 bins of 46.875 Hz, {@link #BANDS} = 22 triangular bands
 * ({@link BandLayout#rnnoise}). Per-bin power is {@code |X_k|² / Σ w²}, so white noise of
 * variance σ² has power σ² in every bin and band; band energies are weighted means
 * ({@link BandLayout#average}).
 *
 * <p>Feature vector, version {@link #FEATURE_VERSION}, {@link #FEATURE_COUNT} = 42 floats,
 * no normalisation (training computes its own mean and scale):
 * <pre>
 *  index  count  content
 *  0      22     cepstrum c_0..c_21: orthonormal DCT-II of L_b = log10(E_b + 1e-10), E_b the
 *                band energy; it holds the log band energies exactly (the DCT is invertible,
 *                see {@link #logBandEnergy()})
 *  22     6      first derivative of c_0..c_5: c(t) − c(t−2)
 *  28     6      second derivative of c_0..c_5: c(t) − 2c(t−1) + c(t−2)
 *  34     6      first 6 coefficients of the orthonormal DCT-II of the per-band pitch
 *                correlations ρ_b (see {@link #pitchCorrelation()})
 *  40     1      pitch period: (T − 300) / 100, T the period in samples at 48 kHz (96..800,
 *                i.e. 500..60 Hz; {@link NccfPitchEstimator})
 *  41     1      spectral non-stationarity: over the last 8 cepstra, the mean of each one's
 *                smallest squared distance to any other (0 for a steady spectrum)
 * </pre>
 * The pitch correlation of band b is {@code ρ_b = Σ_k w_b(k) Re(X_k P_k*) / sqrt(E_b^X E_b^P)},
 * where P is the spectrum of the same window T samples earlier (the pitch-delayed signal).
 * Before the first frames the history is silence, so the derivatives start from the silence
 * cepstrum.
 *
 * <p>Change anything above and bump {@link #FEATURE_VERSION}: models record the version they
 * were trained on and {@link NeuralDenoiser} refuses a mismatch. {@code FeatureExtractorTest}
 * pins a golden frame.
 *
 * <p>Arrays returned by the accessors are this extractor's own, read-only, valid until the next
 * {@link #process}. Allocation-free after construction; one instance per stream.
 */
public final class FeatureExtractor {
  /** Version of the feature layout and computation. */
  public static final int FEATURE_VERSION = 1;
  /** The only rate the features are defined at, Hz. */
  public static final int SAMPLE_RATE = 48000;
  /** Samples per frame: 10 ms. */
  public static final int HOP = 480;
  /** Analysis window: 20 ms of sqrt-Hann. */
  public static final int WINDOW = 960;
  /** Transform length (the window zero-padded to a power of two). */
  public static final int FFT_SIZE = 1024;
  /** Spectrum bins, {@code FFT_SIZE / 2 + 1}. */
  public static final int BINS = FFT_SIZE / 2 + 1;
  /** Bands of {@link BandLayout#rnnoise}. */
  public static final int BANDS = 22;

  /** Offset of the 22 cepstral coefficients. */
  public static final int CEPSTRUM = 0;
  /** Number of cepstral coefficients that get derivatives and pitch-correlation coefficients. */
  public static final int DERIVED = 6;
  /** Offset of the first derivatives of c_0..c_5. */
  public static final int DELTA = CEPSTRUM + BANDS;
  /** Offset of the second derivatives of c_0..c_5. */
  public static final int DELTA2 = DELTA + DERIVED;
  /** Offset of the 6 DCT coefficients of the per-band pitch correlations. */
  public static final int PITCH_CORRELATION = DELTA2 + DERIVED;
  /** Index of the pitch period feature. */
  public static final int PITCH_PERIOD = PITCH_CORRELATION + DERIVED;
  /** Index of the spectral non-stationarity feature. */
  public static final int NON_STATIONARITY = PITCH_PERIOD + 1;
  /** Length of the feature vector. */
  public static final int FEATURE_COUNT = NON_STATIONARITY + 1;

  /** Added to band energies before the logarithm: −100 dB, about 16-bit quantisation noise. */
  public static final float ENERGY_FLOOR = 1e-10f;
  /** Cepstra remembered for the non-stationarity feature. */
  static final int CEPSTRUM_MEMORY = 8;

  private final Stft stft;
  private final BandLayout bands;
  private final NccfPitchEstimator pitch;
  private final float powerScale;
  private final float[][] dct;
  private final float[] history;
  private final float[] re = new float[BINS];
  private final float[] im = new float[BINS];
  private final float[] pRe = new float[BINS];
  private final float[] pIm = new float[BINS];
  private final float[] binScratch = new float[BINS];
  private final float[] bandEnergy = new float[BANDS];
  private final float[] pitchBandEnergy = new float[BANDS];
  private final float[] crossEnergy = new float[BANDS];
  private final float[] pitchCorrelation = new float[BANDS];
  private final float[] logEnergy = new float[BANDS];
  private final float[] silenceCepstrum = new float[BANDS];
  private final float[][] cepstra = new float[CEPSTRUM_MEMORY][BANDS];
  private final float[] scratch = new float[BANDS];
  private final float[] features = new float[FEATURE_COUNT];
  private int newest;
  private float framePower;

  public FeatureExtractor() {
    float[] window = Windows.create(Windows.Shape.SQRT_HANN, WINDOW);
    this.stft = new Stft(window, HOP, FFT_SIZE);
    this.bands = BandLayout.rnnoise(SAMPLE_RATE, FFT_SIZE);
    if (bands.bandCount() != BANDS) {
      throw new IllegalStateException("band layout has " + bands.bandCount() + " bands");
    }
    this.pitch = new NccfPitchEstimator(HOP);
    double sumSquares = 0;
    for (float w : window) {
      sumSquares += (double) w * w;
    }
    this.powerScale = (float) (1 / sumSquares);
    this.dct = orthonormalDct(BANDS);
    this.history = new float[NccfPitchEstimator.HISTORY];
    Arrays.fill(logEnergy, (float) Math.log10(ENERGY_FLOOR));
    multiply(dct, logEnergy, silenceCepstrum);
    reset();
  }

  /** DCT-II matrix with orthonormal rows: {@code c_i = Σ_b m[i][b] x_b}. */
  static float[][] orthonormalDct(int n) {
    float[][] m = new float[n][n];
    for (int i = 0; i < n; i++) {
      double scale = Math.sqrt((i == 0 ? 1.0 : 2.0) / n);
      for (int b = 0; b < n; b++) {
        m[i][b] = (float) (scale * Math.cos(Math.PI * (b + 0.5) * i / n));
      }
    }
    return m;
  }

  private static void multiply(float[][] m, float[] x, float[] out) {
    for (int i = 0; i < m.length; i++) {
      float acc = 0f;
      for (int b = 0; b < x.length; b++) {
        acc += m[i][b] * x[b];
      }
      out[i] = acc;
    }
  }

  /**
   * Takes the next hop of {@link #HOP} samples at 48 kHz and computes the features of the window
   * ending with it. Allocates nothing.
   */
  public void process(float[] in, int offset) {
    StreamingStage.checkFrame("in", in, offset, HOP);
    int h = history.length;
    System.arraycopy(history, HOP, history, 0, h - HOP);
    System.arraycopy(in, offset, history, h - HOP, HOP);

    stft.forward(history, h - WINDOW, re, im);
    int lag = pitch.update(history, h);
    stft.forward(history, h - WINDOW - lag, pRe, pIm);

    double total = 0;
    for (int k = 0; k < BINS; k++) {
      float p = (re[k] * re[k] + im[k] * im[k]) * powerScale;
      binScratch[k] = p;
      total += p;
    }
    framePower = (float) (total / BINS);
    bands.average(binScratch, bandEnergy);
    for (int k = 0; k < BINS; k++) {
      binScratch[k] = (pRe[k] * pRe[k] + pIm[k] * pIm[k]) * powerScale;
    }
    bands.average(binScratch, pitchBandEnergy);
    for (int k = 0; k < BINS; k++) {
      binScratch[k] = (re[k] * pRe[k] + im[k] * pIm[k]) * powerScale;
    }
    bands.average(binScratch, crossEnergy);
    for (int b = 0; b < BANDS; b++) {
      double norm = Math.sqrt((double) bandEnergy[b] * pitchBandEnergy[b]
          + (double) ENERGY_FLOOR * ENERGY_FLOOR);
      pitchCorrelation[b] = (float) Math.max(-1, Math.min(1, crossEnergy[b] / norm));
      logEnergy[b] = (float) Math.log10(bandEnergy[b] + ENERGY_FLOOR);
    }

    newest = (newest + 1) % CEPSTRUM_MEMORY;
    float[] c0 = cepstra[newest];
    float[] c1 = cepstra[(newest + CEPSTRUM_MEMORY - 1) % CEPSTRUM_MEMORY];
    float[] c2 = cepstra[(newest + CEPSTRUM_MEMORY - 2) % CEPSTRUM_MEMORY];
    multiply(dct, logEnergy, c0);
    System.arraycopy(c0, 0, features, CEPSTRUM, BANDS);
    for (int i = 0; i < DERIVED; i++) {
      features[DELTA + i] = c0[i] - c2[i];
      features[DELTA2 + i] = c0[i] - 2 * c1[i] + c2[i];
    }
    multiply(dct, pitchCorrelation, scratch);
    System.arraycopy(scratch, 0, features, PITCH_CORRELATION, DERIVED);
    features[PITCH_PERIOD] = (lag - 300) / 100f;
    features[NON_STATIONARITY] = nonStationarity();
  }

  private float nonStationarity() {
    float sum = 0f;
    for (int i = 0; i < CEPSTRUM_MEMORY; i++) {
      float nearest = Float.MAX_VALUE;
      for (int j = 0; j < CEPSTRUM_MEMORY; j++) {
        if (j == i) {
          continue;
        }
        float d = 0f;
        for (int b = 0; b < BANDS; b++) {
          float diff = cepstra[i][b] - cepstra[j][b];
          d += diff * diff;
        }
        nearest = Math.min(nearest, d);
      }
      sum += nearest;
    }
    return sum / CEPSTRUM_MEMORY;
  }

  /** Forgets all history: as if the stream had been silent. */
  public void reset() {
    Arrays.fill(history, 0f);
    pitch.reset();
    for (float[] c : cepstra) {
      System.arraycopy(silenceCepstrum, 0, c, 0, BANDS);
    }
    newest = 0;
    framePower = 0f;
    Arrays.fill(features, 0f);
  }

  /** The feature vector of the last frame ({@link #FEATURE_COUNT} values, layout above). */
  public float[] features() {
    return features;
  }

  /** Real parts of the last frame's spectrum X ({@link #BINS} values, {@link Stft} layout). */
  public float[] spectrumRe() {
    return re;
  }

  /** Imaginary parts of the last frame's spectrum X. */
  public float[] spectrumIm() {
    return im;
  }

  /** Real parts of the pitch-delayed spectrum P (the window {@link #pitchLag()} earlier). */
  public float[] pitchSpectrumRe() {
    return pRe;
  }

  /** Imaginary parts of the pitch-delayed spectrum P. */
  public float[] pitchSpectrumIm() {
    return pIm;
  }

  /** Band energies E_b of X (per-bin power units, see the class comment). */
  public float[] bandEnergy() {
    return bandEnergy;
  }

  /** Band energies of P. */
  public float[] pitchBandEnergy() {
    return pitchBandEnergy;
  }

  /** Per-band pitch correlation ρ_b in [−1, 1]. */
  public float[] pitchCorrelation() {
    return pitchCorrelation;
  }

  /** {@code log10(E_b + ENERGY_FLOOR)} per band; the cepstrum is its DCT. */
  public float[] logBandEnergy() {
    return logEnergy;
  }

  /** Mean per-bin power of the last frame: the window-weighted mean square of the samples. */
  public float framePower() {
    return framePower;
  }

  /** Pitch period of the last frame in samples at 48 kHz. */
  public int pitchLag() {
    return pitch.lag();
  }

  /** Normalised time-domain correlation at {@link #pitchLag()}, in [0, 1]. */
  public float pitchGain() {
    return pitch.correlation();
  }

  /** The STFT plan (for synthesis with the same window). */
  public Stft stft() {
    return stft;
  }

  public BandLayout bands() {
    return bands;
  }
}
