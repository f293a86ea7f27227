package dev.denoise.core.image;

/**
 * A separable 2-D transform of square {@code size × size} blocks, given by an analysis matrix
 * {@code F} (row {@code i} is basis function {@code i}): {@code C = F · X · Fᵀ} and back
 * {@code X = G · C · Gᵀ} with {@code G = F⁻¹}.
 *
 * <p>Every analysis row has unit L2 norm, so white noise of standard deviation σ in the pixels
 * has standard deviation σ in every coefficient even for the non-orthogonal bior1.5 basis; that
 * is what lets BM3D threshold all coefficients at the same λ·σ.
 *
 * <p>Blocks are row-major, {@code X[y * size + x]}; coefficients likewise, {@code C[i * size + j]}
 * with {@code i} the vertical and {@code j} the horizontal frequency. An instance owns a scratch
 * buffer: use one instance per thread ({@link #copy()}).
 */
final class BlockTransform2d {
  private final int size;
  private final float[] analysis;
  private final float[] analysisT;
  private final float[] synthesis;
  private final float[] synthesisT;
  private final float[] scratch;

  private BlockTransform2d(int size, float[] analysis, float[] synthesis) {
    this.size = size;
    this.analysis = analysis;
    this.synthesis = synthesis;
    // Transposes let both passes run as row updates (a·x + y over contiguous rows), which the
    // JIT vectorises, instead of strided dot products.
    this.analysisT = transpose(analysis, size);
    this.synthesisT = transpose(synthesis, size);
    this.scratch = new float[size * size];
  }

  private static float[] transpose(float[] m, int n) {
    float[] t = new float[n * n];
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < n; c++) {
        t[c * n + r] = m[r * n + c];
      }
    }
    return t;
  }

  /** The orthonormal DCT-II of any size ≥ 1. */
  static BlockTransform2d dct(int size) {
    double[] f = new double[size * size];
    for (int i = 0; i < size; i++) {
      double c = i == 0 ? Math.sqrt(1.0 / size) : Math.sqrt(2.0 / size);
      for (int j = 0; j < size; j++) {
        f[i * size + j] = c * Math.cos(Math.PI * (2 * j + 1) * i / (2.0 * size));
      }
    }
    return fromAnalysis(size, f);
  }

  /**
   * The biorthogonal 1.5 wavelet (spline, 1 vanishing moment on synthesis, 5 on analysis),
   * fully decomposed ({@code log2(size)} levels) with periodic extension, as used by BM3D's
   * first stage. {@code size} must be a power of two.
   */
  static BlockTransform2d bior15(int size) {
    if (size < 1 || Integer.bitCount(size) != 1) {
      throw new IllegalArgumentException("bior1.5 needs a power-of-two block size, got " + size);
    }
    // Analysis low-pass of bior1.5: sqrt(2)/256 * [3, -3, -22, 22, 128, 128, 22, -22, -3, 3];
    // the analysis high-pass is the Haar difference on the same sample pair (taps 4 and 5).
    double[] low = {3, -3, -22, 22, 128, 128, 22, -22, -3, 3};
    for (int t = 0; t < low.length; t++) {
      low[t] *= Math.sqrt(2) / 256;
    }
    int centre = 4;
    // Rows of the analysis matrix, built by running the decomposition on unit impulses.
    double[] f = new double[size * size];
    double[] signal = new double[size];
    double[] next = new double[size];
    for (int impulse = 0; impulse < size; impulse++) {
      java.util.Arrays.fill(signal, 0);
      signal[impulse] = 1;
      for (int length = size; length >= 2; length /= 2) {
        int half = length / 2;
        for (int i = 0; i < half; i++) {
          double a = 0;
          for (int t = 0; t < low.length; t++) {
            a += low[t] * signal[Math.floorMod(2 * i + t - centre, length)];
          }
          next[i] = a;
          next[half + i] = (signal[2 * i] - signal[2 * i + 1]) / Math.sqrt(2);
        }
        System.arraycopy(next, 0, signal, 0, length);
      }
      for (int row = 0; row < size; row++) {
        f[row * size + impulse] = signal[row];
      }
    }
    for (int row = 0; row < size; row++) {
      double norm = 0;
      for (int j = 0; j < size; j++) {
        norm += f[row * size + j] * f[row * size + j];
      }
      norm = Math.sqrt(norm);
      for (int j = 0; j < size; j++) {
        f[row * size + j] /= norm;
      }
    }
    return fromAnalysis(size, f);
  }

  private static BlockTransform2d fromAnalysis(int size, double[] f) {
    double[] g = invert(f, size);
    float[] analysis = new float[size * size];
    float[] synthesis = new float[size * size];
    for (int i = 0; i < size * size; i++) {
      analysis[i] = (float) f[i];
      synthesis[i] = (float) g[i];
    }
    return new BlockTransform2d(size, analysis, synthesis);
  }

  /** Gauss–Jordan inverse with partial pivoting of a row-major {@code n × n} matrix. */
  private static double[] invert(double[] m, int n) {
    double[] a = m.clone();
    double[] inv = new double[n * n];
    for (int i = 0; i < n; i++) {
      inv[i * n + i] = 1;
    }
    for (int col = 0; col < n; col++) {
      int pivot = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(a[r * n + col]) > Math.abs(a[pivot * n + col])) {
          pivot = r;
        }
      }
      if (Math.abs(a[pivot * n + col]) < 1e-12) {
        throw new IllegalStateException("transform matrix is singular at column " + col);
      }
      swapRows(a, n, col, pivot);
      swapRows(inv, n, col, pivot);
      double p = a[col * n + col];
      for (int j = 0; j < n; j++) {
        a[col * n + j] /= p;
        inv[col * n + j] /= p;
      }
      for (int r = 0; r < n; r++) {
        if (r != col) {
          double factor = a[r * n + col];
          for (int j = 0; j < n; j++) {
            a[r * n + j] -= factor * a[col * n + j];
            inv[r * n + j] -= factor * inv[col * n + j];
          }
        }
      }
    }
    return inv;
  }

  private static void swapRows(double[] a, int n, int r1, int r2) {
    if (r1 == r2) {
      return;
    }
    for (int j = 0; j < n; j++) {
      double t = a[r1 * n + j];
      a[r1 * n + j] = a[r2 * n + j];
      a[r2 * n + j] = t;
    }
  }

  /** An instance sharing the matrices, with its own scratch buffer. */
  BlockTransform2d copy() {
    return new BlockTransform2d(size, analysis, synthesis);
  }

  int size() {
    return size;
  }

  /**
   * Transforms the block whose top-left sample is {@code plane[offset]} (rows {@code stride}
   * apart) into {@code coeffs[0 .. size²)}.
   */
  void forward(float[] plane, int offset, int stride, float[] coeffs) {
    int n = size;
    float[] f = analysis;
    float[] t = scratch;
    // t = F · X (transform the columns).
    for (int i = 0; i < n; i++) {
      int ti = i * n;
      for (int x = 0; x < n; x++) {
        t[ti + x] = 0;
      }
      for (int y = 0; y < n; y++) {
        float fiy = f[i * n + y];
        int row = offset + y * stride;
        for (int x = 0; x < n; x++) {
          t[ti + x] += fiy * plane[row + x];
        }
      }
    }
    // C = t · Fᵀ (transform the rows): row i of C accumulates t[i][x] · (row x of Fᵀ).
    float[] ft = analysisT;
    for (int i = 0; i < n; i++) {
      int ci = i * n;
      for (int j = 0; j < n; j++) {
        coeffs[ci + j] = 0;
      }
      for (int x = 0; x < n; x++) {
        float tix = t[ci + x];
        int fx = x * n;
        for (int j = 0; j < n; j++) {
          coeffs[ci + j] += tix * ft[fx + j];
        }
      }
    }
  }

  /** Inverts {@code coeffs[0 .. size²)} into the row-major block {@code block[0 .. size²)}. */
  void inverse(float[] coeffs, float[] block) {
    int n = size;
    float[] g = synthesis;
    float[] t = scratch;
    // t = G · C.
    for (int y = 0; y < n; y++) {
      int ty = y * n;
      for (int j = 0; j < n; j++) {
        t[ty + j] = 0;
      }
      for (int i = 0; i < n; i++) {
        float gyi = g[y * n + i];
        int ci = i * n;
        for (int j = 0; j < n; j++) {
          t[ty + j] += gyi * coeffs[ci + j];
        }
      }
    }
    // X = t · Gᵀ, as row updates like the forward pass.
    float[] gt = synthesisT;
    for (int y = 0; y < n; y++) {
      int by = y * n;
      for (int x = 0; x < n; x++) {
        block[by + x] = 0;
      }
      for (int j = 0; j < n; j++) {
        float tyj = t[by + j];
        int gj = j * n;
        for (int x = 0; x < n; x++) {
          block[by + x] += tyj * gt[gj + x];
        }
      }
    }
  }
}
