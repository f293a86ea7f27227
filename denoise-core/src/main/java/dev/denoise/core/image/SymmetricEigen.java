package dev.denoise.core.image;

/** Eigenvalues of small dense symmetric matrices by cyclic Jacobi rotations. */
final class SymmetricEigen {
  private static final int MAX_SWEEPS = 60;

  private SymmetricEigen() {}

  /**
   * The eigenvalues (unsorted) of the symmetric {@code n×n} row-major matrix {@code a}; the
   * array is not modified.
   */
  static double[] eigenvalues(double[] a, int n) {
    double[] m = a.clone();
    for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
      double off = 0;
      double diag = 0;
      for (int i = 0; i < n; i++) {
        diag += m[i * n + i] * m[i * n + i];
        for (int j = i + 1; j < n; j++) {
          off += m[i * n + j] * m[i * n + j];
        }
      }
      if (off <= 1e-24 * diag || off == 0) {
        break;
      }
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          double apq = m[p * n + q];
          if (apq == 0) {
            continue;
          }
          double app = m[p * n + p];
          double aqq = m[q * n + q];
          double theta = (aqq - app) / (2 * apq);
          double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          if (theta == 0) {
            t = 1;
          }
          double c = 1 / Math.sqrt(t * t + 1);
          double s = t * c;
          for (int k = 0; k < n; k++) {
            double mkp = m[k * n + p];
            double mkq = m[k * n + q];
            m[k * n + p] = c * mkp - s * mkq;
            m[k * n + q] = s * mkp + c * mkq;
          }
          for (int k = 0; k < n; k++) {
            double mpk = m[p * n + k];
            double mqk = m[q * n + k];
            m[p * n + k] = c * mpk - s * mqk;
            m[q * n + k] = s * mpk + c * mqk;
          }
        }
      }
    }
    double[] eig = new double[n];
    for (int i = 0; i < n; i++) {
      eig[i] = m[i * n + i];
    }
    return eig;
  }
}
