package dev.denoise.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoise.core.dsp.KaiserSinc;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Transforms, window and block matching that BM3D is built from. */
class Bm3dBuildingBlocksTest {

  @ParameterizedTest(name = "size={0}")
  @ValueSource(ints = {4, 8, 11, 12, 16})
  void dctReconstructsAndPreservesEnergy(int size) {
    BlockTransform2d t = BlockTransform2d.dct(size);
    float[] block = randomBlock(size, 1);
    float[] coeffs = new float[size * size];
    float[] back = new float[size * size];
    t.forward(block, 0, size, coeffs);
    t.inverse(coeffs, back);
    assertArrayEquals(block, back, 1e-5f);
    assertEquals(energy(block), energy(coeffs), 1e-4 * energy(block));
  }

  @ParameterizedTest(name = "size={0}")
  @ValueSource(ints = {2, 4, 8, 16})
  void bior15ReconstructsAndHasUnitNormAnalysisRows(int size) {
    BlockTransform2d t = BlockTransform2d.bior15(size);
    float[] block = randomBlock(size, 2);
    float[] coeffs = new float[size * size];
    float[] back = new float[size * size];
    t.forward(block, 0, size, coeffs);
    t.inverse(coeffs, back);
    assertArrayEquals(block, back, 1e-5f);

    // Coefficient (i, j) of an impulse at (y, x) is F[i][y]·F[j][x]; summing squares over all
    // impulses gives |F_i|²·|F_j|², which must be 1 for every coefficient.
    double[] norms = new double[size * size];
    float[] impulse = new float[size * size];
    for (int p = 0; p < size * size; p++) {
      java.util.Arrays.fill(impulse, 0);
      impulse[p] = 1;
      t.forward(impulse, 0, size, coeffs);
      for (int i = 0; i < coeffs.length; i++) {
        norms[i] += coeffs[i] * coeffs[i];
      }
    }
    for (int i = 0; i < norms.length; i++) {
      assertEquals(1.0, norms[i], 1e-5, "coefficient " + i);
    }
  }

  @Test
  void bior15PutsAConstantBlockIntoTheDcCoefficient() {
    BlockTransform2d t = BlockTransform2d.bior15(8);
    float[] flat = new float[64];
    java.util.Arrays.fill(flat, 0.5f);
    float[] coeffs = new float[64];
    t.forward(flat, 0, 8, coeffs);
    assertEquals(0.5 * 8, coeffs[0], 1e-5);
    for (int i = 1; i < 64; i++) {
      assertEquals(0, coeffs[i], 1e-5, "coefficient " + i);
    }
  }

  @ParameterizedTest(name = "n={0}")
  @ValueSource(ints = {1, 2, 4, 8, 16, 32})
  void haarAlongGroupIsOrthonormal(int n) {
    float[] data = randomBlock(1, 3);
    data = new float[n + 3];
    Random rnd = new Random(n);
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) rnd.nextGaussian();
    }
    float[] original = data.clone();
    float[] scratch = new float[n];
    GroupHaar.forward(data, 3, n, scratch);
    double before = 0;
    double after = 0;
    for (int i = 0; i < n; i++) {
      before += original[3 + i] * original[3 + i];
      after += data[3 + i] * data[3 + i];
    }
    assertEquals(before, after, 1e-4 * Math.max(1, before));
    GroupHaar.inverse(data, 3, n, scratch);
    assertArrayEquals(original, data, 1e-5f);
  }

  @Test
  void kaiserWindowIsSymmetricPositiveAndPeaksInTheMiddle() {
    float[] w = KaiserWindow.square(8, 2.0);
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        assertTrue(w[y * 8 + x] > 0 && w[y * 8 + x] <= 1);
        assertEquals(w[y * 8 + x], w[(7 - y) * 8 + (7 - x)], 1e-7f);
        assertEquals(w[y * 8 + x], w[x * 8 + y], 1e-7f);
      }
    }
    assertTrue(w[3 * 8 + 3] > w[0]);
    assertEquals(1.0, KaiserSinc.besselI0(0), 0);
    assertEquals(2.2795853023360673, KaiserSinc.besselI0(2.0), 1e-12);
  }

  @Test
  void referencePositionsCoverTheLastBlock() {
    assertArrayEquals(new int[] {0, 3, 6, 9, 12}, Bm3dDenoiser.referencePositions(20, 8, 3));
    assertArrayEquals(new int[] {0, 3, 6, 9, 12, 13}, Bm3dDenoiser.referencePositions(21, 8, 3));
    assertArrayEquals(new int[] {0}, Bm3dDenoiser.referencePositions(8, 8, 3));
  }

  @Test
  void matcherFindsAPlantedCopyFirstAndReturnsPowerOfTwoGroups() {
    int w = 60;
    int h = 50;
    float[] plane = new float[w * h];
    Random rnd = new Random(5);
    for (int i = 0; i < plane.length; i++) {
      plane[i] = (float) rnd.nextDouble();
    }
    // Copy the 8x8 block at (12, 9) to (25, 20): distance 0 from the reference at (12, 9).
    for (int y = 0; y < 8; y++) {
      System.arraycopy(plane, (9 + y) * w + 12, plane, (20 + y) * w + 25, 8);
    }
    Bm3dProfile profile = Bm3dProfile.hardThreshold(25);
    int[] refXs = {12};
    int[] refYs = {9};
    BlockMatcher matcher = new BlockMatcher(w, h, profile, refXs, refYs, 0, 1, 1e-3f);
    matcher.match(plane, () -> false);
    assertEquals(2, matcher.groupSize(0), "only the copy is that close");
    assertEquals(9 * w + 12, matcher.groups()[0]);
    assertEquals(20 * w + 25, matcher.groups()[1]);

    // With every candidate accepted, groups are full and the reference still comes first.
    BlockMatcher all = new BlockMatcher(w, h, profile, refXs, refYs, 0, 1, Float.MAX_VALUE);
    all.match(plane, () -> false);
    assertEquals(profile.maxGroupSize, all.groupSize(0));
    assertEquals(9 * w + 12, all.groups()[0]);
    assertEquals(20 * w + 25, all.groups()[1]);
  }

  @Test
  void prefilteredMatcherGroupsAnEdgeWithItsNoisyTwin() {
    // Flat background with strong noise (σ = 0.2) and two instances of the same 12x12 edge
    // pattern with independent noise: after thresholding the 2-D coefficients at 2σ the twin is
    // close to the reference, while flat background blocks are not.
    int w = 64;
    int h = 56;
    float sigma = 0.2f;
    float[] plane = new float[w * h];
    Random rnd = new Random(9);
    for (int i = 0; i < plane.length; i++) {
      plane[i] = (float) (0.5 + sigma * rnd.nextGaussian());
    }
    int[][] corners = {{10, 8}, {25, 22}};
    for (int[] p : corners) {
      for (int y = 0; y < 12; y++) {
        for (int x = 0; x < 6; x++) {
          plane[(p[1] + y) * w + p[0] + x] += 1.5f;
        }
      }
    }
    Bm3dProfile profile = Bm3dProfile.hardThreshold(51);
    BlockMatcher matcher = new BlockMatcher(w, h, profile, new int[] {10}, new int[] {8}, 0, 1,
        profile.maxBlockSsd01());
    matcher.matchPrefiltered(plane, BlockTransform2d.dct(12), 2 * sigma, () -> false);
    int n = matcher.groupSize(0);
    int[] group = java.util.Arrays.copyOf(matcher.groups(), n);
    assertEquals(8 * w + 10, group[0]);
    assertTrue(java.util.Arrays.stream(group).anyMatch(p -> p == 22 * w + 25),
        "twin at (25, 22) missing from group " + java.util.Arrays.toString(group));
    for (int p : group) {
      int x = p % w;
      assertTrue(Math.abs(x - 10) <= 3 || Math.abs(x - 25) <= 3,
          "block at x=" + x + " has no edge in it; group " + java.util.Arrays.toString(group));
    }
  }

  private static float[] randomBlock(int size, long seed) {
    Random rnd = new Random(seed);
    float[] b = new float[size * size];
    for (int i = 0; i < b.length; i++) {
      b[i] = (float) rnd.nextGaussian();
    }
    return b;
  }

  private static double energy(float[] v) {
    double s = 0;
    for (float x : v) {
      s += x * x;
    }
    return s;
  }
}
