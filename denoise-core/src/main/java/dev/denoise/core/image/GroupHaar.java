package dev.denoise.core.image;

/**
 * The orthonormal Haar transform along the third dimension of a BM3D group, fully decomposed.
 *
 * <p>Works in place on {@code n} values at {@code data[offset .. offset + n)}; {@code n} must be
 * a power of two (1 leaves the values unchanged). Layout after {@link #forward}: the overall
 * average (scaled by √n) first, then details from coarse to fine.
 */
final class GroupHaar {
  private static final float INV_SQRT2 = (float) (1 / Math.sqrt(2));

  private GroupHaar() {}

  /** {@code scratch} must hold at least {@code n} values. */
  static void forward(float[] data, int offset, int n, float[] scratch) {
    for (int length = n; length >= 2; length >>= 1) {
      int half = length >> 1;
      for (int i = 0; i < half; i++) {
        float a = data[offset + 2 * i];
        float b = data[offset + 2 * i + 1];
        scratch[i] = (a + b) * INV_SQRT2;
        scratch[half + i] = (a - b) * INV_SQRT2;
      }
      System.arraycopy(scratch, 0, data, offset, length);
    }
  }

  /** Inverse of {@link #forward}. */
  static void inverse(float[] data, int offset, int n, float[] scratch) {
    for (int length = 2; length <= n; length <<= 1) {
      int half = length >> 1;
      for (int i = 0; i < half; i++) {
        float a = data[offset + i];
        float d = data[offset + half + i];
        scratch[2 * i] = (a + d) * INV_SQRT2;
        scratch[2 * i + 1] = (a - d) * INV_SQRT2;
      }
      System.arraycopy(scratch, 0, data, offset, length);
    }
  }
}
