package dev.denoise.tflite;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoise.core.audio.SpeechLikeSignal;
import dev.denoise.core.audio.classic.Strength;
import dev.denoise.core.audio.rnn.FeatureExtractor;
import dev.denoise.core.audio.rnn.NeuralDenoiser;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The whole neural path on real features with the TFLite adapter (random-weight test model). */
class NeuralDenoiserWithTfliteTest {
  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {TestModels.FLOAT32, TestModels.INT8})
  void threeHundredFramesStayFiniteAndBounded(String stem) throws IOException {
    int rate = FeatureExtractor.SAMPLE_RATE;
    int hop = FeatureExtractor.HOP;
    float[] noisy = SpeechLikeSignal.mix(SpeechLikeSignal.speech(rate, 3.2, 11),
        SpeechLikeSignal.noise(rate, 3.2, 0.5, true, 12), 5);
    TfliteGainModel model = TfliteGainModel.open(TestModels.copy(stem, dir),
        TfliteGainModel.Options.DEFAULT);
    try (NeuralDenoiser denoiser = new NeuralDenoiser(model, Strength.DEFAULT, true)) {
      float[] out = new float[hop];
      double inEnergy = 0;
      double outEnergy = 0;
      int frames = 300;
      for (int f = 0; f < frames; f++) {
        denoiser.process(noisy, f * hop, out, 0);
        for (int i = 0; i < hop; i++) {
          float x = out[i];
          assertTrue(Float.isFinite(x) && Math.abs(x) < 2, "frame " + f + " sample " + i + ": " + x);
          outEnergy += (double) x * x;
          inEnergy += (double) noisy[f * hop + i] * noisy[f * hop + i];
        }
        float vad = denoiser.lastVadProbability();
        assertTrue(vad >= 0 && vad <= 1, "frame " + f + " vad " + vad);
      }
      // Gains are in [0, 1]: the output cannot carry much more energy than the input.
      assertTrue(outEnergy > 0 && outEnergy <= 1.1 * inEnergy,
          "energy in " + inEnergy + ", out " + outEnergy);
    }
  }
}
