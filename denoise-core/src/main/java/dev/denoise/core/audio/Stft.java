package dev.denoise.core.audio;

import org.jtransforms.fft.FloatFFT_1D;

/**
 * Short-time Fourier transform plan: windowed forward FFT of one frame and windowed inverse FFT
 * with overlap-add normalisation, over JTransforms with a reusable plan and scratch.
 *
 * <p>Layout: a frame of {@link #windowLength()} samples is windowed, zero-padded to
 * {@link #fftSize()} and transformed. The spectrum is returned as two arrays of
 * {@link #bins()} {@code = fftSize/2 + 1} values, {@code re[k]} and {@code im[k]} for bin
 * {@code k} (frequency {@code k * sampleRate / fftSize}); {@code im[0]} and {@code im[bins-1]}
 * are always 0. The forward transform is unnormalised; the inverse includes {@code 1/fftSize} and
 * the overlap-add normalisation, so analysing, synthesising and overlap-adding unmodified frames
 * at hop {@link #hopSize()} reproduces the input exactly (up to float rounding) once the first
 * {@code windowLength - hopSize} samples have passed.
 *
 * <p>Power-of-two {@code fftSize} keeps {@link #forward} and {@link #inverseAdd} free of
 * allocation (JTransforms allocates scratch per call for mixed-radix sizes).
 *
 * <p>One instance is used by one thread at a time; it owns its scratch buffer.
 */
public final class Stft {
  private final int windowLength;
  private final int hopSize;
  private final int fftSize;
  private final float[] analysisWindow;
  private final float[] synthesisWindow;
  private final FloatFFT_1D fft;
  private final float[] scratch;

  /**
   * @param window analysis and synthesis window (copied); its length is the frame length
   * @param hopSize samples between frames; the overlap-added squared window must be constant
   * @param fftSize transform length, at least the window length (zero padding when larger)
   * @throws IllegalArgumentException when the window and hop do not reconstruct perfectly
   */
  public Stft(float[] window, int hopSize, int fftSize) {
    this.windowLength = window.length;
    if (hopSize <= 0 || hopSize > windowLength || windowLength % hopSize != 0) {
      throw new IllegalArgumentException(String.format(
          "hop must divide the window length: windowLength=%d hopSize=%d", windowLength, hopSize));
    }
    if (fftSize < windowLength || fftSize % 2 != 0) {
      throw new IllegalArgumentException(String.format(
          "fftSize must be even and >= windowLength: fftSize=%d windowLength=%d",
          fftSize, windowLength));
    }
    this.hopSize = hopSize;
    this.fftSize = fftSize;
    this.analysisWindow = window.clone();
    this.synthesisWindow = new float[windowLength];
    // Overlap-added w^2 must be the same constant at every phase of the hop; divide it out once.
    double first = overlapAddedPower(window, hopSize, 0);
    for (int phase = 0; phase < hopSize; phase++) {
      double sum = overlapAddedPower(window, hopSize, phase);
      if (Math.abs(sum - first) > 1e-4 * first || first <= 0) {
        throw new IllegalArgumentException(String.format(
            "window is not power-complementary at this hop: hopSize=%d, sum(w^2) is %.6f at "
                + "phase 0 and %.6f at phase %d", hopSize, first, sum, phase));
      }
    }
    for (int i = 0; i < windowLength; i++) {
      synthesisWindow[i] = (float) (window[i] / first);
    }
    this.fft = new FloatFFT_1D(fftSize);
    this.scratch = new float[fftSize];
  }

  /**
   * Convenience: a window of {@code windowLength} samples of {@code shape}, zero-padded to the
   * next power of two. JTransforms allocates work arrays on every call for other sizes, so
   * power-of-two transforms are what the real-time path uses.
   */
  public static Stft of(Windows.Shape shape, int windowLength, int hopSize) {
    return new Stft(Windows.create(shape, windowLength), hopSize, nextPowerOfTwo(windowLength));
  }

  /** The smallest power of two {@code >= n} ({@code n >= 1}). */
  public static int nextPowerOfTwo(int n) {
    return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
  }

  public int windowLength() {
    return windowLength;
  }

  public int hopSize() {
    return hopSize;
  }

  public int fftSize() {
    return fftSize;
  }

  /** Number of frequency bins, {@code fftSize/2 + 1}. */
  public int bins() {
    return fftSize / 2 + 1;
  }

  /**
   * Windows {@code frame[offset, offset + windowLength)} and writes its spectrum to {@code re}
   * and {@code im} (each at least {@link #bins()} long). Allocates nothing.
   */
  public void forward(float[] frame, int offset, float[] re, float[] im) {
    StreamingStage.checkFrame("frame", frame, offset, windowLength);
    checkBins(re, im);
    for (int i = 0; i < windowLength; i++) {
      scratch[i] = frame[offset + i] * analysisWindow[i];
    }
    for (int i = windowLength; i < fftSize; i++) {
      scratch[i] = 0f;
    }
    fft.realForward(scratch);
    // JTransforms packed layout (n even): a[0]=Re[0], a[1]=Re[n/2], a[2k]=Re[k], a[2k+1]=Im[k].
    int half = fftSize / 2;
    re[0] = scratch[0];
    im[0] = 0f;
    re[half] = scratch[1];
    im[half] = 0f;
    for (int k = 1; k < half; k++) {
      re[k] = scratch[2 * k];
      im[k] = scratch[2 * k + 1];
    }
  }

  /**
   * Inverse-transforms the spectrum, applies the synthesis window and normalisation, and adds
   * the {@link #windowLength()} resulting samples into {@code accumulator[offset, ...)}.
   * Allocates nothing.
   */
  public void inverseAdd(float[] re, float[] im, float[] accumulator, int offset) {
    checkBins(re, im);
    StreamingStage.checkFrame("accumulator", accumulator, offset, windowLength);
    int half = fftSize / 2;
    scratch[0] = re[0];
    scratch[1] = re[half];
    for (int k = 1; k < half; k++) {
      scratch[2 * k] = re[k];
      scratch[2 * k + 1] = im[k];
    }
    // Scaled inverse: JTransforms' unscaled inverse differs by 2 between power-of-two sizes
    // and the others, the scaled one is 1/n for all.
    fft.realInverse(scratch, true);
    for (int i = 0; i < windowLength; i++) {
      accumulator[offset + i] += scratch[i] * synthesisWindow[i];
    }
  }

  private void checkBins(float[] re, float[] im) {
    int bins = bins();
    if (re.length < bins || im.length < bins) {
      throw new IllegalArgumentException(String.format(
          "spectrum arrays too short: re=%d im=%d bins=%d", re.length, im.length, bins));
    }
  }

  private static double overlapAddedPower(float[] window, int hop, int phase) {
    double sum = 0;
    for (int i = phase; i < window.length; i += hop) {
      sum += (double) window[i] * window[i];
    }
    return sum;
  }
}
