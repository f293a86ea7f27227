package dev.denoise.core.image;

import dev.denoise.core.Progress;

/**
 * Wraps a denoiser whose own output has no strength knob (the neural model) so that
 * {@code strength} becomes a blend weight: {@code out = noisy + strength · (inner − noisy)},
 * with {@code inner} run at strength 1. A {@link StrengthCalibrator} can then choose the weight.
 *
 * <p>The inner result of the two most recent inputs (by identity) is kept, so a calibration
 * over a grid runs the inner denoiser once per distinct input rather than once per strength.
 * Callers must not mutate an input between calls. Not thread-safe.
 */
public final class BlendedDenoiser implements ImageDenoiser {
  private final ImageDenoiser inner;
  private final PlanarImage[] keys = new PlanarImage[2];
  private final PlanarImage[] values = new PlanarImage[2];
  private final double[] sigmas = new double[2];
  private final TileEdges[] edgesOf = new TileEdges[2];
  private int next;

  public BlendedDenoiser(ImageDenoiser inner) {
    this.inner = inner;
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public PlanarImage denoise(PlanarImage noisy, double sigma255, double strength,
      Progress progress) {
    return denoiseTile(noisy, TileEdges.WHOLE, sigma255, strength, progress);
  }

  /** Passes {@code edges} on to the inner denoiser (see {@link ImageDenoiser#denoiseTile}). */
  @Override
  public PlanarImage denoiseTile(PlanarImage noisy, TileEdges edges, double sigma255,
      double strength, Progress progress) {
    PlanarImage full = null;
    for (int k = 0; k < keys.length; k++) {
      if (keys[k] == noisy && sigmas[k] == sigma255 && edges.equals(edgesOf[k])) {
        full = values[k];
      }
    }
    if (full == null) {
      full = inner.denoiseTile(noisy, edges, sigma255, 1.0, progress);
      keys[next] = noisy;
      values[next] = full;
      sigmas[next] = sigma255;
      edgesOf[next] = edges;
      next = (next + 1) % keys.length;
    }
    PlanarImage out = new PlanarImage(noisy.width(), noisy.height(), noisy.channels());
    float w = (float) strength;
    for (int c = 0; c < noisy.channels(); c++) {
      float[] y = noisy.plane(c);
      float[] f = full.plane(c);
      float[] o = out.plane(c);
      for (int i = 0; i < y.length; i++) {
        o[i] = y[i] + w * (f[i] - y[i]);
      }
    }
    progress.update(1);
    return out;
  }
}
