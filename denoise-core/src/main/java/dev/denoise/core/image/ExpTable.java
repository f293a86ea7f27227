package dev.denoise.core.image;

/**
 * {@code exp(−t)} for t ≥ 0 from a table with linear interpolation: 256 steps per unit up to
 * t = 32 (beyond, 0; exp(−32) ≈ 1.3e−14), relative error below 2e−6. NL-means evaluates one
 * exponential per pixel and offset; the table makes that a load and a multiply-add.
 */
final class ExpTable {
  static final int STEPS_PER_UNIT = 256;
  private static final int SIZE = 32 * STEPS_PER_UNIT;
  private static final float[] TABLE = new float[SIZE + 2];

  static {
    for (int i = 0; i < TABLE.length; i++) {
      TABLE[i] = (float) Math.exp(-(double) i / STEPS_PER_UNIT);
    }
  }

  private ExpTable() {}

  /**
   * {@code exp(−t / STEPS_PER_UNIT)}: the argument is already in table steps; values ≤ 0 give 1.
   */
  static float negExp(double steps) {
    if (steps <= 0) {
      return 1f;
    }
    if (steps >= SIZE) {
      return 0f;
    }
    int i = (int) steps;
    float f = (float) (steps - i);
    return TABLE[i] + f * (TABLE[i + 1] - TABLE[i]);
  }
}
