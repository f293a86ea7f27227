package dev.denoise.core.audio.rnn;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Features and targets of a whole clean/noisy pair at 48 kHz, frame by frame, for training: the
 * features come from a {@link FeatureExtractor} over the noisy signal, the targets
 * ({@link TrainingTargets}) from the band energies of a second extractor over the clean signal,
 * so both use the framing of inference. Frame {@code t} covers the 20 ms window ending at sample
 * {@code 480·(t+1)}; a trailing partial hop is dropped.
 *
 * <p>File format ({@link #writeData}, {@link #headerJson}): the data file is {@link #frames()}
 * rows of {@code FEATURE_COUNT + TrainingTargets.COUNT} = 65 little-endian float32 values, the
 * features of the frame then its targets, with nothing before or between rows; in numpy
 * {@code np.fromfile(path, "<f4").reshape(frames, 65)}. The header is a small JSON object
 * beside it naming the counts and the feature version.
 */
public final class TrainingFrames {
  /** Format name written in the header. */
  public static final String FORMAT = "denoise-rnn-frames";

  private final int frames;
  private final float[] features;
  private final float[] targets;

  private TrainingFrames(int frames, float[] features, float[] targets) {
    this.frames = frames;
    this.features = features;
    this.targets = targets;
  }

  /**
   * Computes every frame of {@code noisy} with targets from {@code clean}, both at 48 kHz and
   * of the same length (the noisy signal is clean speech plus noise, time aligned).
   */
  public static TrainingFrames compute(float[] clean, float[] noisy) {
    if (clean.length != noisy.length) {
      throw new IllegalArgumentException(String.format(
          "clean and noisy differ in length: clean=%d noisy=%d", clean.length, noisy.length));
    }
    int frames = clean.length / FeatureExtractor.HOP;
    int fc = FeatureExtractor.FEATURE_COUNT;
    int tc = TrainingTargets.COUNT;
    float[] features = new float[frames * fc];
    float[] targets = new float[frames * tc];
    FeatureExtractor noisyFeatures = new FeatureExtractor();
    FeatureExtractor cleanFeatures = new FeatureExtractor();
    float[] gains = new float[FeatureExtractor.BANDS];
    for (int t = 0; t < frames; t++) {
      int offset = t * FeatureExtractor.HOP;
      noisyFeatures.process(noisy, offset);
      cleanFeatures.process(clean, offset);
      System.arraycopy(noisyFeatures.features(), 0, features, t * fc, fc);
      TrainingTargets.idealGains(cleanFeatures.bandEnergy(), noisyFeatures.bandEnergy(), gains);
      System.arraycopy(gains, 0, targets, t * tc, FeatureExtractor.BANDS);
      targets[t * tc + TrainingTargets.VAD] = TrainingTargets.vad(cleanFeatures.framePower());
    }
    return new TrainingFrames(frames, features, targets);
  }

  public int frames() {
    return frames;
  }

  /** Features, {@code frames × FEATURE_COUNT} row-major (this object's own array). */
  public float[] features() {
    return features;
  }

  /** Targets, {@code frames × TrainingTargets.COUNT} row-major (this object's own array). */
  public float[] targets() {
    return targets;
  }

  /** Writes the rows as little-endian float32 (see the class comment). Does not close. */
  public void writeData(OutputStream out) throws IOException {
    int fc = FeatureExtractor.FEATURE_COUNT;
    int tc = TrainingTargets.COUNT;
    ByteBuffer row = ByteBuffer.allocate(4 * (fc + tc)).order(ByteOrder.LITTLE_ENDIAN);
    for (int t = 0; t < frames; t++) {
      row.clear();
      for (int i = 0; i < fc; i++) {
        row.putFloat(features[t * fc + i]);
      }
      for (int i = 0; i < tc; i++) {
        row.putFloat(targets[t * tc + i]);
      }
      out.write(row.array(), 0, row.position());
    }
  }

  /**
   * The JSON header: format, counts, feature version, framing and the layout offsets, plus
   * {@code extra} string fields (for example the source files and the seed), sorted by key.
   */
  public String headerJson(Map<String, String> extra) {
    StringBuilder json = new StringBuilder();
    json.append("{\n");
    field(json, "format", quote(FORMAT));
    field(json, "feature_version", FeatureExtractor.FEATURE_VERSION);
    field(json, "frames", frames);
    field(json, "feature_count", FeatureExtractor.FEATURE_COUNT);
    field(json, "target_count", TrainingTargets.COUNT);
    field(json, "dtype", quote("float32"));
    field(json, "byte_order", quote("little"));
    field(json, "row", quote("features then targets"));
    field(json, "sample_rate", FeatureExtractor.SAMPLE_RATE);
    field(json, "hop_samples", FeatureExtractor.HOP);
    field(json, "window_samples", FeatureExtractor.WINDOW);
    field(json, "fft_size", FeatureExtractor.FFT_SIZE);
    field(json, "bands", FeatureExtractor.BANDS);
    field(json, "feature_offsets", String.format(Locale.ROOT,
        "{\"cepstrum\": %d, \"delta\": %d, \"delta2\": %d, \"pitch_correlation\": %d, "
            + "\"pitch_period\": %d, \"non_stationarity\": %d}",
        FeatureExtractor.CEPSTRUM, FeatureExtractor.DELTA, FeatureExtractor.DELTA2,
        FeatureExtractor.PITCH_CORRELATION, FeatureExtractor.PITCH_PERIOD,
        FeatureExtractor.NON_STATIONARITY));
    field(json, "target_offsets", String.format(Locale.ROOT,
        "{\"gains\": 0, \"vad\": %d}", TrainingTargets.VAD));
    field(json, "gain_undefined", String.format(Locale.ROOT, "%.1f", TrainingTargets.UNDEFINED));
    for (Map.Entry<String, String> e : new TreeMap<>(extra).entrySet()) {
      field(json, e.getKey(), quote(e.getValue()));
    }
    json.setLength(json.length() - 2);
    json.append("\n}\n");
    return json.toString();
  }

  private static void field(StringBuilder json, String key, Object rawValue) {
    json.append("  ").append(quote(key)).append(": ").append(rawValue).append(",\n");
  }

  /** A JSON string literal. */
  static String quote(String s) {
    StringBuilder q = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        q.append('\\').append(c);
      } else if (c < 0x20) {
        q.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        q.append(c);
      }
    }
    return q.append('"').toString();
  }
}
