package dev.denoise.cli;

import dev.denoise.core.audio.AlignedProcessor;
import dev.denoise.core.audio.SpeechLikeSignal;
import dev.denoise.core.audio.classic.ClassicDenoiser;
import dev.denoise.core.audio.classic.ClassicMethod;
import dev.denoise.core.audio.classic.Strength;
import dev.denoise.core.audio.rnn.NeuralVoiceStage;
import dev.denoise.core.audio.wav.AudioClip;
import dev.denoise.core.audio.wav.WavEncoding;
import dev.denoise.core.audio.wav.WavFiles;
import dev.denoise.core.io.AtomicOutputFile;
import dev.denoise.core.metrics.SiSdr;
import dev.denoise.core.metrics.Stoi;
import dev.denoise.tflite.InvalidModelException;
import dev.denoise.tflite.TfliteGainModel;
import dev.denoise.tflite.VoiceModels;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code denoise demo}: the quick start. Generates a seeded, speech-like signal in slowly
 * varying coloured noise at 48 kHz, denoises it with every voice method, writes the WAV files
 * and prints SI-SDR and STOI of each against the clean signal.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Denoise a generated sample with every method and print the metrics.")
final class DemoCommand implements Callable<Integer> {
  static final int RATE = 48000;

  @Spec
  CommandSpec spec;

  @Option(names = "--out", defaultValue = "denoise-demo", paramLabel = "DIR",
      description = "Folder for clean/noisy/denoised WAVs (default ${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--snr", defaultValue = "5", description = "Input SNR in dB (default 5).")
  double snrDb;

  @Option(names = "--seed", defaultValue = "2026", description = "Signal seed (default 2026).")
  long seed;

  @Option(names = "--force", description = "Replace files left by an earlier demo.")
  boolean force;

  /** Samples of warm-up for the neural rows, as {@code denoise audio} gives a file by default. */
  private static final int WARM_UP = (int) (NeuralVoiceStage.FILE_WARM_UP_SECONDS * RATE);

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    float[] clean = SpeechLikeSignal.speech(RATE, 8, seed);
    float[] noisy = SpeechLikeSignal.mix(
        clean, SpeechLikeSignal.noise(RATE, 8, 0.6, true, seed + 1), snrDb);
    Files.createDirectories(dir);
    write("clean.wav", clean);
    write("noisy.wav", noisy);
    out.println(String.format(Locale.ROOT,
        "generated 8 s of speech-like signal in slowly varying noise at %.1f dB SNR, 48 kHz", snrDb));
    out.println(String.format(Locale.ROOT, "%-32s %10s %8s", "file", "SI-SDR dB", "STOI"));
    row(out, "noisy.wav", clean, noisy);
    for (ClassicMethod method : ClassicMethod.values()) {
      float[] denoised = AlignedProcessor.processAll(
          ClassicDenoiser.newStage(method, RATE, Strength.DEFAULT, null), noisy);
      String name = "denoised-" + method.cliName() + ".wav";
      write(name, denoised);
      row(out, name, clean, denoised);
    }
    neural(out, clean, noisy);
    out.println("files in " + dir.toAbsolutePath());
    return 0;
  }

  /**
   * Every bundled float32 voice model (the shipped RNNoise-style one as {@code denoised-neural},
   * the others as {@code denoised-neural-<name>}: U-Net, CRN), when the desktop TFLite runtime can
   * run it here; otherwise one line says why and the demo goes on (the classic rows above stand
   * on their own).
   */
  private void neural(PrintWriter out, float[] clean, float[] noisy) throws IOException {
    for (String name : VoiceModels.bundled()) {
      if (name.endsWith("-int8")) {
        continue; // the desktop runtime's int8 kernels are reference speed; the eval covers int8
      }
      String file = name.equals("rnnoise") ? "denoised-neural.wav" : "denoised-neural-" + name + ".wav";
      float[] denoised;
      try (NeuralVoiceStage stage = VoiceModels.newDenoiser(VoiceModels.load(name),
          TfliteGainModel.Options.DEFAULT, Strength.DEFAULT)) {
        denoised = AlignedProcessor.processAll(stage, noisy, WARM_UP);
      } catch (InvalidModelException | UnsatisfiedLinkError e) {
        out.println(String.format(Locale.ROOT, "%-32s skipped: the voice model cannot run here: %s",
            file, e.getMessage()));
        continue;
      }
      write(file, denoised);
      row(out, file, clean, denoised);
    }
  }

  private void row(PrintWriter out, String name, float[] clean, float[] test) {
    out.println(String.format(Locale.ROOT, "%-32s %10.2f %8.3f",
        name, SiSdr.db(clean, test), Stoi.compute(clean, test, RATE)));
  }

  private void write(String name, float[] samples) throws IOException {
    try (AtomicOutputFile target = AtomicOutputFile.create(dir.resolve(name), force)) {
      WavFiles.write(target, AudioClip.mono(RATE, samples), WavEncoding.PCM_S16);
    }
  }
}
