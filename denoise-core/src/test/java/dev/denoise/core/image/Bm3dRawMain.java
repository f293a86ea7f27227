package dev.denoise.core.image;

import dev.denoise.core.Progress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs {@link Bm3dDenoiser} on raw float32 images, for {@code tools/bm3d_compare.py}.
 *
 * <p>Usage: {@code Bm3dRawMain sigma255 threads channels width height in.f32 out.f32
 * [width height in.f32 out.f32 ...]}. Files are planar (channel-major, then row-major), little-endian float32,
 * values on the 0…1 scale. Prints one line per image: {@code seconds=<s> megapixels=<mp>}.
 */
public final class Bm3dRawMain {
  private Bm3dRawMain() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 7 || (args.length - 3) % 4 != 0) {
      throw new IllegalArgumentException("usage: sigma255 threads channels"
          + " width height in.f32 out.f32 [width height in.f32 out.f32 ...]");
    }
    double sigma255 = Double.parseDouble(args[0]);
    int threads = Integer.parseInt(args[1]);
    int channels = Integer.parseInt(args[2]);
    Bm3dDenoiser denoiser = new Bm3dDenoiser(threads);
    for (int a = 3; a < args.length; a += 4) {
      int width = Integer.parseInt(args[a]);
      int height = Integer.parseInt(args[a + 1]);
      PlanarImage noisy = read(Path.of(args[a + 2]), width, height, channels);
      long start = System.nanoTime();
      PlanarImage out = denoiser.denoise(noisy, sigma255, 1.0, Progress.NONE);
      double seconds = (System.nanoTime() - start) / 1e9;
      write(Path.of(args[a + 3]), out);
      System.out.printf("seconds=%.3f megapixels=%.4f%n", seconds, width * (double) height / 1e6);
    }
  }

  static PlanarImage read(Path path, int width, int height, int channels) throws IOException {
    byte[] bytes = Files.readAllBytes(path);
    long expected = 4L * width * height * channels;
    if (bytes.length != expected) {
      throw new IllegalArgumentException(String.format(
          "%s has %d bytes, expected 4*width*height*channels=%d (width=%d height=%d channels=%d)",
          path, bytes.length, expected, width, height, channels));
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    PlanarImage image = new PlanarImage(width, height, channels);
    for (int c = 0; c < channels; c++) {
      buf.asFloatBuffer().position(c * width * height).get(image.plane(c));
    }
    return image;
  }

  static void write(Path path, PlanarImage image) throws IOException {
    int n = image.width() * image.height();
    ByteBuffer buf = ByteBuffer.allocate(4 * n * image.channels()).order(ByteOrder.LITTLE_ENDIAN);
    for (int c = 0; c < image.channels(); c++) {
      buf.asFloatBuffer().position(c * n).put(image.plane(c));
    }
    Files.write(path, buf.array());
  }
}
