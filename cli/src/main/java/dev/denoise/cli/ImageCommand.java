package dev.denoise.cli;

import dev.denoise.cli.ImageFiles.ImageFileException;
import dev.denoise.cli.ImageFiles.Loaded;
import dev.denoise.core.image.BlendedDenoiser;
import dev.denoise.core.image.ImageDenoiser;
import dev.denoise.core.image.ImageTiler;
import dev.denoise.core.image.MonteCarloSureCalibrator;
import dev.denoise.core.image.Noise2SelfCalibrator;
import dev.denoise.core.image.PcaNoiseLevelEstimator;
import dev.denoise.core.image.PlanarImage;
import dev.denoise.core.image.StrengthCalibrator;
import dev.denoise.core.image.TileSource;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code denoise image IN OUT}: denoises an 8-bit PNG or JPEG photo.
 *
 * <p>Exit codes: 0 done; 1 the input cannot be used or the output cannot be written; 2 a usage
 * problem (bad option value, method not available in this build). The input is never
 * modified; the output is written to a temporary file beside it and renamed into place.
 */
@Command(name = "image", mixinStandardHelpOptions = true,
    description = "Denoise a photo (8-bit PNG or JPEG; gray, RGB, alpha kept).")
public final class ImageCommand implements Callable<Integer> {
  /** Fraction of the samples of {@code image} at exactly 0 or 1. */
  static double clippedFraction(PlanarImage image) {
    long clipped = 0;
    long total = 0;
    for (int c = 0; c < image.channels(); c++) {
      for (float v : image.plane(c)) {
        clipped += v == 0f || v == 1f ? 1 : 0;
      }
      total += image.plane(c).length;
    }
    return clipped / (double) total;
  }

  /** Side of the centre crop used for automatic noise estimation. */
  static final int ESTIMATION_CROP = 1024;
  /** Side of the centre crop used for strength calibration. */
  static final int CALIBRATION_CROP = 256;

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "IN", description = "noisy input image")
  Path input;

  @Parameters(index = "1", paramLabel = "OUT", description = "output image (.png, .jpg, .jpeg)")
  Path output;

  @Option(names = "--method", defaultValue = "nlm",
      description = "nlm, bm3d, wavelet or neural (default: ${DEFAULT-VALUE})")
  String method;

  @Option(names = "--model", paramLabel = "M.tflite",
      description = "photo model for --method neural, with its manifest.json beside it"
          + " (default: the bundled float32 model)")
  Path model;

  @Option(names = "--sigma", defaultValue = "auto",
      description = "noise level on the 0-255 scale, or auto (default: ${DEFAULT-VALUE})")
  String sigma;

  @Option(names = "--strength", defaultValue = "1.0",
      description = "strength multiplier, or auto (see --calibration; default: ${DEFAULT-VALUE})")
  String strength;

  @Option(names = "--calibration", defaultValue = "sure",
      description = "how --strength auto chooses: sure (Monte-Carlo SURE, needs Gaussian noise"
          + " of the given sigma) or n2s (Noise2Self; default: ${DEFAULT-VALUE})")
  String calibration;

  @Option(names = "--force", description = "replace OUT if it exists")
  boolean force;

  @Option(names = "--max-megapixels", defaultValue = "100",
      description = "refuse larger inputs (default: ${DEFAULT-VALUE})")
  double maxMegapixels;

  @Option(names = "--tile", description = "tile side in pixels (default: 256; for neural the side that costs the model least)")
  Integer tile;

  @Option(names = "--jpeg-quality", defaultValue = "0.95", description = "JPEG output quality")
  float jpegQuality;

  @Option(names = {"-q", "--quiet"}, description = "no progress bar")
  boolean quiet;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    ProgressBar bar = new ProgressBar(err, !quiet);
    try {
      return run(out, bar);
    } catch (UsageException e) {
      bar.finish();
      err.println("denoise image: " + e.getMessage());
      return 2;
    } catch (ImageFileException e) {
      bar.finish();
      err.println("denoise image: " + e.getMessage());
      return 1;
    } catch (OutOfMemoryError e) {
      bar.finish();
      err.println("denoise image: out of memory (give Java more with -Xmx, or use a smaller "
          + "--tile)");
      return 1;
    }
  }

  private int run(PrintWriter out, ProgressBar bar) throws UsageException, ImageFileException {
    if (tile != null && tile < 16) {
      throw new UsageException("--tile must be at least 16, got " + tile);
    }
    ImageDenoiser denoiser;
    try {
      denoiser = ImageMethods.lookup(method, model);
    } catch (ImageMethods.UnavailableException e) {
      throw new UsageException(e.getMessage());
    }
    try {
      return run(out, bar, denoiser);
    } finally {
      if (denoiser instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          throw new IllegalStateException("closing " + denoiser.name() + ": " + e.getMessage(), e);
        }
      }
    }
  }

  private int run(PrintWriter out, ProgressBar bar, ImageDenoiser denoiser)
      throws UsageException, ImageFileException {
    String format = ImageFiles.formatFor(output);
    if (format == null) {
      throw new UsageException("OUT must end in .png, .jpg or .jpeg: " + output);
    }
    Double fixedSigma = parseAuto("--sigma", sigma, 0, 255);
    Double fixedStrength = parseAuto("--strength", strength, 1e-3, 100);
    StrengthCalibrator calibrator;
    switch (calibration) {
      case "sure" -> calibrator = new MonteCarloSureCalibrator();
      case "n2s" -> calibrator = new Noise2SelfCalibrator();
      default -> throw new UsageException(
          "--calibration must be sure or n2s, got '" + calibration + "'");
    }
    checkOutputPath();
    long start = System.nanoTime();
    Loaded in = ImageFiles.read(input, maxMegapixels);
    if (in.alpha() && format.equals("jpeg")) {
      throw new UsageException(input + " has an alpha channel, which JPEG cannot store; "
          + "write a .png instead");
    }
    TileSource source = in.source();
    int tileSide = tile != null ? tile
        : ImageMethods.defaultTile(denoiser, source.width(), source.height());
    double sigma255;
    String sigmaNote;
    if (fixedSigma != null) {
      sigma255 = fixedSigma;
      sigmaNote = "";
    } else {
      bar.stage("estimating");
      PlanarImage crop = centreCrop(source, ESTIMATION_CROP);
      if (crop.width() < PcaNoiseLevelEstimator.MIN_SIDE
          || crop.height() < PcaNoiseLevelEstimator.MIN_SIDE) {
        throw new UsageException("image too small to estimate noise; give --sigma");
      }
      sigma255 = new PcaNoiseLevelEstimator().estimateMeanSigma255(crop);
      if (Double.isNaN(sigma255)) {
        throw new UsageException(String.format(
            "cannot estimate the noise level of %s: %.0f%% of the samples in its centre are"
                + " clipped at black or white; give --sigma", input, 100 * clippedFraction(crop)));
      }
      bar.update(1);
      sigmaNote = " (estimated)";
    }
    double s;
    String strengthNote;
    if (fixedStrength != null) {
      s = fixedStrength;
      strengthNote = "";
    } else {
      bar.stage("calibrating");
      PlanarImage crop = centreCrop(source, CALIBRATION_CROP);
      // A blend over one cached run per input for methods without a strength knob of their own.
      ImageDenoiser calibrated = ImageMethods.blendsStrength(denoiser)
          ? new BlendedDenoiser(denoiser) : denoiser;
      s = calibrator.calibrate(calibrated, crop, sigma255, StrengthCalibrator.DEFAULT_STRENGTHS,
          bar).bestStrength();
      strengthNote = calibrator instanceof Noise2SelfCalibrator ? " (Noise2Self)" : " (SURE)";
    }
    bar.stage("denoising");
    BufferedImage result = in.blankOutput();
    int halo = ImageMethods.halo(denoiser, sigma255, in.channels());
    new ImageTiler(tileSide, Math.min(ImageMethods.TILE_OVERLAP, tileSide / 2), halo,
        ImageMethods.alignment(denoiser))
        .process(source, denoiser, sigma255, s, in.sinkInto(result), bar);
    bar.stage("writing");
    checkOutputPath();
    ImageFiles.writeAtomically(result, format, output, jpegQuality, force);
    bar.update(1);
    bar.finish();
    out.printf(Locale.ROOT, "%s: %s sigma=%.2f%s strength=%.2f%s, %dx%d, %.1f s -> %s%n",
        input.getFileName(), denoiser.name(), sigma255, sigmaNote, s, strengthNote,
        in.width(), in.height(), (System.nanoTime() - start) / 1e9, output);
    out.flush();
    return 0;
  }

  private void checkOutputPath() throws ImageFileException {
    if (Files.exists(output)) {
      try {
        if (Files.exists(input) && Files.isSameFile(input, output)) {
          throw new ImageFileException("refusing to overwrite the input " + input
              + "; choose another OUT");
        }
      } catch (IOException e) {
        throw new ImageFileException("cannot check " + output + ": " + e.getMessage());
      }
      if (!force) {
        throw new ImageFileException(output + " exists; use --force to replace it");
      }
    }
    Path dir = output.toAbsolutePath().getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new ImageFileException("cannot write " + output + ": no such directory " + dir);
    }
  }

  private static PlanarImage centreCrop(TileSource source, int side) {
    int w = Math.min(side, source.width());
    int h = Math.min(side, source.height());
    return source.read((source.width() - w) / 2, (source.height() - h) / 2, w, h);
  }

  /** null for "auto", otherwise the number within [min, max]. */
  static Double parseAuto(String option, String value, double min, double max)
      throws UsageException {
    if (value.equalsIgnoreCase("auto")) {
      return null;
    }
    double v;
    try {
      v = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new UsageException(option + " must be auto or a number, got '" + value + "'");
    }
    if (!(v >= min && v <= max)) {
      throw new UsageException(String.format(Locale.ROOT, "%s must be within %s..%s, got %s",
          option, fmt(min), fmt(max), value));
    }
    return v;
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }

  /** A usage problem: exit code 2. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }
}
