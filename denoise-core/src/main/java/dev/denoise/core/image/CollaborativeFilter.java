package dev.denoise.core.image;

/**
 * BM3D collaborative filtering of groups and their aggregation into a band of rows.
 *
 * <p>A group is a stack of {@code n} blocks of one channel; it is transformed by the 2-D block
 * transform and the Haar transform along the stack, shrunk (hard thresholding in stage 1, empirical
 * Wiener filtering in stage 2), transformed back, and every block is added to the band's
 * numerator with weight {@code w · kaiser}, {@code w · kaiser} going to the band's denominator.
 * The group weight {@code w} is the inverse of the estimate's noise variance:
 * {@code 1 / (σ² · retained coefficients)} in stage 1, {@code 1 / (σ² · Σ wiener²)} in stage 2.
 *
 * <p>The band covers image rows {@code [bandTop, bandTop + bandRows)} at full width. Not
 * thread-safe; all buffers are allocated in the constructor, none per group.
 */
final class CollaborativeFilter {
  private final int width;
  private final int blockSize;
  private final int area;
  private final int bandTop;
  private final int bandRows;
  private final BlockTransform2d transform;
  private final float[] kaiser;
  private final float[] group;
  private final float[] oracle;
  private final float[] block;
  private final float[] scratch;
  private final float[][] numerator;
  private final float[][] denominator;

  CollaborativeFilter(Bm3dProfile profile, BlockTransform2d transform, float[] kaiser, int width,
      int bandTop, int bandRows, int channels) {
    this.width = width;
    this.blockSize = profile.blockSize;
    this.area = blockSize * blockSize;
    this.bandTop = bandTop;
    this.bandRows = bandRows;
    this.transform = transform;
    this.kaiser = kaiser;
    this.group = new float[area * profile.maxGroupSize];
    this.oracle = new float[area * profile.maxGroupSize];
    this.block = new float[area];
    this.scratch = new float[Math.max(area, profile.maxGroupSize)];
    this.numerator = new float[channels][bandRows * width];
    this.denominator = new float[channels][bandRows * width];
  }

  int bandTop() {
    return bandTop;
  }

  int bandRows() {
    return bandRows;
  }

  /** Weighted sum of block estimates of channel {@code c}, band rows, row-major. */
  float[] numerator(int c) {
    return numerator[c];
  }

  /** Sum of aggregation weights of channel {@code c}, band rows, row-major. */
  float[] denominator(int c) {
    return denominator[c];
  }

  /**
   * Stage 1: hard-thresholds the group of {@code plane} at {@code threshold} and aggregates it.
   *
   * @param positions block positions {@code y * width + x}, from {@code offset}, {@code n} of them
   * @param noiseVar σ² of the channel on the 0…1 scale, for the aggregation weight
   */
  void hardThreshold(int c, float[] plane, int[] positions, int offset, int n, float threshold,
      float noiseVar) {
    loadGroup(plane, positions, offset, n, group);
    int retained = 0;
    for (int i = 0; i < area; i++) {
      int base = i * n;
      GroupHaar.forward(group, base, n, scratch);
      for (int j = 0; j < n; j++) {
        if (Math.abs(group[base + j]) < threshold) {
          group[base + j] = 0;
        } else {
          retained++;
        }
      }
      GroupHaar.inverse(group, base, n, scratch);
    }
    float weight = retained > 0 ? 1f / (noiseVar * retained) : 1f;
    aggregate(c, positions, offset, n, weight);
  }

  /**
   * Stage 2: Wiener-filters the group of {@code noisyPlane}, with the same group of
   * {@code basicPlane} as the oracle spectrum, and aggregates it.
   */
  void wiener(int c, float[] noisyPlane, float[] basicPlane, int[] positions, int offset, int n,
      float noiseVar) {
    loadGroup(noisyPlane, positions, offset, n, group);
    loadGroup(basicPlane, positions, offset, n, oracle);
    float gainEnergy = 0;
    for (int i = 0; i < area; i++) {
      int base = i * n;
      GroupHaar.forward(group, base, n, scratch);
      GroupHaar.forward(oracle, base, n, scratch);
      for (int j = 0; j < n; j++) {
        float b = oracle[base + j];
        float b2 = b * b;
        float gain = b2 / (b2 + noiseVar);
        group[base + j] *= gain;
        gainEnergy += gain * gain;
      }
      GroupHaar.inverse(group, base, n, scratch);
    }
    float weight = gainEnergy > 0 ? 1f / (noiseVar * gainEnergy) : 1f;
    aggregate(c, positions, offset, n, weight);
  }

  /** 2-D transforms the blocks into {@code out}, laid out coefficient-major: {@code [i * n + j]}. */
  private void loadGroup(float[] plane, int[] positions, int offset, int n, float[] out) {
    for (int j = 0; j < n; j++) {
      transform.forward(plane, positions[offset + j], width, block);
      for (int i = 0; i < area; i++) {
        out[i * n + j] = block[i];
      }
    }
  }

  private void aggregate(int c, int[] positions, int offset, int n, float weight) {
    float[] num = numerator[c];
    float[] den = denominator[c];
    int k = blockSize;
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < area; i++) {
        scratch[i] = group[i * n + j];
      }
      transform.inverse(scratch, block);
      int pos = positions[offset + j];
      int y = pos / width;
      int x = pos - y * width;
      int row = y - bandTop;
      if (row < 0 || row + k > bandRows) {
        throw new IllegalStateException(String.format(
            "block at y=%d outside band [%d, %d)", y, bandTop, bandTop + bandRows));
      }
      for (int by = 0; by < k; by++) {
        int out = (row + by) * width + x;
        int in = by * k;
        for (int bx = 0; bx < k; bx++) {
          float w = weight * kaiser[in + bx];
          num[out + bx] += w * block[in + bx];
          den[out + bx] += w;
        }
      }
    }
  }
}
