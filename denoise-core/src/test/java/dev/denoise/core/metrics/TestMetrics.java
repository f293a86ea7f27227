package dev.denoise.core.metrics;

/** Temporary test-side SI-SDR until the metrics package lands. */
public final class TestMetrics {
  private TestMetrics() {}

  public static double siSdr(float[] ref, float[] est) {
    double mr = 0;
    double me = 0;
    for (int i = 0; i < ref.length; i++) {
      mr += ref[i];
      me += est[i];
    }
    mr /= ref.length;
    me /= ref.length;
    double dot = 0;
    double rr = 0;
    for (int i = 0; i < ref.length; i++) {
      dot += (ref[i] - mr) * (est[i] - me);
      rr += (ref[i] - mr) * (ref[i] - mr);
    }
    double a = dot / rr;
    double t = 0;
    double e = 0;
    for (int i = 0; i < ref.length; i++) {
      double s = a * (ref[i] - mr);
      double d = (est[i] - me) - s;
      t += s * s;
      e += d * d;
    }
    return 10 * Math.log10(t / e);
  }
}
