package dev.denoise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoise.cli.CliTest.Run;
import dev.denoise.core.audio.SpeechLikeSignal;
import dev.denoise.core.audio.wav.AudioClip;
import dev.denoise.core.audio.wav.WavEncoding;
import dev.denoise.core.audio.wav.WavFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code denoise audio --method neural --model M.tflite} with the seeded random-weight test model
 * from tflite-models' test jar: it checks the plumbing (model per channel, manifest checks,
 * resampling around the 48 kHz model), not denoising quality.
 */
class NeuralAudioTest {
  @TempDir
  Path dir;

  private Path testModel(String stem) throws IOException {
    for (String suffix : new String[] {".tflite", ".manifest.json"}) {
      try (InputStream in = NeuralAudioTest.class.getResourceAsStream(
          "/dev/denoise/tflite/testmodel/" + stem + suffix)) {
        Files.copy(in, dir.resolve(stem + suffix));
      }
    }
    return dir.resolve(stem + ".tflite");
  }

  private Path mixture(int rate, int channels) throws IOException {
    float[][] data = new float[channels][];
    for (int c = 0; c < channels; c++) {
      data[c] = SpeechLikeSignal.mix(SpeechLikeSignal.speech(rate, 1.5, 30 + c),
          SpeechLikeSignal.noise(rate, 1.5, 0.5, false, 40 + c), 5);
    }
    Path path = dir.resolve("in" + rate + ".wav");
    WavFiles.write(path, new AudioClip(rate, data), WavEncoding.PCM_S16);
    return path;
  }

  @Test
  void denoisesEachChannelWithTheGivenModel() throws IOException {
    Path model = testModel("gain_float32");
    Path in = mixture(48000, 2);
    Path out = dir.resolve("out.wav");
    Run r = CliTest.run("audio", in.toString(), out.toString(), "--quiet", "--method", "neural",
        "--model", model.toString());
    assertEquals(0, r.code(), r.err());
    AudioClip input = WavFiles.read(in);
    AudioClip result = WavFiles.read(out);
    assertEquals(2, result.channelCount());
    assertEquals(input.frameCount(), result.frameCount());
    for (int c = 0; c < 2; c++) {
      double energy = 0;
      for (float x : result.channel(c)) {
        assertTrue(Float.isFinite(x));
        energy += x * x;
      }
      assertTrue(energy > 0, "channel " + c + " is silent");
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {8000, 16000, 44100})
  void otherRatesAreResampledAroundTheModel(int rate) throws IOException {
    Path in = mixture(rate, 1);
    Path out = dir.resolve("out" + rate + ".wav");
    Run r = CliTest.run("audio", in.toString(), out.toString(), "--quiet", "--method", "neural",
        "--model", testModel("gain_float32").toString());
    assertEquals(0, r.code(), r.err());
    AudioClip result = WavFiles.read(out);
    assertEquals(rate, result.sampleRate());
    assertEquals(WavFiles.read(in).frameCount(), result.frameCount());
    double energy = 0;
    for (float x : result.channel(0)) {
      assertTrue(Float.isFinite(x));
      energy += x * x;
    }
    assertTrue(energy > 0, "output is silent");
  }

  @Test
  void refusesOtherRatesAndBadModelsInOneLine() throws IOException {
    Path model = testModel("gain_int8");
    Path out = dir.resolve("out.wav");
    Run rate = CliTest.run("audio", mixture(11025, 1).toString(), out.toString(), "--quiet",
        "--method", "neural", "--model", model.toString());
    assertEquals(1, rate.code());
    assertTrue(rate.err().contains("cannot resample 11025 Hz"), rate.err());
    Path manifest = dir.resolve("gain_int8.manifest.json");
    Files.writeString(manifest, Files.readString(manifest).replace("770fb769", "00000000"));
    Run sha = CliTest.run("audio", mixture(48000, 1).toString(), out.toString(), "--quiet",
        "--method", "neural", "--model", model.toString());
    assertEquals(1, sha.code());
    assertTrue(sha.err().startsWith("denoise: ") && sha.err().contains("sha256")
        && sha.err().trim().lines().count() == 1, sha.err());
    assertFalse(Files.exists(out));
  }
}
