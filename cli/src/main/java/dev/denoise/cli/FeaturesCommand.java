package dev.denoise.cli;

import dev.denoise.core.audio.Resampler;
import dev.denoise.core.audio.SpeechLikeSignal;
import dev.denoise.core.audio.rnn.FeatureExtractor;
import dev.denoise.core.audio.rnn.TrainingFrames;
import dev.denoise.core.audio.wav.AudioClip;
import dev.denoise.core.audio.wav.WavFiles;
import dev.denoise.core.audio.wav.WavFormatException;
import dev.denoise.core.io.AtomicOutputFile;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code denoise features --clean C.wav (--noise N.wav [--snr DB] | --noisy X.wav) --out PREFIX}
 * or {@code denoise features --list PAIRS.txt}: dumps the neural voice path's features and
 * training targets ({@link TrainingFrames}) for a
 * clean/noisy pair, computed by the same code the denoiser runs.
 *
 * <p>Both inputs are mixed down to mono and resampled to 48 kHz. With {@code --noise}, the noisy
 * signal is {@code clean + g·noise} (the noise cut to the clean length; {@code g = 1}, or chosen
 * for {@code --snr}); with {@code --noisy}, the two files must be time aligned and may differ in
 * length by up to 1% (the longer is cut). Writes {@code PREFIX.f32} (rows of little-endian
 * float32: 42 features then 23 targets) and then {@code PREFIX.json} (the header: counts,
 * feature version, layout, sources), each atomically; the header appears last, so its presence
 * means the pair is complete.
 *
 * <p>Batch mode ({@code --list}): one JVM for many pairs, for training-set builders. Each line of
 * the list is {@code CLEAN.wav NOISY.wav PREFIX} (three fields separated by tabs, or by spaces
 * when the line holds no tab; relative paths resolve against the list's folder); blank lines and
 * lines starting with {@code #} are skipped. Every pair is handled as {@code --noisy}. A pair
 * whose {@code PREFIX.json} already exists is skipped unless {@code --force}, so an interrupted
 * batch can be rerun. The first failing pair stops the batch with its line number.
 */
@Command(name = "features", mixinStandardHelpOptions = true,
    description = "Write neural-path features and ideal-gain targets of a clean/noisy pair.")
final class FeaturesCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--clean", paramLabel = "C.wav", description = "Clean speech.")
  Path clean;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Noise noise;

  @Option(names = "--list", paramLabel = "PAIRS.txt",
      description = "Batch mode: lines of CLEAN.wav NOISY.wav PREFIX (instead of --clean/--out).")
  Path list;

  static final class Noise {
    @Option(names = "--noise", paramLabel = "N.wav", description = "Noise to add to CLEAN.")
    Path noise;

    @Option(names = "--noisy", paramLabel = "X.wav",
        description = "CLEAN plus noise, already mixed and time aligned.")
    Path noisy;
  }

  @Option(names = "--snr", paramLabel = "DB",
      description = "With --noise: scale the noise to this SNR over the whole file.")
  Double snrDb;

  @Option(names = "--out", paramLabel = "PREFIX",
      description = "Writes PREFIX.f32 and PREFIX.json.")
  Path out;

  @Option(names = "--force", description = "Replace existing outputs.")
  boolean force;

  @Override
  public Integer call() throws IOException {
    PrintWriter stdout = spec.commandLine().getOut();
    if (list != null) {
      if (clean != null || noise != null || out != null || snrDb != null) {
        throw new ParameterException(spec.commandLine(),
            "--list takes the pairs from the file: no --clean, --noise, --noisy, --snr or --out");
      }
      return runList(stdout);
    }
    if (clean == null || noise == null || out == null) {
      throw new ParameterException(spec.commandLine(),
          "give --clean, one of --noise/--noisy, and --out (or --list)");
    }
    if (snrDb != null && noise.noise == null) {
      throw new IllegalArgumentException("--snr needs --noise (a --noisy file is used as is)");
    }
    stdout.println(dumpPair(clean, noise.noise, noise.noisy, snrDb, out, force));
    return 0;
  }

  /** Batch mode: dumps every pair of {@link #list}; see the class comment for the format. */
  private int runList(PrintWriter stdout) throws IOException {
    List<String> lines = Files.readAllLines(list, StandardCharsets.UTF_8);
    Path base = list.toAbsolutePath().getParent();
    int done = 0;
    int skipped = 0;
    long frames = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] fields = line.indexOf('\t') >= 0 ? line.split("\t") : line.split("\\s+");
      if (fields.length != 3) {
        throw new IllegalArgumentException(String.format(
            "%s line %d: expected 3 fields (CLEAN NOISY PREFIX), found %d",
            list, i + 1, fields.length));
      }
      Path c = base.resolve(fields[0].strip());
      Path x = base.resolve(fields[1].strip());
      Path prefix = base.resolve(fields[2].strip());
      if (!force && Files.exists(sibling(prefix, ".json"))) {
        skipped++;
        continue;
      }
      try {
        frames += dumpFrames(c, null, x, null, prefix, force).frames();
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException(String.format(
            "%s line %d: %s", list, i + 1, DenoiseCli.oneLine(e)), e);
      }
      done++;
    }
    stdout.println(String.format(Locale.ROOT,
        "%d pairs written (%d frames), %d skipped (outputs exist)", done, frames, skipped));
    return 0;
  }

  /** Dumps one pair and returns the summary line. */
  private static String dumpPair(Path clean, Path noisePath, Path noisyPath, Double snrDb,
      Path out, boolean force) throws IOException {
    TrainingFrames frames = dumpFrames(clean, noisePath, noisyPath, snrDb, out, force);
    return String.format(Locale.ROOT, "%d frames x (%d features + %d targets) -> %s",
        frames.frames(), FeatureExtractor.FEATURE_COUNT,
        frames.targets().length / Math.max(1, frames.frames()), sibling(out, ".f32"));
  }

  /**
   * Computes and writes the frames of one pair: exactly one of {@code noisePath} (added to the
   * clean signal, scaled to {@code snrDb} when not null) and {@code noisyPath} is not null.
   */
  private static TrainingFrames dumpFrames(Path clean, Path noisePath, Path noisyPath,
      Double snrDb, Path out, boolean force) throws IOException {
    float[] speech = mono48k(clean);
    float[] noisy;
    Map<String, String> extra = new TreeMap<>();
    extra.put("clean", clean.toString());
    if (noisePath != null) {
      float[] n = mono48k(noisePath);
      if (n.length < speech.length) {
        throw new IllegalArgumentException(String.format(
            "noise is shorter than clean: noise %d samples, clean %d samples at 48000 Hz",
            n.length, speech.length));
      }
      n = Arrays.copyOf(n, speech.length);
      if (snrDb != null) {
        noisy = SpeechLikeSignal.mix(speech, n, snrDb);
        extra.put("snr_db", String.format(Locale.ROOT, "%.3f", snrDb));
      } else {
        noisy = new float[speech.length];
        for (int i = 0; i < noisy.length; i++) {
          noisy[i] = speech[i] + n[i];
        }
      }
      extra.put("noise", noisePath.toString());
    } else {
      float[][] pair = alignedPair(speech, mono48k(noisyPath));
      speech = pair[0];
      noisy = pair[1];
      extra.put("noisy", noisyPath.toString());
    }
    if (speech.length < FeatureExtractor.HOP) {
      throw new IllegalArgumentException("the input is shorter than one 10 ms frame");
    }
    TrainingFrames frames = TrainingFrames.compute(speech, noisy);
    Path data = sibling(out, ".f32");
    Path header = sibling(out, ".json");
    extra.put("data_file", data.getFileName().toString());
    try (AtomicOutputFile target = AtomicOutputFile.create(data, force, clean)) {
      OutputStream buffered = new BufferedOutputStream(target.outputStream(), 1 << 16);
      frames.writeData(buffered);
      buffered.flush();
      target.commit();
    }
    try (AtomicOutputFile target = AtomicOutputFile.create(header, force, clean)) {
      target.outputStream().write(frames.headerJson(extra).getBytes(StandardCharsets.UTF_8));
      target.commit();
    }
    return frames;
  }

  /**
   * A clean signal and its time-aligned noisy version cut to the shorter length; refuses lengths
   * that differ by more than 1 % (not the same recording).
   */
  static float[][] alignedPair(float[] clean, float[] noisy) {
    if (Math.abs(noisy.length - clean.length) > 0.01 * Math.max(noisy.length, clean.length)) {
      throw new IllegalArgumentException(String.format(
          "lengths differ by more than 1%%: clean %d samples, noisy %d samples at 48000 Hz",
          clean.length, noisy.length));
    }
    int n = Math.min(noisy.length, clean.length);
    return new float[][] {Arrays.copyOf(clean, n), Arrays.copyOf(noisy, n)};
  }

  private static Path sibling(Path prefix, String suffix) {
    return prefix.resolveSibling(prefix.getFileName() + suffix);
  }

  /** Reads a WAV as mono at 48 kHz, naming the file in any error. */
  static float[] mono48k(Path path) throws IOException {
    AudioClip clip;
    try {
      clip = WavFiles.read(path);
    } catch (WavFormatException e) {
      throw new WavFormatException(path + ": " + e.getMessage());
    }
    float[] mono = EvalAudioCommand.mono(clip);
    return clip.sampleRate() == FeatureExtractor.SAMPLE_RATE
        ? mono : Resampler.resample(mono, clip.sampleRate(), FeatureExtractor.SAMPLE_RATE);
  }
}
