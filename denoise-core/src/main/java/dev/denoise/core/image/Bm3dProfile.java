package dev.denoise.core.image;

/**
 * Parameters of one BM3D stage: the "normal profile" of Dabov et al., "Image denoising by sparse
 * 3-D transform-domain collaborative filtering" (IEEE TIP 2007), Table 1, with its larger blocks
 * for the hard-thresholding stage at σ &gt; 40. Distances are the paper's: squared block
 * difference divided by the number of block samples, on the 0…255 scale.
 *
 * <p>At σ &gt; 40 the paper also raises λ3D to 2.8 and uses 11×11 Wiener blocks; the reference
 * {@code bm3d} package (PyPI 4.x, default profile) keeps λ3D = 2.7 and 8×8 Wiener blocks at
 * every σ. Measured on BSD68 σ = 50 (tools/bm3d_compare.sh, 8 images): stage 1 with the large
 * blocks but λ3D = 2.7, and stage 2 with the normal 8×8 settings, is the best of the mixes tried
 * (see tools/results/bm3d_sigma50_profiles.txt); the reference's profile throughout was worse.
 */
final class Bm3dProfile {
  /** Noise level (0…255 scale) above which the paper switches to the high-noise settings. */
  static final double HIGH_NOISE_SIGMA255 = 40;

  enum Transform2d { BIOR15, DCT }

  /** Block side N1, samples. */
  final int blockSize;
  /** Largest group N2; groups are cut to the largest power of two not above the match count. */
  final int maxGroupSize;
  /** Distance between reference blocks, samples (both directions). */
  final int step;
  /** Search window side NS, samples (odd; the reference block is at its centre). */
  final int searchWindow;
  /** Largest accepted block distance τ_match, (0…255)² units per sample. */
  final double tauMatch255;
  /**
   * Hard threshold λ2D, in units of σ, applied to the 2-D coefficients of both blocks before
   * their distance is taken; 0 compares the noisy blocks directly (stage 1 only).
   */
  final double lambda2d;
  /** Hard threshold λ3D in units of σ (stage 1 only). */
  final double lambda3d;
  final Transform2d transform;
  /** Shape β of the Kaiser aggregation window. */
  final double kaiserBeta;

  private Bm3dProfile(int blockSize, int maxGroupSize, int step, int searchWindow,
      double tauMatch255, double lambda2d, double lambda3d, Transform2d transform,
      double kaiserBeta) {
    this.blockSize = blockSize;
    this.maxGroupSize = maxGroupSize;
    this.step = step;
    this.searchWindow = searchWindow;
    this.tauMatch255 = tauMatch255;
    this.lambda2d = lambda2d;
    this.lambda3d = lambda3d;
    this.transform = transform;
    this.kaiserBeta = kaiserBeta;
  }

  /** Stage 1 (hard thresholding) settings for noise level {@code sigma255}. */
  static Bm3dProfile hardThreshold(double sigma255) {
    if (sigma255 > HIGH_NOISE_SIGMA255) {
      return new Bm3dProfile(12, 16, 4, 39, 5000, 2.0, 2.7, Transform2d.DCT, 2.0);
    }
    return new Bm3dProfile(8, 16, 3, 39, 3000, 0, 2.7, Transform2d.BIOR15, 2.0);
  }

  /** Stage 2 (Wiener) settings: the normal profile at every noise level (see above). */
  static Bm3dProfile wiener(double sigma255) {
    return new Bm3dProfile(8, 32, 3, 39, 400, 0, 0, Transform2d.DCT, 2.0);
  }

  BlockTransform2d newTransform() {
    return transform == Transform2d.BIOR15
        ? BlockTransform2d.bior15(blockSize)
        : BlockTransform2d.dct(blockSize);
  }

  /** τ_match converted to a sum of squared differences over one block on the 0…1 scale. */
  float maxBlockSsd01() {
    return (float) (tauMatch255 * blockSize * blockSize / (255.0 * 255.0));
  }
}
