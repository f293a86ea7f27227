package dev.denoise.cli;

import dev.denoise.core.image.PixelConversions;
import dev.denoise.core.image.PlanarImage;
import dev.denoise.core.image.RowSink;
import dev.denoise.core.image.TileSource;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * Desktop photo I/O for the commands: 8-bit PNG/JPEG through javax.imageio, with the checks
 * that turn odd files into one-line errors, tile access for
 * {@link dev.denoise.core.image.ImageTiler} and atomic writes.
 */
final class ImageFiles {

  /** A user-facing failure: the message is printed as one line. */
  static final class ImageFileException extends Exception {
    private static final long serialVersionUID = 1L;

    ImageFileException(String message) {
      super(message);
    }
  }

  /**
   * A decoded 8-bit image. {@code gray}: one colour channel (alpha, if any, is a separate band);
   * otherwise RGB read through ARGB ints (palette, BGR and alpha forms included).
   */
  record Loaded(BufferedImage image, String format, boolean gray, boolean alpha) {
    int width() {
      return image.getWidth();
    }

    int height() {
      return image.getHeight();
    }

    int channels() {
      return gray ? 1 : 3;
    }

    /** Tile access to the colour channels (alpha excluded). */
    TileSource source() {
      return new TileSource() {
        @Override
        public int width() {
          return image.getWidth();
        }

        @Override
        public int height() {
          return image.getHeight();
        }

        @Override
        public int channels() {
          return Loaded.this.channels();
        }

        @Override
        public PlanarImage read(int x, int y, int w, int h) {
          if (gray) {
            int[] samples = image.getRaster().getSamples(x, y, w, h, 0, (int[]) null);
            return PixelConversions.fromGray(samples, w, h);
          }
          return PixelConversions.fromArgb(image.getRGB(x, y, w, h, null, 0, w), w, h);
        }
      };
    }

    /** The whole image as planes (for small images: metrics, estimation crops). */
    PlanarImage planes() {
      return source().read(0, 0, width(), height());
    }

    /** A blank output image of the same kind, and a sink that fills it (alpha copied). */
    BufferedImage blankOutput() {
      if (gray) {
        ColorModel cm = image.getColorModel();
        WritableRaster raster = cm.createCompatibleWritableRaster(width(), height());
        if (alpha) {
          raster.setSamples(0, 0, width(), height(), 1,
              image.getRaster().getSamples(0, 0, width(), height(), 1, (int[]) null));
        }
        return new BufferedImage(cm, raster, cm.isAlphaPremultiplied(), null);
      }
      return new BufferedImage(width(), height(),
          alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
    }

    RowSink sinkInto(BufferedImage out) {
      return (y0, rows) -> {
        int w = rows.width();
        int h = rows.height();
        if (gray) {
          out.getRaster().setSamples(0, y0, w, h, 0, PixelConversions.toGrayInts(rows, 0));
        } else {
          int[] alphaSource = alpha ? image.getRGB(0, y0, w, h, null, 0, w) : null;
          int[] argb = new int[w * h];
          PixelConversions.toArgb(rows, alphaSource, argb);
          out.setRGB(0, y0, w, h, argb, 0, w);
        }
      };
    }
  }

  private ImageFiles() {}

  /**
   * Reads an 8-bit PNG or JPEG, refusing files larger than {@code maxMegapixels} before
   * decoding them.
   */
  static Loaded read(Path file, double maxMegapixels) throws ImageFileException {
    if (!Files.isRegularFile(file)) {
      throw new ImageFileException("cannot read " + file + ": no such file");
    }
    if (!Files.isReadable(file)) {
      throw new ImageFileException("cannot read " + file + ": permission denied");
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw new ImageFileException(
            "cannot read " + file + ": not a PNG or JPEG image (no decoder recognises it)");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        String format = reader.getFormatName().toLowerCase(Locale.ROOT);
        if (!format.equals("png") && !format.equals("jpeg")) {
          throw new ImageFileException(String.format(
              "cannot read %s: %s images are not supported (PNG or JPEG only)", file, format));
        }
        long w = reader.getWidth(0);
        long h = reader.getHeight(0);
        double mp = w * h / 1e6;
        if (mp > maxMegapixels) {
          throw new ImageFileException(String.format(Locale.ROOT,
              "%s is %dx%d = %.1f MP, above the %.0f MP limit (raise it with --max-megapixels)",
              file, w, h, mp, maxMegapixels));
        }
        ImageTypeSpecifier raw = reader.getRawImageType(0);
        if (raw != null) {
          int bits = raw.getSampleModel().getSampleSize(0);
          if (bits > 8) {
            throw new ImageFileException(String.format(
                "cannot read %s: %d-bit samples are not supported yet (convert to 8-bit)",
                file, bits));
          }
        }
        BufferedImage image;
        try {
          image = reader.read(0);
        } catch (javax.imageio.IIOException e) {
          String why = String.valueOf(e.getMessage());
          if (why.contains("Unsupported Image Type") || why.contains("colorspace")) {
            throw new ImageFileException("cannot read " + file
                + ": unsupported colour type (CMYK/YCCK JPEG?); convert it to RGB first");
          }
          throw new ImageFileException("cannot read " + file + ": " + why);
        }
        return classify(file, image, format);
      } finally {
        reader.dispose();
      }
    } catch (IOException e) {
      throw new ImageFileException("cannot read " + file + ": " + e.getMessage());
    }
  }

  private static Loaded classify(Path file, BufferedImage image, String format)
      throws ImageFileException {
    ColorModel cm = image.getColorModel();
    for (int b = 0; b < image.getSampleModel().getNumBands(); b++) {
      if (image.getSampleModel().getSampleSize(b) > 8) {
        throw new ImageFileException(String.format(
            "cannot read %s: %d-bit samples are not supported yet (convert to 8-bit)", file,
            image.getSampleModel().getSampleSize(b)));
      }
    }
    int space = cm.getColorSpace().getType();
    if (space == ColorSpace.TYPE_CMYK) {
      throw new ImageFileException(
          "cannot read " + file + ": CMYK images are not supported; convert it to RGB first");
    }
    boolean gray = space == ColorSpace.TYPE_GRAY && cm.getNumColorComponents() == 1
        && !(cm instanceof java.awt.image.IndexColorModel)
        && image.getSampleModel().getNumBands() == cm.getNumComponents();
    return new Loaded(image, format, gray, cm.hasAlpha());
  }

  /** The ImageIO format for an output path, from its extension, or null if unsupported. */
  static String formatFor(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".png")) {
      return "png";
    }
    if (name.endsWith(".jpg") || name.endsWith(".jpeg")) {
      return "jpeg";
    }
    return null;
  }

  /**
   * Writes {@code image} to a temporary file beside {@code target} and renames it into place,
   * so a failed or interrupted write never leaves a partial output.
   */
  static void writeAtomically(BufferedImage image, String format, Path target,
      float jpegQuality, boolean replace) throws ImageFileException {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
      Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
      if (!writers.hasNext()) {
        throw new ImageFileException("no " + format + " encoder in this Java runtime");
      }
      ImageWriter writer = writers.next();
      try (ImageOutputStream out = ImageIO.createImageOutputStream(tmp.toFile())) {
        writer.setOutput(out);
        ImageWriteParam param = writer.getDefaultWriteParam();
        if (format.equals("jpeg")) {
          param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
          param.setCompressionQuality(jpegQuality);
        }
        writer.write(null, new IIOImage(image, null, null), param);
      } finally {
        writer.dispose();
      }
      StandardCopyOption[] options = replace
          ? new StandardCopyOption[] {StandardCopyOption.ATOMIC_MOVE,
              StandardCopyOption.REPLACE_EXISTING}
          : new StandardCopyOption[] {StandardCopyOption.ATOMIC_MOVE};
      try {
        Files.move(tmp, target, options);
      } catch (AtomicMoveNotSupportedException e) {
        if (replace) {
          Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        } else {
          Files.move(tmp, target);
        }
      }
      tmp = null;
    } catch (IOException e) {
      throw new ImageFileException("cannot write " + target + ": " + e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // The temporary file is hidden and named after the target; nothing else to do.
        }
      }
    }
  }
}
