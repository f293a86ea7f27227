package dev.denoise.cli;

import dev.denoise.core.audio.rnn.FeatureExtractor;
import dev.denoise.tflite.ModelFile;
import dev.denoise.tflite.ModelManifest;
import dev.denoise.tflite.ModelManifest.SpectralMask;
import dev.denoise.tflite.VoiceModels;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code denoise models [--json] [MODEL.tflite...]}: what each voice model costs, from its
 * manifest (checked against the model's sha256 as it loads): kind, parameters, MACs per 10 ms
 * frame, MAC/s at 100 frames per second, algorithmic latency and file size. Lists every bundled
 * voice model, then any model files given. Time per frame is {@code denoise bench}'s job.
 */
@Command(name = "models", mixinStandardHelpOptions = true,
    description = "Bundled voice models (and any given model files) with kind, parameters, "
        + "MACs per frame, MAC/s at 100 frames/s, algorithmic latency and bytes, from their "
        + "manifests.")
final class ModelsCommand implements Callable<Integer> {
  /** Frames per second of every voice model (10 ms hop). */
  static final int FRAMES_PER_SECOND = 100;

  @Spec
  CommandSpec spec;

  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  @Parameters(arity = "0..*", paramLabel = "MODEL.tflite",
      description = "Model files to list too, each with its manifest beside it.")
  List<Path> files = new ArrayList<>();

  /**
   * One model's row. {@code params}, {@code macsPerFrame} are -1 when the manifest does not say.
   *
   * @param latencyMs the manifest's {@code algorithmic_latency_ms}; for a band-gain model, which
   *     has no such field, the 20 ms analysis window of the framing it runs
   *     ({@link FeatureExtractor#WINDOW}), the same definition the mask contract uses
   */
  record Row(String name, String kind, long params, long macsPerFrame, double latencyMs,
      long bytes, String sha256) {
    long macsPerSecond() {
      return macsPerFrame < 0 ? -1 : macsPerFrame * FRAMES_PER_SECOND;
    }
  }

  @Override
  public Integer call() throws IOException {
    List<Row> rows = new ArrayList<>();
    for (String name : VoiceModels.bundled()) {
      rows.add(row(name, VoiceModels.load(name)));
    }
    for (Path file : files) {
      rows.add(row(file.toString(), ModelFile.open(file)));
    }
    List<String> missing = new ArrayList<>(VoiceModels.NAMES);
    missing.removeAll(VoiceModels.bundled());
    print(rows, missing);
    return 0;
  }

  static Row row(String name, ModelFile file) throws IOException {
    ModelManifest m = file.manifest();
    String kind;
    double latencyMs;
    long params;
    long macs;
    if (m.isSpectralMask()) {
      SpectralMask s = m.spectralMask();
      kind = "spectral_mask/" + (s.complex() ? "complex" : "magnitude");
      latencyMs = s.algorithmicLatencyMs();
      params = s.params();
      macs = s.macsPerFrame();
    } else {
      kind = "band_gain";
      OptionalInt stated = m.optionalInt("algorithmic_latency_ms");
      latencyMs = stated.isPresent() ? stated.getAsInt()
          : 1000.0 * FeatureExtractor.WINDOW / FeatureExtractor.SAMPLE_RATE;
      params = orMinusOne(m.optionalInt("params"));
      macs = orMinusOne(m.optionalInt("macs_per_frame"));
    }
    return new Row(name, kind, params, macs, latencyMs, file.buffer().remaining(), m.sha256());
  }

  private static long orMinusOne(OptionalInt v) {
    return v.isPresent() ? v.getAsInt() : -1;
  }

  private void print(List<Row> rows, List<String> missing) {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      StringBuilder sb = new StringBuilder("{\"frames_per_second\": " + FRAMES_PER_SECOND
          + ", \"models\": [");
      for (int i = 0; i < rows.size(); i++) {
        Row r = rows.get(i);
        sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT,
            "{\"name\": \"%s\", \"kind\": \"%s\", \"params\": %s, \"macs_per_frame\": %s, "
                + "\"macs_per_second\": %s, \"algorithmic_latency_ms\": %s, \"bytes\": %d, "
                + "\"sha256\": \"%s\"}",
            escape(r.name()), r.kind(), orNull(r.params()), orNull(r.macsPerFrame()),
            orNull(r.macsPerSecond()), number(r.latencyMs()), r.bytes(), r.sha256()));
      }
      sb.append("], \"not_bundled\": [");
      for (int i = 0; i < missing.size(); i++) {
        sb.append(i == 0 ? "" : ", ").append('"').append(missing.get(i)).append('"');
      }
      out.println(sb.append("]}"));
      return;
    }
    out.println("voice models, 10 ms frames (MAC/s at " + FRAMES_PER_SECOND + " frames/s)");
    int nameWidth = "model".length();
    for (Row r : rows) {
      nameWidth = Math.max(nameWidth, r.name().length());
    }
    String columns = "%-" + nameWidth + "s %-24s %10s %12s %12s %11s ";
    out.println(String.format(Locale.ROOT, columns + "%10s",
        "model", "kind", "params", "MACs/frame", "MAC/s", "latency ms", "bytes"));
    for (Row r : rows) {
      out.println(String.format(Locale.ROOT, columns + "%10d",
          r.name(), r.kind(), dash(r.params()), dash(r.macsPerFrame()), dash(r.macsPerSecond()),
          number(r.latencyMs()), r.bytes()));
    }
    if (!missing.isEmpty()) {
      out.println("not bundled in this build: " + String.join(", ", missing));
    }
  }

  private static String dash(long v) {
    return v < 0 ? "-" : Long.toString(v);
  }

  private static String orNull(long v) {
    return v < 0 ? "null" : Long.toString(v);
  }

  private static String number(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
