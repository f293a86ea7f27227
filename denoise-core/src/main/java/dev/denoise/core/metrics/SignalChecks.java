package dev.denoise.core.metrics;

/** Boundary checks shared by the metrics. */
final class SignalChecks {
  private SignalChecks() {}

  static void sameLength(String first, float[] a, String second, float[] b) {
    if (a == null || b == null) {
      throw new IllegalArgumentException(
          (a == null ? first : second) + " is null");
    }
    if (a.length != b.length) {
      throw new IllegalArgumentException(String.format(
          "length mismatch: %s=%d samples, %s=%d samples", first, a.length, second, b.length));
    }
  }
}
