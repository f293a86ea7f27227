package dev.denoise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoise.core.image.ImageMetrics;
import dev.denoise.core.image.PixelConversions;
import dev.denoise.core.image.PlanarImage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EvalImageCommandTest {
  @TempDir
  Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cmd = new CommandLine(new EvalImageCommand());
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return cmd.execute(args);
  }

  @Test
  void printsTheCoreMetricsAsTextAndJson() throws IOException {
    BufferedImage a = CliImages.noisy(50, 40, BufferedImage.TYPE_INT_RGB, 0, 1);
    BufferedImage b = CliImages.noisy(50, 40, BufferedImage.TYPE_INT_RGB, 12, 2);
    Path clean = CliImages.write(a, "png", dir.resolve("c.png"));
    Path test = CliImages.write(b, "png", dir.resolve("t.png"));
    PlanarImage pa = PixelConversions.fromArgb(a.getRGB(0, 0, 50, 40, null, 0, 50), 50, 40);
    PlanarImage pb = PixelConversions.fromArgb(b.getRGB(0, 0, 50, 40, null, 0, 50), 50, 40);
    assertEquals(0, run("--clean", clean.toString(), "--test", test.toString()), err.toString());
    Matcher m = Pattern.compile("PSNR ([0-9.]+) dB  SSIM ([0-9.]+)").matcher(out.toString());
    assertTrue(m.find(), out.toString());
    assertEquals(ImageMetrics.psnr(pa, pb, 1), Double.parseDouble(m.group(1)), 1e-4);
    assertEquals(ImageMetrics.ssim(pa, pb, 1), Double.parseDouble(m.group(2)), 1e-6);
    out.getBuffer().setLength(0);
    assertEquals(0, run("--clean", clean.toString(), "--test", test.toString(), "--json"));
    String json = out.toString().strip();
    assertTrue(json.matches("\\{\"clean\":\".*c.png\",\"test\":\".*t.png\",\"psnr_db\":[0-9.]+,"
        + "\"ssim\":[0-9.]+}"), json);
  }

  @Test
  void identicalImagesGiveNullPsnrInJson() throws IOException {
    Path clean = CliImages.write(
        CliImages.noisy(20, 20, BufferedImage.TYPE_BYTE_GRAY, 5, 1), "png", dir.resolve("c.png"));
    assertEquals(0, run("--clean", clean.toString(), "--test", clean.toString(), "--json"));
    assertTrue(out.toString().contains("\"psnr_db\":null,\"ssim\":1.000000"), out.toString());
  }

  @Test
  void sizeMismatchIsAnError() throws IOException {
    Path a = CliImages.write(
        CliImages.noisy(20, 20, BufferedImage.TYPE_INT_RGB, 5, 1), "png", dir.resolve("a.png"));
    Path b = CliImages.write(
        CliImages.noisy(21, 20, BufferedImage.TYPE_INT_RGB, 5, 1), "png", dir.resolve("b.png"));
    assertEquals(1, run("--clean", a.toString(), "--test", b.toString()));
    assertTrue(err.toString().startsWith("denoise eval-image: images differ"), err.toString());
  }
}
