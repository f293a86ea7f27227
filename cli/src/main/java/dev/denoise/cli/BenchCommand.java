package dev.denoise.cli;

import dev.denoise.core.audio.SpeechLikeSignal;
import dev.denoise.core.audio.StreamingStage;
import dev.denoise.core.audio.classic.ClassicDenoiser;
import dev.denoise.core.audio.classic.ClassicMethod;
import dev.denoise.core.audio.classic.Strength;
import dev.denoise.core.audio.rnn.NeuralVoiceStage;
import dev.denoise.tflite.ModelFile;
import dev.denoise.tflite.TfliteGainModel;
import dev.denoise.tflite.VoiceModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code denoise bench [--json]}: cost of each voice method per 10 ms frame at 48 kHz on the
 * calling thread (one core), on a seeded speech-in-noise signal. Each method is warmed up, then
 * timed in {@code rounds} rounds of {@code frames} frames; the median round is reported with
 * the fastest and slowest, and the real-time factor (frame duration / cost).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Microseconds per 10 ms frame at 48 kHz for each voice method, and "
        + "megapixels per second for each photo method.")
final class BenchCommand implements Callable<Integer> {
  static final int RATE = 48000;

  @Spec
  CommandSpec spec;

  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  @Option(names = "--rounds", defaultValue = "7", description = "Timed rounds (default 7).")
  int rounds;

  @Option(names = "--frames", defaultValue = "2000",
      description = "Frames per round (default 2000 = 20 s of audio).")
  int frames;

  @Option(names = "--image-size", defaultValue = "512", paramLabel = "PX",
      description = "Side of the square colour test image for the photo methods (default "
          + "${DEFAULT-VALUE}; 0 skips them).")
  int imageSize;

  @Option(names = "--neural", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Also time the neural paths, one interpreter thread, XNNPACK: the shipped "
          + "RNNoise-style model (features + model + pitch filter + synthesis) in float32 and "
          + "int8 (rows neural-float32, neural-int8), and every other bundled voice model "
          + "(STFT + model + mask + synthesis; rows neural-unet, neural-crn-int8, ...) "
          + "(default; --no-neural skips it).")
  boolean neural;

  @Option(names = "--photo-tiling", paramLabel = "WxH",
      description = "Only compare the neural photo path's tilings on a WxH colour image (e.g. "
          + "4000x3000): 768-pixel tiles mirrored on every side against the current choice, "
          + "alternating in this process; prints seconds, MP/s and their ratio.")
  String photoTiling;

  /** Noise level of the photo benchmark, 0…255 scale. */
  static final double IMAGE_SIGMA255 = 25;

  /** One method's timing. */
  record Result(String method, double medianMicros, double minMicros, double maxMicros) {
    double realTimeFactor() {
      return 10_000 / medianMicros;
    }
  }

  @Override
  public Integer call() {
    if (rounds < 1 || frames < 1 || imageSize < 0) {
      throw new IllegalArgumentException(
          "--rounds and --frames must be >= 1 and --image-size >= 0");
    }
    if (photoTiling != null) {
      return comparePhotoTiling();
    }
    List<Result> results = new ArrayList<>();
    for (ClassicMethod method : ClassicMethod.values()) {
      results.add(time(method.cliName(),
          ClassicDenoiser.newStage(method, RATE, Strength.DEFAULT, null), rounds, frames));
    }
    if (neural) {
      for (VoiceModels.Precision precision : VoiceModels.Precision.values()) {
        results.add(timeNeural(precision, rounds, frames));
      }
      for (String name : VoiceModels.bundled()) {
        if (!name.startsWith("rnnoise")) {
          results.add(timeNeural("neural-" + name, loadBundled(name), rounds, frames));
        }
      }
    }
    Map<String, Double> images = imageSize == 0 ? Map.of()
        : ImageBench.megapixelsPerSecond(imageSize, imageSize, IMAGE_SIGMA255, 1);
    print(results, images);
    return 0;
  }

  private int comparePhotoTiling() {
    String[] parts = photoTiling.split("x");
    int w;
    int h;
    try {
      w = Integer.parseInt(parts[0]);
      h = Integer.parseInt(parts[1]);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("--photo-tiling wants WIDTHxHEIGHT, got '" + photoTiling
          + "'");
    }
    if (parts.length != 2 || w < 64 || h < 64) {
      throw new IllegalArgumentException("--photo-tiling wants WIDTHxHEIGHT of at least 64x64, got '"
          + photoTiling + "'");
    }
    List<ImageBench.TilingTiming> t = ImageBench.neuralTiling(w, h, IMAGE_SIGMA255, 1,
        Math.min(rounds, 3));
    PrintWriter out = spec.commandLine().getOut();
    out.printf("neural photo path, %dx%d (%.1f MP), fastest of %d alternating rounds%n", w, h,
        w * (double) h / 1e6, Math.min(rounds, 3));
    for (ImageBench.TilingTiming timing : t) {
      out.printf("  %-30s tile %4d  %7.2f s  %6.3f MP/s%n", timing.tiling(), timing.tile(),
          timing.seconds(), timing.megapixelsPerSecond());
    }
    out.printf("  time ratio current/legacy: %.3f%n", t.get(1).seconds() / t.get(0).seconds());
    out.flush();
    return 0;
  }

  /** The whole neural path with the shipped model in {@code precision}. */
  static Result timeNeural(VoiceModels.Precision precision, int rounds, int frames) {
    try {
      return timeNeural("neural-" + precision.suffix(), VoiceModels.load(precision), rounds,
          frames);
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  /** The whole neural path around {@code file}, whichever kind of voice model it is. */
  static Result timeNeural(String row, ModelFile file, int rounds, int frames) {
    try (NeuralVoiceStage denoiser =
        VoiceModels.newDenoiser(file, TfliteGainModel.Options.DEFAULT, Strength.DEFAULT)) {
      return time(row, denoiser, rounds, frames);
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  private static ModelFile loadBundled(String name) {
    try {
      return VoiceModels.load(name);
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  /** Times {@code stage} on 10 s of seeded noisy speech, looping over it. */
  static Result time(String name, StreamingStage stage, int rounds, int frames) {
    float[] signal = SpeechLikeSignal.mix(SpeechLikeSignal.speech(RATE, 10, 1),
        SpeechLikeSignal.noise(RATE, 10, 0.5, true, 2), 5);
    int hop = stage.frameSize();
    int available = signal.length / hop;
    float[] out = new float[hop];
    int position = 0;
    for (int f = 0; f < 3000; f++) {  // warm-up: let the JIT compile the frame path
      stage.process(signal, (position++ % available) * hop, out, 0);
    }
    double[] micros = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      long start = System.nanoTime();
      for (int f = 0; f < frames; f++) {
        stage.process(signal, (position++ % available) * hop, out, 0);
      }
      micros[r] = (System.nanoTime() - start) / 1e3 / frames;
    }
    Arrays.sort(micros);
    return new Result(name, micros[rounds / 2], micros[0], micros[rounds - 1]);
  }

  private void print(List<Result> results, Map<String, Double> images) {
    PrintWriter out = spec.commandLine().getOut();
    StringBuilder imageJson = new StringBuilder();
    for (Map.Entry<String, Double> e : images.entrySet()) {
      imageJson.append(imageJson.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT,
          "{\"method\": \"%s\", \"mp_per_s\": %.4f}", e.getKey(), e.getValue()));
    }
    if (json) {
      StringBuilder sb = new StringBuilder("{\"sample_rate\": " + RATE
          + ", \"frame_ms\": 10, \"threads\": 1, \"voice\": [");
      for (int i = 0; i < results.size(); i++) {
        Result r = results.get(i);
        sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT,
            "{\"method\": \"%s\", \"us_per_frame\": %.2f, \"min_us\": %.2f, \"max_us\": %.2f, "
                + "\"realtime_factor\": %.1f}",
            r.method(), r.medianMicros(), r.minMicros(), r.maxMicros(), r.realTimeFactor()));
      }
      sb.append("], \"image\": {\"size\": ").append(imageSize)
          .append(", \"channels\": 3, \"sigma255\": ").append(IMAGE_SIGMA255)
          .append(", \"threads\": ").append(Runtime.getRuntime().availableProcessors())
          .append(", \"methods\": [").append(imageJson).append("]}}");
      out.println(sb);
      return;
    }
    out.println("voice, 48 kHz, 10 ms frames, one thread");
    out.println(String.format(Locale.ROOT, "%-17s %12s %10s %10s %12s",
        "method", "us/frame", "min", "max", "x realtime"));
    for (Result r : results) {
      out.println(String.format(Locale.ROOT, "%-17s %12.1f %10.1f %10.1f %12.0f",
          r.method(), r.medianMicros(), r.minMicros(), r.maxMicros(), r.realTimeFactor()));
    }
    if (!images.isEmpty()) {
      out.println();
      out.println(String.format(Locale.ROOT,
          "photos, %dx%d colour, sigma %.0f, tiled, BM3D on %d threads, NLM on one",
          imageSize, imageSize, IMAGE_SIGMA255, Runtime.getRuntime().availableProcessors()));
      out.println(String.format(Locale.ROOT, "%-10s %12s", "method", "MP/s"));
      for (Map.Entry<String, Double> e : images.entrySet()) {
        out.println(String.format(Locale.ROOT, "%-10s %12.4f", e.getKey(), e.getValue()));
      }
    }
  }
}
