package dev.denoise.cli;

import dev.denoise.cli.ImageFiles.ImageFileException;
import dev.denoise.cli.ImageFiles.Loaded;
import dev.denoise.core.image.ImageMetrics;
import dev.denoise.core.image.PlanarImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code denoise eval-image --clean C --test T [--json]}: PSNR (dB) and SSIM of T against C on
 * the 8-bit codes scaled to [0, 1] (data range 1), colour channels averaged, alpha ignored.
 * Exit 1 when either image cannot be read or the two differ in size or channel count.
 */
@Command(name = "eval-image", mixinStandardHelpOptions = true,
    description = "Print PSNR and SSIM of a test image against a clean reference.")
public final class EvalImageCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--clean", required = true, paramLabel = "C", description = "reference image")
  Path clean;

  @Option(names = "--test", required = true, paramLabel = "T", description = "image to score")
  Path test;

  @Option(names = "--json", description = "print one JSON object instead of text")
  boolean json;

  @Option(names = "--max-megapixels", defaultValue = "100",
      description = "refuse larger inputs (default: ${DEFAULT-VALUE})")
  double maxMegapixels;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      Loaded a = ImageFiles.read(clean, maxMegapixels);
      Loaded b = ImageFiles.read(test, maxMegapixels);
      if (a.width() != b.width() || a.height() != b.height() || a.channels() != b.channels()) {
        throw new ImageFileException(String.format(
            "images differ: %s is %dx%d with %d channel(s), %s is %dx%d with %d channel(s)",
            clean, a.width(), a.height(), a.channels(), test, b.width(), b.height(),
            b.channels()));
      }
      PlanarImage pa = a.planes();
      PlanarImage pb = b.planes();
      double psnr = ImageMetrics.psnr(pa, pb, 1.0);
      double ssim = ImageMetrics.ssim(pa, pb, 1.0);
      if (json) {
        out.printf(Locale.ROOT, "{\"clean\":\"%s\",\"test\":\"%s\",\"psnr_db\":%s,\"ssim\":%.6f}%n",
            escape(clean.toString()), escape(test.toString()),
            Double.isInfinite(psnr) ? "null" : String.format(Locale.ROOT, "%.4f", psnr), ssim);
      } else {
        out.printf(Locale.ROOT, "PSNR %.4f dB  SSIM %.6f%n", psnr, ssim);
      }
      out.flush();
      return 0;
    } catch (ImageFileException | IllegalArgumentException e) {
      err.println("denoise eval-image: " + e.getMessage());
      return 1;
    }
  }

  private static String escape(String s) {
    StringBuilder b = new StringBuilder();
    for (char ch : s.toCharArray()) {
      if (ch == '"' || ch == '\\') {
        b.append('\\').append(ch);
      } else if (ch < 0x20) {
        b.append(String.format("\\u%04x", (int) ch));
      } else {
        b.append(ch);
      }
    }
    return b.toString();
  }
}
