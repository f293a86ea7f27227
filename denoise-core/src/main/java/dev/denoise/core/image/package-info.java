/**
 * Photo denoising on planar float images, pure Java (no java.awt, javax.imageio or Android
 * classes: platforms decode and encode pixels and hand over 8-bit arrays).
 *
 * <p>Flow of {@code denoise image} and of the app:
 * <ol>
 *   <li>8-bit pixels → {@link dev.denoise.core.image.PlanarImage} with
 *       {@link dev.denoise.core.image.PixelConversions} (exact round trip);
 *       {@link dev.denoise.core.image.ColorConversions} for luma/chroma work.</li>
 *   <li>Noise level, when not given: {@link dev.denoise.core.image.PcaNoiseLevelEstimator}
 *       behind {@link dev.denoise.core.image.NoiseLevelEstimator}, on a crop.</li>
 *   <li>Strength, when not given: a {@link dev.denoise.core.image.StrengthCalibrator}
 *       ({@link dev.denoise.core.image.MonteCarloSureCalibrator} or
 *       {@link dev.denoise.core.image.Noise2SelfCalibrator}) on a crop.</li>
 *   <li>Denoising: any {@link dev.denoise.core.image.ImageDenoiser}
 *       ({@link dev.denoise.core.image.NonLocalMeansDenoiser}, BM3D,
 *       {@link dev.denoise.core.image.WaveletShrinkageDenoiser}, the neural model) run
 *       through {@link dev.denoise.core.image.ImageTiler}, which reads a
 *       {@link dev.denoise.core.image.TileSource} and streams finished rows to a
 *       {@link dev.denoise.core.image.RowSink}, so memory stays at input + output + O(tile).</li>
 *   <li>Quality: {@link dev.denoise.core.image.ImageMetrics} (PSNR, SSIM with scikit-image
 *       parity).</li>
 * </ol>
 *
 * <p>Units: samples nominally in [0, 1] (8-bit code / 255); noise levels as {@code sigma255}.
 * Whole-benchmark evaluations live in {@code tools/image-core-eval} and {@code tools/image-eval};
 * unit tests use seeded subsets.
 */
package dev.denoise.core.image;
