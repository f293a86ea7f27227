package dev.denoise.core.audio.rnn;

import java.util.Arrays;

/**
 * A {@link GainModel} that replays recorded targets, normally the ideal gains of
 * {@link TrainingFrames} computed from the known clean signal: the ceiling of what any model
 * can reach through band gains. Frame {@code t} of the stream gets row {@code t}; an
 * {@link TrainingTargets#UNDEFINED} gain becomes 1 (both energies were negligible), and frames
 * past the last row get unity gains and VAD 0.
 */
public final class OracleGainModel implements GainModel {
  private final float[] targets;
  private final int frames;
  private int next;

  /** Replays {@code frames.targets()} (not copied). */
  public OracleGainModel(TrainingFrames frames) {
    this.targets = frames.targets();
    this.frames = frames.frames();
  }

  @Override
  public int featureVersion() {
    return FeatureExtractor.FEATURE_VERSION;
  }

  @Override
  public int featureCount() {
    return FeatureExtractor.FEATURE_COUNT;
  }

  @Override
  public int bandCount() {
    return FeatureExtractor.BANDS;
  }

  @Override
  public float infer(float[] features, float[] gains) {
    if (next >= frames) {
      Arrays.fill(gains, 0, FeatureExtractor.BANDS, 1f);
      return 0f;
    }
    int row = next++ * TrainingTargets.COUNT;
    for (int b = 0; b < FeatureExtractor.BANDS; b++) {
      float g = targets[row + b];
      gains[b] = g == TrainingTargets.UNDEFINED ? 1f : g;
    }
    return targets[row + TrainingTargets.VAD];
  }

  @Override
  public void reset() {
    next = 0;
  }

  @Override
  public void close() {}
}
