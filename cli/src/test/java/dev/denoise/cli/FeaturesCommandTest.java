package dev.denoise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoise.core.audio.SpeechLikeSignal;
import dev.denoise.core.audio.rnn.FeatureExtractor;
import dev.denoise.core.audio.rnn.TrainingFrames;
import dev.denoise.core.audio.rnn.TrainingTargets;
import dev.denoise.core.audio.wav.AudioClip;
import dev.denoise.core.audio.wav.WavEncoding;
import dev.denoise.core.audio.wav.WavFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs {@link FeaturesCommand} on its own (it is registered in DenoiseCli separately). */
class FeaturesCommandTest {
  @TempDir
  Path dir;

  private static int run(StringWriter err, String... args) {
    CommandLine cli = new CommandLine(new FeaturesCommand());
    cli.setOut(new PrintWriter(new StringWriter(), true));
    cli.setErr(new PrintWriter(err, true));
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println("denoise: " + DenoiseCli.oneLine(e));
      return 1;
    });
    return cli.execute(args);
  }

  @Test
  void writesTheSameFramesAsTheCoreForACleanAndNoisePair() throws IOException {
    float[] speech = SpeechLikeSignal.speech(48000, 1, 41);
    float[] noise = SpeechLikeSignal.noise(48000, 1.2, 0.5, false, 42);
    Path c = dir.resolve("clean.wav");
    Path n = dir.resolve("noise.wav");
    WavFiles.write(c, AudioClip.mono(48000, speech), WavEncoding.FLOAT32);
    WavFiles.write(n, AudioClip.mono(48000, noise), WavEncoding.FLOAT32);
    Path prefix = dir.resolve("pair");
    StringWriter err = new StringWriter();
    assertEquals(0, run(err, "--clean", c.toString(), "--noise", n.toString(), "--snr", "5",
        "--out", prefix.toString()), err.toString());

    float[] noisy = SpeechLikeSignal.mix(speech, java.util.Arrays.copyOf(noise, speech.length), 5);
    TrainingFrames expected = TrainingFrames.compute(speech, noisy);
    byte[] bytes = Files.readAllBytes(dir.resolve("pair.f32"));
    int row = FeatureExtractor.FEATURE_COUNT + TrainingTargets.COUNT;
    assertEquals(100, expected.frames());
    assertEquals(4L * row * expected.frames(), bytes.length);
    ByteBuffer data = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    for (int f = 0; f < expected.frames(); f++) {
      for (int i = 0; i < FeatureExtractor.FEATURE_COUNT; i++) {
        assertEquals(expected.features()[f * FeatureExtractor.FEATURE_COUNT + i],
            data.getFloat(), "frame " + f + " feature " + i);
      }
      for (int i = 0; i < TrainingTargets.COUNT; i++) {
        assertEquals(expected.targets()[f * TrainingTargets.COUNT + i], data.getFloat());
      }
    }
    String header = Files.readString(dir.resolve("pair.json"), StandardCharsets.UTF_8);
    assertTrue(header.contains("\"frames\": 100,"), header);
    assertTrue(header.contains("\"feature_version\": " + FeatureExtractor.FEATURE_VERSION), header);
    assertTrue(header.contains("\"snr_db\": \"5.000\""), header);
    assertTrue(header.contains("\"data_file\": \"pair.f32\""), header);

    // Outputs exist now: refused without --force.
    assertEquals(1, run(err, "--clean", c.toString(), "--noise", n.toString(),
        "--out", prefix.toString()));
    assertTrue(err.toString().contains("--force"), err.toString());
  }

  @Test
  void acceptsANoisyFileAndRefusesBadCombinations() throws IOException {
    float[] speech = SpeechLikeSignal.speech(16000, 0.5, 43);
    float[] noisy = SpeechLikeSignal.mix(speech, SpeechLikeSignal.noise(16000, 0.5, 0, false, 44), 0);
    Path c = dir.resolve("c16.wav");
    Path x = dir.resolve("x16.wav");
    WavFiles.write(c, AudioClip.mono(16000, speech), WavEncoding.PCM_S16);
    WavFiles.write(x, AudioClip.mono(16000, noisy), WavEncoding.PCM_S16);
    StringWriter err = new StringWriter();
    assertEquals(0, run(err, "--clean", c.toString(), "--noisy", x.toString(),
        "--out", dir.resolve("resampled").toString()), err.toString());
    assertEquals(4L * 65 * 50, Files.size(dir.resolve("resampled.f32")));

    assertEquals(2, run(err, "--clean", c.toString(), "--out", dir.resolve("a").toString()));
    assertEquals(2, run(err, "--clean", c.toString(), "--noise", x.toString(), "--noisy",
        x.toString(), "--out", dir.resolve("b").toString()));
    assertEquals(1, run(err, "--clean", c.toString(), "--noisy", x.toString(), "--snr", "3",
        "--out", dir.resolve("d").toString()));
    assertFalse(Files.exists(dir.resolve("d.f32")));
  }
}
