package dev.denoise.cli;

import dev.denoise.core.audio.AlignedProcessor;
import dev.denoise.core.audio.classic.Strength;
import dev.denoise.core.audio.rnn.FeatureExtractor;
import dev.denoise.core.audio.rnn.NeuralDenoiser;
import dev.denoise.core.audio.rnn.OracleGainModel;
import dev.denoise.core.audio.rnn.TrainingFrames;
import dev.denoise.core.audio.wav.AudioClip;
import dev.denoise.core.audio.wav.WavEncoding;
import dev.denoise.core.audio.wav.WavFiles;
import dev.denoise.core.io.AtomicOutputFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code denoise oracle --clean C.wav --noisy X.wav OUT.wav}: the ceiling of the neural voice
 * path on one pair. The ideal band gains of {@link TrainingFrames} (computed from the known clean
 * signal, exactly the training targets) are replayed by an {@link OracleGainModel} through the
 * same {@link NeuralDenoiser} the models run in (pitch filter on unless {@code --no-pitch-filter},
 * the default strength), so any trained model's score can be read against what perfect band gains
 * reach. Inputs are mixed to mono and resampled to 48 kHz like {@code features --noisy}; the
 * output is mono 48 kHz float32, latency removed, written atomically (never over an input, an
 * existing file only with {@code --force}).
 */
@Command(name = "oracle", mixinStandardHelpOptions = true,
    description = "Denoise NOISY with the ideal band gains computed from CLEAN (the neural path's ceiling).")
final class OracleCommand implements Callable<Integer> {
  @Option(names = "--clean", required = true, paramLabel = "C.wav", description = "Clean speech.")
  Path clean;

  @Option(names = "--noisy", required = true, paramLabel = "X.wav",
      description = "CLEAN plus noise, time aligned.")
  Path noisy;

  @Parameters(index = "0", paramLabel = "OUT.wav", description = "Output (mono, 48 kHz, float32).")
  Path output;

  @Option(names = "--no-pitch-filter", description = "Band gains only, without the pitch filter.")
  boolean noPitchFilter;

  @Option(names = "--force", description = "Replace OUT.wav if it exists.")
  boolean force;

  @Override
  public Integer call() throws IOException {
    float[][] pair = FeaturesCommand.alignedPair(
        FeaturesCommand.mono48k(clean), FeaturesCommand.mono48k(noisy));
    if (pair[0].length < FeatureExtractor.HOP) {
      throw new IllegalArgumentException("the input is shorter than one 10 ms frame");
    }
    NeuralDenoiser denoiser = new NeuralDenoiser(
        new OracleGainModel(TrainingFrames.compute(pair[0], pair[1])), Strength.DEFAULT,
        !noPitchFilter);
    float[] out = AlignedProcessor.processAll(denoiser, pair[1]);
    try (AtomicOutputFile target = AtomicOutputFile.create(output, force, clean, noisy)) {
      WavFiles.write(target, AudioClip.mono(FeatureExtractor.SAMPLE_RATE, out), WavEncoding.FLOAT32);
    }
    return 0;
  }
}
