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
    return SubcommandRunner.run(new FeaturesCommand(), err, args);
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

  @Test
  void listModeWritesEveryPairLikeSingleRunsAndSkipsFinishedOnes() throws IOException {
    StringWriter err = new StringWriter();
    StringBuilder list = new StringBuilder("# clean noisy prefix\n\n");
    for (int k = 0; k < 3; k++) {
      float[] speech = SpeechLikeSignal.speech(48000, 0.3 + 0.1 * k, 50 + k);
      float[] noisy = SpeechLikeSignal.mix(speech,
          SpeechLikeSignal.noise(48000, 0.3 + 0.1 * k, 0.5, false, 60 + k), 3 * k);
      WavFiles.write(dir.resolve("c" + k + ".wav"), AudioClip.mono(48000, speech),
          WavEncoding.FLOAT32);
      WavFiles.write(dir.resolve("x" + k + ".wav"), AudioClip.mono(48000, noisy),
          WavEncoding.FLOAT32);
      // Relative paths resolve against the list's folder; one line uses tabs.
      list.append(k == 1
          ? "c1.wav\tx1.wav\tout/b1\n"
          : "c" + k + ".wav x" + k + ".wav out/b" + k + "\n");
      assertEquals(0, run(err, "--clean", dir.resolve("c" + k + ".wav").toString(), "--noisy",
          dir.resolve("x" + k + ".wav").toString(), "--out", dir.resolve("s" + k).toString()),
          err.toString());
    }
    Files.createDirectories(dir.resolve("out"));
    Path listFile = dir.resolve("pairs.txt");
    Files.writeString(listFile, list.toString(), StandardCharsets.UTF_8);
    assertEquals(0, run(err, "--list", listFile.toString()), err.toString());
    for (int k = 0; k < 3; k++) {
      byte[] batch = Files.readAllBytes(dir.resolve("out/b" + k + ".f32"));
      byte[] single = Files.readAllBytes(dir.resolve("s" + k + ".f32"));
      assertEquals(4L * 65 * (30 + 10 * k), batch.length);
      assertTrue(java.util.Arrays.equals(single, batch), "pair " + k);
      assertTrue(Files.exists(dir.resolve("out/b" + k + ".json")));
    }

    // Rerun: everything exists, so nothing is rewritten (a truncated data file stays truncated).
    Files.write(dir.resolve("out/b0.f32"), new byte[0]);
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new FeaturesCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    assertEquals(0, cli.execute("--list", listFile.toString()), err.toString());
    assertTrue(out.toString().contains("0 pairs written (0 frames), 3 skipped"), out.toString());
    assertEquals(0, Files.size(dir.resolve("out/b0.f32")));
    assertEquals(0, run(err, "--list", listFile.toString(), "--force"), err.toString());
    assertEquals(4L * 65 * 30, Files.size(dir.resolve("out/b0.f32")));

    // A bad line names its number; --list excludes the single-pair options.
    Files.writeString(listFile, "c0.wav x0.wav out/z0\nc1.wav x1.wav\n", StandardCharsets.UTF_8);
    assertEquals(1, run(err, "--list", listFile.toString()));
    assertTrue(err.toString().contains("line 2: expected 3 fields"), err.toString());
    assertEquals(2, run(err, "--list", listFile.toString(), "--out", dir.resolve("q").toString()));
  }
}
