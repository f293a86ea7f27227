package dev.denoise.core.image;

import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * BM3D block matching for one horizontal stripe of reference blocks.
 *
 * <p>For every reference block (top-left corner {@code (refXs[c], refYs[r])}) it finds the
 * blocks in the search window whose sum of squared differences to it is below a threshold, keeps
 * the closest {@code maxGroupSize − 1} of them, and forms a group: the reference first, then the
 * matches by increasing distance (ties by position), cut to a power-of-two size for the Haar
 * transform along the group.
 *
 * <p>Distances are computed offset by offset over the whole stripe, not block by block: for
 * each displacement the squared-difference image of the stripe is summed over columns, then over
 * rows, which costs a few operations per pixel per displacement instead of N1² per candidate.
 * Every sum runs over exactly one block's samples, so there is no drift.
 *
 * <p>Not thread-safe; one instance per stripe task. Buffers are allocated in the constructor.
 */
final class BlockMatcher {
  private final int width;
  private final int height;
  private final int blockSize;
  private final int searchHalf;
  private final int maxGroupSize;
  private final int maxOthers;
  private final float maxSsd;

  private final int[] refXs;
  private final int[] refYs;
  private final int rowStart;
  private final int rowEnd;
  private final int bandTop;
  private final int bandRows;

  private final float[] diff;
  private final float[] columnSums;
  private final float[] heapDist;
  private final int[] heapPos;
  private final int[] heapCount;
  private final int[] groups;
  private final int[] groupSizes;
  /** Thresholded 2-D coefficients of candidate blocks, for {@link #matchPrefiltered}; lazy. */
  private float[] coefficientCache;
  private float[] coefficients;

  /**
   * @param refXs reference block columns (all of the image's)
   * @param refYs reference block rows; this stripe handles indices {@code [rowStart, rowEnd)}
   * @param maxSsd largest accepted sum of squared differences over one block
   */
  BlockMatcher(int width, int height, Bm3dProfile profile, int[] refXs, int[] refYs,
      int rowStart, int rowEnd, float maxSsd) {
    this.width = width;
    this.height = height;
    this.blockSize = profile.blockSize;
    this.searchHalf = profile.searchWindow / 2;
    this.maxGroupSize = profile.maxGroupSize;
    this.maxOthers = profile.maxGroupSize - 1;
    this.maxSsd = maxSsd;
    this.refXs = refXs;
    this.refYs = refYs;
    this.rowStart = rowStart;
    this.rowEnd = rowEnd;
    this.bandTop = refYs[rowStart];
    this.bandRows = refYs[rowEnd - 1] + blockSize - bandTop;
    int refs = (rowEnd - rowStart) * refXs.length;
    this.diff = new float[bandRows * width];
    this.columnSums = new float[width];
    this.heapDist = new float[refs * Math.max(1, maxOthers)];
    this.heapPos = new int[refs * Math.max(1, maxOthers)];
    this.heapCount = new int[refs];
    this.groups = new int[refs * maxGroupSize];
    this.groupSizes = new int[refs];
  }

  /** Number of reference blocks in this stripe; reference {@code i} is row-major in it. */
  int refCount() {
    return groupSizes.length;
  }

  /** Group size of reference {@code ref} (a power of two, at least 1). */
  int groupSize(int ref) {
    return groupSizes[ref];
  }

  /**
   * Positions {@code y * width + x} of the group of {@code ref} start at
   * {@code groups()[ref * maxGroupSize]}; the first is the reference block itself.
   */
  int[] groups() {
    return groups;
  }

  int groupStride() {
    return maxGroupSize;
  }

  /**
   * Matches every reference of the stripe in {@code plane}.
   *
   * @throws CancellationException when {@code cancelled} turns true
   */
  void match(float[] plane, BooleanSupplier cancelled) {
    java.util.Arrays.fill(heapCount, 0);
    int k = blockSize;
    int cols = refXs.length;
    if (maxOthers > 0) {
      for (int dy = -searchHalf; dy <= searchHalf; dy++) {
        if (cancelled.getAsBoolean()) {
          throw new CancellationException("BM3D block matching cancelled");
        }
        for (int dx = -searchHalf; dx <= searchHalf; dx++) {
          if (dx == 0 && dy == 0) {
            continue;
          }
          int xLo = Math.max(0, -dx);
          int xHi = Math.min(width, width - dx);
          fillDiff(plane, dx, dy, xLo, xHi);
          for (int r = rowStart; r < rowEnd; r++) {
            int ry = refYs[r];
            int cy = ry + dy;
            if (cy < 0 || cy > height - k) {
              continue;
            }
            sumColumns(ry - bandTop, xLo, xHi);
            int refRowBase = (r - rowStart) * cols;
            int candidateRow = cy * width;
            for (int c = 0; c < cols; c++) {
              int rx = refXs[c];
              int cx = rx + dx;
              if (cx < 0 || cx > width - k) {
                continue;
              }
              float d = 0;
              for (int i = 0; i < k; i++) {
                d += columnSums[rx + i];
              }
              if (d < maxSsd) {
                offer(refRowBase + c, d, candidateRow + cx);
              }
            }
          }
        }
      }
    }
    buildGroups();
  }

  /** Reference columns handled per pass of {@link #matchPrefiltered}; bounds its cache. */
  private static final int PREFILTER_CHUNK_COLUMNS = 16;

  /**
   * Like {@link #match}, but compares blocks after hard-thresholding their 2-D transform
   * coefficients at {@code threshold} (the paper's λ2D·σ prefilter for high noise). Candidates'
   * coefficients are computed once per chunk of reference columns; distances stop accumulating
   * as soon as they exceed what could still enter the group.
   */
  void matchPrefiltered(float[] plane, BlockTransform2d transform, float threshold,
      BooleanSupplier cancelled) {
    java.util.Arrays.fill(heapCount, 0);
    int k = blockSize;
    int area = k * k;
    int cols = refXs.length;
    int yLo = Math.max(0, refYs[rowStart] - searchHalf);
    int yHi = Math.min(height - k, refYs[rowEnd - 1] + searchHalf);
    int cacheRows = yHi - yLo + 1;
    int cacheColsMax = (PREFILTER_CHUNK_COLUMNS - 1) * maxStep() + 2 * searchHalf + 1;
    int needed = cacheRows * Math.min(width - k + 1, cacheColsMax) * area;
    if (coefficientCache == null || coefficientCache.length < needed) {
      coefficientCache = new float[needed];
    }
    float[] cache = coefficientCache;
    if (coefficients == null || coefficients.length < area) {
      coefficients = new float[area];
    }
    for (int c0 = 0; c0 < cols && maxOthers > 0; c0 += PREFILTER_CHUNK_COLUMNS) {
      if (cancelled.getAsBoolean()) {
        throw new CancellationException("BM3D block matching cancelled");
      }
      int c1 = Math.min(cols, c0 + PREFILTER_CHUNK_COLUMNS);
      int xLo = Math.max(0, refXs[c0] - searchHalf);
      int xHi = Math.min(width - k, refXs[c1 - 1] + searchHalf);
      int cacheCols = xHi - xLo + 1;
      for (int y = yLo; y <= yHi; y++) {
        for (int x = xLo; x <= xHi; x++) {
          int at = ((y - yLo) * cacheCols + (x - xLo)) * area;
          transform.forward(plane, y * width + x, width, coefficients);
          System.arraycopy(coefficients, 0, cache, at, area);
          for (int i = at; i < at + area; i++) {
            if (Math.abs(cache[i]) < threshold) {
              cache[i] = 0;
            }
          }
        }
      }
      for (int r = rowStart; r < rowEnd; r++) {
        int ry = refYs[r];
        for (int c = c0; c < c1; c++) {
          int rx = refXs[c];
          int ref = (r - rowStart) * cols + c;
          int refAt = ((ry - yLo) * cacheCols + (rx - xLo)) * area;
          int cyLo = Math.max(0, ry - searchHalf);
          int cyHi = Math.min(height - k, ry + searchHalf);
          int cxLo = Math.max(0, rx - searchHalf);
          int cxHi = Math.min(width - k, rx + searchHalf);
          for (int cy = cyLo; cy <= cyHi; cy++) {
            for (int cx = cxLo; cx <= cxHi; cx++) {
              if (cx == rx && cy == ry) {
                continue;
              }
              float limit = heapCount[ref] == maxOthers
                  ? Math.min(maxSsd, heapDist[ref * maxOthers]) : maxSsd;
              int candAt = ((cy - yLo) * cacheCols + (cx - xLo)) * area;
              float d = 0;
              for (int i = 0; i < area && d <= limit; i++) {
                float e = cache[refAt + i] - cache[candAt + i];
                d += e * e;
              }
              if (d < maxSsd) {
                offer(ref, d, cy * width + cx);
              }
            }
          }
        }
      }
    }
    buildGroups();
  }

  /** Largest gap between consecutive reference columns. */
  private int maxStep() {
    int step = 1;
    for (int c = 1; c < refXs.length; c++) {
      step = Math.max(step, refXs[c] - refXs[c - 1]);
    }
    return step;
  }

  /** Squared differences between the band and the band displaced by (dx, dy), where defined. */
  private void fillDiff(float[] plane, int dx, int dy, int xLo, int xHi) {
    for (int row = 0; row < bandRows; row++) {
      int y = bandTop + row;
      int yy = y + dy;
      int out = row * width;
      if (yy < 0 || yy >= height) {
        continue;
      }
      int a = y * width;
      int b = yy * width + dx;
      for (int x = xLo; x < xHi; x++) {
        float e = plane[a + x] - plane[b + x];
        diff[out + x] = e * e;
      }
    }
  }

  /** {@code columnSums[x]} = sum of {@code diff} over the block rows starting at band row. */
  private void sumColumns(int bandRow, int xLo, int xHi) {
    int k = blockSize;
    int base = bandRow * width;
    for (int x = xLo; x < xHi; x++) {
      columnSums[x] = diff[base + x];
    }
    for (int j = 1; j < k; j++) {
      int row = base + j * width;
      for (int x = xLo; x < xHi; x++) {
        columnSums[x] += diff[row + x];
      }
    }
  }

  /** Keeps the {@code maxOthers} closest candidates per reference in a bounded max-heap. */
  private void offer(int ref, float d, int pos) {
    int base = ref * maxOthers;
    int count = heapCount[ref];
    if (count < maxOthers) {
      int i = count;
      heapCount[ref] = count + 1;
      while (i > 0) {
        int parent = (i - 1) >> 1;
        if (!worse(d, pos, heapDist[base + parent], heapPos[base + parent])) {
          break;
        }
        heapDist[base + i] = heapDist[base + parent];
        heapPos[base + i] = heapPos[base + parent];
        i = parent;
      }
      heapDist[base + i] = d;
      heapPos[base + i] = pos;
      return;
    }
    if (!worse(heapDist[base], heapPos[base], d, pos)) {
      return;
    }
    int i = 0;
    while (true) {
      int child = 2 * i + 1;
      if (child >= count) {
        break;
      }
      if (child + 1 < count && worse(heapDist[base + child + 1], heapPos[base + child + 1],
          heapDist[base + child], heapPos[base + child])) {
        child++;
      }
      if (!worse(heapDist[base + child], heapPos[base + child], d, pos)) {
        break;
      }
      heapDist[base + i] = heapDist[base + child];
      heapPos[base + i] = heapPos[base + child];
      i = child;
    }
    heapDist[base + i] = d;
    heapPos[base + i] = pos;
  }

  /** Total order on candidates: by distance, then by position, so results are deterministic. */
  private static boolean worse(float d1, int p1, float d2, int p2) {
    return d1 > d2 || (d1 == d2 && p1 > p2);
  }

  private void buildGroups() {
    int cols = refXs.length;
    for (int ref = 0; ref < groupSizes.length; ref++) {
      int r = rowStart + ref / cols;
      int c = ref % cols;
      int g = ref * maxGroupSize;
      groups[g] = refYs[r] * width + refXs[c];
      int count = heapCount[ref];
      int base = ref * Math.max(1, maxOthers);
      // Insertion sort of at most maxOthers entries, closest first.
      for (int i = 1; i < count; i++) {
        float d = heapDist[base + i];
        int p = heapPos[base + i];
        int j = i - 1;
        while (j >= 0 && worse(heapDist[base + j], heapPos[base + j], d, p)) {
          heapDist[base + j + 1] = heapDist[base + j];
          heapPos[base + j + 1] = heapPos[base + j];
          j--;
        }
        heapDist[base + j + 1] = d;
        heapPos[base + j + 1] = p;
      }
      int size = Integer.highestOneBit(count + 1);
      for (int i = 1; i < size; i++) {
        groups[g + i] = heapPos[base + i - 1];
      }
      groupSizes[ref] = size;
    }
  }
}
