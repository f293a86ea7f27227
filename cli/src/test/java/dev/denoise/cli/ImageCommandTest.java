package dev.denoise.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ImageCommandTest {
  @TempDir
  Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cmd = new CommandLine(new ImageCommand());
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return cmd.execute(args);
  }

  @Test
  void denoisesAGrayPngAndLeavesTheInputUntouched() throws IOException {
    Path in = CliImages.write(
        CliImages.noisy(96, 64, BufferedImage.TYPE_BYTE_GRAY, 20, 1), "png", dir.resolve("in.png"));
    byte[] before = Files.readAllBytes(in);
    Path outFile = dir.resolve("out.png");
    assertEquals(0, run(in.toString(), outFile.toString(), "--sigma", "20"), err.toString());
    assertArrayEquals(before, Files.readAllBytes(in));
    BufferedImage result = ImageIO.read(outFile.toFile());
    assertEquals(BufferedImage.TYPE_BYTE_GRAY, result.getType());
    assertEquals(96, result.getWidth());
    assertEquals(64, result.getHeight());
    assertTrue(errorToClean(result, 0) < 0.6 * errorToClean(ImageIO.read(in.toFile()), 0),
        "denoised output must be much closer to the clean scene");
    assertTrue(out.toString().contains("nlm sigma=20.00 strength=1.00"), out.toString());
    assertTrue(err.toString().contains("denoising"), "progress bar on stderr");
    assertEquals(List.of("in.png", "out.png"), listing(), "no temporary files left behind");
  }

  @Test
  void waveletMethodDenoisesAColourPng() throws IOException {
    Path in = CliImages.write(
        CliImages.noisy(96, 64, BufferedImage.TYPE_INT_RGB, 20, 3), "png", dir.resolve("in.png"));
    Path outFile = dir.resolve("out.png");
    assertEquals(0, run(in.toString(), outFile.toString(), "--method", "wavelet", "--sigma", "20"),
        err.toString());
    BufferedImage result = ImageIO.read(outFile.toFile());
    for (int c = 0; c < 3; c++) {
      assertTrue(errorToClean(result, c) < 0.7 * errorToClean(ImageIO.read(in.toFile()), c),
          "channel " + c + " must be much closer to the clean scene");
    }
    assertTrue(out.toString().contains("wavelet sigma=20.00 strength=1.00"), out.toString());
  }

  @Test
  void keepsAlphaExactlyAndDenoisesColour() throws IOException {
    Path in = CliImages.write(
        CliImages.noisy(80, 60, BufferedImage.TYPE_INT_ARGB, 15, 2), "png", dir.resolve("a.png"));
    Path outFile = dir.resolve("b.png");
    assertEquals(0, run(in.toString(), outFile.toString(), "-q"), err.toString());
    BufferedImage src = ImageIO.read(in.toFile());
    BufferedImage res = ImageIO.read(outFile.toFile());
    assertTrue(res.getColorModel().hasAlpha());
    for (int y = 0; y < 60; y++) {
      for (int x = 0; x < 80; x++) {
        assertEquals(src.getRGB(x, y) >>> 24, res.getRGB(x, y) >>> 24, "alpha at " + x + "," + y);
      }
    }
    assertTrue(out.toString().contains("(estimated)"), out.toString());
    assertEquals("", err.toString(), "--quiet prints nothing on stderr");
  }

  @Test
  void readsJpegWritesJpegAndCalibratesStrength() throws IOException {
    Path in = CliImages.write(
        CliImages.noisy(64, 48, BufferedImage.TYPE_INT_RGB, 25, 3), "jpeg", dir.resolve("p.jpg"));
    Path outFile = dir.resolve("p-clean.jpeg");
    assertEquals(0, run(in.toString(), outFile.toString(), "--strength", "auto", "--sigma", "25",
        "-q"), err.toString());
    assertEquals(64, ImageIO.read(outFile.toFile()).getWidth());
    assertTrue(out.toString().contains("(SURE)"), out.toString());
    Path again = dir.resolve("p-n2s.png");
    assertEquals(0, run(in.toString(), again.toString(), "--strength", "auto", "--calibration",
        "n2s", "-q"), err.toString());
    assertTrue(out.toString().contains("(Noise2Self)"), out.toString());
  }

  @Test
  void palettePngIsDenoisedAsRgb() throws IOException {
    BufferedImage rgb = CliImages.noisy(48, 40, BufferedImage.TYPE_INT_RGB, 20, 10);
    BufferedImage indexed = new BufferedImage(48, 40, BufferedImage.TYPE_BYTE_INDEXED);
    indexed.getGraphics().drawImage(rgb, 0, 0, null);
    Path in = CliImages.write(indexed, "png", dir.resolve("pal.png"));
    Path outFile = dir.resolve("pal-out.png");
    assertEquals(0, run(in.toString(), outFile.toString(), "--sigma", "20", "-q"), err.toString());
    BufferedImage res = ImageIO.read(outFile.toFile());
    assertEquals(3, res.getColorModel().getNumColorComponents());
    assertEquals(48, res.getWidth());
  }

  @Test
  void refusesToOverwriteTheInputEvenWithForce() throws IOException {
    Path in = CliImages.write(
        CliImages.noisy(32, 32, BufferedImage.TYPE_INT_RGB, 10, 4), "png", dir.resolve("x.png"));
    byte[] before = Files.readAllBytes(in);
    assertEquals(1, run(in.toString(), in.toString(), "--force", "-q"));
    assertTrue(err.toString().contains("refusing to overwrite the input"), err.toString());
    assertArrayEquals(before, Files.readAllBytes(in));
  }

  @Test
  void refusesAnExistingOutputUnlessForced() throws IOException {
    Path in = CliImages.write(
        CliImages.noisy(32, 32, BufferedImage.TYPE_INT_RGB, 10, 5), "png", dir.resolve("x.png"));
    Path existing = Files.writeString(dir.resolve("y.png"), "keep me");
    assertEquals(1, run(in.toString(), existing.toString(), "-q"));
    assertTrue(err.toString().contains("exists; use --force"), err.toString());
    assertEquals("keep me", Files.readString(existing));
    assertEquals(0, run(in.toString(), existing.toString(), "-q", "--force"), err.toString());
    assertEquals(32, ImageIO.read(existing.toFile()).getWidth());
  }

  @Test
  void unreadableFilesGiveOneLineErrors() throws IOException {
    Path text = Files.writeString(dir.resolve("notes.png"), "not an image");
    assertEquals(1, run(text.toString(), dir.resolve("o.png").toString(), "-q"));
    assertOneLine("not a PNG or JPEG image");
    assertEquals(1, run(dir.resolve("missing.png").toString(), dir.resolve("o.png").toString()));
    assertTrue(err.toString().contains("no such file"), err.toString());
  }

  @Test
  void refusesImagesAboveTheMegapixelLimit() throws IOException {
    Path in = CliImages.write(
        CliImages.noisy(200, 100, BufferedImage.TYPE_INT_RGB, 10, 6), "png", dir.resolve("h.png"));
    assertEquals(1, run(in.toString(), dir.resolve("o.png").toString(),
        "--max-megapixels", "0.01", "-q"));
    assertOneLine("200x100 = 0.0 MP, above the 0 MP limit");
  }

  @Test
  void anImageWithNothingButClippedSamplesAsksForASigma() throws IOException {
    BufferedImage img = new BufferedImage(120, 120, BufferedImage.TYPE_BYTE_GRAY);
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
    for (int y = 0; y < 120; y++) {
      for (int x = 0; x < 120; x++) {
        img.getRaster().setSample(x, y, 0, rnd.nextBoolean() ? 255 : 0);
      }
    }
    Path in = CliImages.write(img, "png", dir.resolve("pepper.png"));
    Path outFile = dir.resolve("o.png");
    assertEquals(2, run(in.toString(), outFile.toString(), "-q"));
    assertTrue(err.toString().contains("cannot estimate the noise level")
        && err.toString().contains("100% of the samples"), err.toString());
    assertFalse(Files.exists(outFile));
    assertEquals(0, run(in.toString(), outFile.toString(), "-q", "--sigma", "40"), err.toString());
  }

  @Test
  void sixteenBitPngIsRefusedClearly() throws IOException {
    BufferedImage img = new BufferedImage(20, 20, BufferedImage.TYPE_USHORT_GRAY);
    Path in = CliImages.write(img, "png", dir.resolve("deep.png"));
    assertEquals(1, run(in.toString(), dir.resolve("o.png").toString(), "-q"));
    assertOneLine("16-bit samples are not supported yet");
  }

  @Test
  void cmykJpegIsRefusedClearly() throws IOException {
    WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 16, 16, 4, null);
    Path in = dir.resolve("cmyk.jpg");
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
    ImageWriter writer = writers.next();
    try (ImageOutputStream os = ImageIO.createImageOutputStream(in.toFile())) {
      writer.setOutput(os);
      writer.write(null, new IIOImage(raster, null, null), null);
    } finally {
      writer.dispose();
    }
    assertEquals(1, run(in.toString(), dir.resolve("o.png").toString(), "-q"));
    assertOneLine("cannot read");
    assertTrue(err.toString().contains("CMYK"), err.toString());
  }

  @Test
  void alphaCannotGoToJpeg() throws IOException {
    Path in = CliImages.write(
        CliImages.noisy(32, 32, BufferedImage.TYPE_INT_ARGB, 10, 7), "png", dir.resolve("a.png"));
    assertEquals(2, run(in.toString(), dir.resolve("a.jpg").toString(), "-q"));
    assertOneLine("alpha channel, which JPEG cannot store");
    assertFalse(Files.exists(dir.resolve("a.jpg")));
  }

  @Test
  void neuralMethodRunsTheBundledModelOnColourAndGrayWithCalibratedStrength() throws IOException {
    for (int type : new int[] {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_BYTE_GRAY}) {
      Path in = CliImages.write(CliImages.noisy(130, 90, type, 25, 21), "png",
          dir.resolve("n" + type + ".png"));
      Path outFile = dir.resolve("n" + type + "-out.png");
      assertEquals(0, run(in.toString(), outFile.toString(), "--method", "neural", "--sigma",
          "25", "--strength", "auto", "--tile", "48", "-q"), err.toString());
      BufferedImage result = ImageIO.read(outFile.toFile());
      int bands = type == BufferedImage.TYPE_BYTE_GRAY ? 1 : 3;
      assertEquals(bands, result.getRaster().getNumBands());
      for (int c = 0; c < (type == BufferedImage.TYPE_BYTE_GRAY ? 1 : 3); c++) {
        assertTrue(errorToClean(result, c) < 0.5 * errorToClean(ImageIO.read(in.toFile()), c),
            "neural output must be much closer to the clean scene (channel " + c + ")");
      }
      assertTrue(out.toString().contains("neural sigma=25.00 strength="), out.toString());
      assertTrue(out.toString().contains("(SURE)"), out.toString());
    }
  }

  @Test
  void aMissingModelOrAModelForAnotherMethodIsAUsageError() throws IOException {
    Path in = CliImages.write(
        CliImages.noisy(32, 32, BufferedImage.TYPE_INT_RGB, 10, 8), "png", dir.resolve("m.png"));
    assertEquals(2, run(in.toString(), dir.resolve("o.png").toString(), "--method", "neural",
        "--model", dir.resolve("none.tflite").toString()));
    assertOneLine("method 'neural' cannot load its model");
    err.getBuffer().setLength(0);
    assertEquals(2, run(in.toString(), dir.resolve("o.png").toString(), "--method", "nlm",
        "--model", dir.resolve("none.tflite").toString()));
    assertOneLine("--model is only used by --method neural");
    assertFalse(Files.exists(dir.resolve("o.png")));
  }

  @Test
  void unknownMethodsExitWithTwo() throws IOException {
    Path in = CliImages.write(
        CliImages.noisy(32, 32, BufferedImage.TYPE_INT_RGB, 10, 8), "png", dir.resolve("m.png"));
    assertEquals(2, run(in.toString(), dir.resolve("o.png").toString(), "--method", "median"));
    assertOneLine("unknown method 'median'");
    assertFalse(Files.exists(dir.resolve("o.png")));
  }

  @Test
  void badOptionValuesAreUsageErrors() throws IOException {
    Path in = CliImages.write(
        CliImages.noisy(32, 32, BufferedImage.TYPE_INT_RGB, 10, 9), "png", dir.resolve("m.png"));
    assertEquals(2, run(in.toString(), dir.resolve("o.png").toString(), "--sigma", "lots"));
    assertOneLine("--sigma must be auto or a number, got 'lots'");
    err.getBuffer().setLength(0);
    assertEquals(2, run(in.toString(), dir.resolve("o.tiff").toString()));
    assertOneLine("OUT must end in .png, .jpg or .jpeg");
  }

  private void assertOneLine(String expected) {
    String e = err.toString().strip();
    assertTrue(e.contains(expected), e);
    assertFalse(e.contains("\n"), "one line: " + e);
    assertTrue(e.startsWith("denoise image: "), e);
  }

  private List<String> listing() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** RMS difference (8-bit units) of channel c from the clean scene. */
  private static double errorToClean(BufferedImage img, int c) {
    double sum = 0;
    int w = img.getWidth();
    int h = img.getHeight();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int v = img.getRaster().getSample(x, y, c);
        double d = v - Math.max(0, Math.min(255, Math.round(CliImages.clean(c, x, y, w, h))));
        sum += d * d;
      }
    }
    return Math.sqrt(sum / (w * h));
  }
}
