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
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code denoise features --clean C.wav (--noise N.wav [--snr DB] | --noisy X.wav) --out PREFIX}:
 * dumps the neural voice path's features and training targets ({@link TrainingFrames}) for a
 * clean/noisy pair, computed by the same code the denoiser runs.
 *
 * <p>Both inputs are mixed down to mono and resampled to 48 kHz. With {@code --noise}, the noisy
 * signal is {@code clean + g·noise} (the noise cut to the clean length; {@code g = 1}, or chosen
 * for {@code --snr}); with {@code --noisy}, the two files must be time aligned and may differ in
 * length by up to 1% (the longer is cut). Writes {@code PREFIX.f32} (rows of little-endian
 * float32: 42 features then 23 targets) and then {@code PREFIX.json} (the header: counts,
 * feature version, layout, sources), each atomically; the header appears last, so its presence
 * means the pair is complete.
 */
@Command(name = "features", mixinStandardHelpOptions = true,
    description = "Write neural-path features and ideal-gain targets of a clean/noisy pair.")
final class FeaturesCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--clean", required = true, paramLabel = "C.wav", description = "Clean speech.")
  Path clean;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Noise noise;

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

  @Option(names = "--out", required = true, paramLabel = "PREFIX",
      description = "Writes PREFIX.f32 and PREFIX.json.")
  Path out;

  @Option(names = "--force", description = "Replace existing outputs.")
  boolean force;

  @Override
  public Integer call() throws IOException {
    PrintWriter stdout = spec.commandLine().getOut();
    if (snrDb != null && noise.noise == null) {
      throw new IllegalArgumentException("--snr needs --noise (a --noisy file is used as is)");
    }
    float[] speech = mono48k(clean);
    float[] noisy;
    Map<String, String> extra = new TreeMap<>();
    extra.put("clean", clean.toString());
    if (noise.noise != null) {
      float[] n = mono48k(noise.noise);
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
      extra.put("noise", noise.noise.toString());
    } else {
      noisy = mono48k(noise.noisy);
      if (Math.abs(noisy.length - speech.length) > 0.01 * Math.max(noisy.length, speech.length)) {
        throw new IllegalArgumentException(String.format(
            "lengths differ by more than 1%%: clean %d samples, noisy %d samples at 48000 Hz",
            speech.length, noisy.length));
      }
      int n = Math.min(noisy.length, speech.length);
      speech = Arrays.copyOf(speech, n);
      noisy = Arrays.copyOf(noisy, n);
      extra.put("noisy", noise.noisy.toString());
    }
    if (speech.length < FeatureExtractor.HOP) {
      throw new IllegalArgumentException("the input is shorter than one 10 ms frame");
    }
    TrainingFrames frames = TrainingFrames.compute(speech, noisy);
    Path data = sibling(".f32");
    Path header = sibling(".json");
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
    stdout.println(String.format(Locale.ROOT, "%d frames x (%d features + %d targets) -> %s",
        frames.frames(), FeatureExtractor.FEATURE_COUNT,
        frames.targets().length / Math.max(1, frames.frames()), data));
    return 0;
  }

  private Path sibling(String suffix) {
    return out.resolveSibling(out.getFileName() + suffix);
  }

  /** Reads a WAV as mono at 48 kHz, naming the file in any error. */
  private static float[] mono48k(Path path) throws IOException {
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
