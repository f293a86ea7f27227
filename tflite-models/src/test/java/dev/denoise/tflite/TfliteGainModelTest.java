package dev.denoise.tflite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoise.core.audio.AllocationProbe;
import dev.denoise.core.audio.rnn.FeatureExtractor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The adapter on the desktop 2.6 runtime against TFLite's Python interpreter (TF 2.21). */
class TfliteGainModelTest {
  @TempDir
  Path dir;

  /**
   * Tolerance per model: float32 1e-5 (same kernels up to summation order); int8 three output
   * steps (1/256 each for gains and VAD): the 2.6 and 2.21 int8 kernels may round a step
   * differently, and a step in a state is carried into later frames.
   */
  static Stream<Arguments> variants() {
    return Stream.of(
        Arguments.of(TestModels.FLOAT32, Delegate.CPU, 1e-5f),
        Arguments.of(TestModels.FLOAT32, Delegate.XNNPACK, 1e-5f),
        Arguments.of(TestModels.INT8, Delegate.CPU, 3f / 256),
        Arguments.of(TestModels.INT8, Delegate.XNNPACK, 3f / 256));
  }

  private TfliteGainModel open(String stem, Delegate delegate) throws IOException {
    return TfliteGainModel.open(TestModels.copy(stem, dir), new TfliteGainModel.Options(1,
        delegate));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("variants")
  void reproducesThePythonInterpreterOverTwentyFrames(String stem, Delegate delegate,
      float tolerance) throws IOException {
    float[][] features = TestModels.golden(stem, "features");
    float[][] gains = TestModels.golden(stem, "gains");
    float[][] vad = TestModels.golden(stem, "vad");
    assertEquals(20, features.length);
    try (TfliteGainModel model = open(stem, delegate)) {
      float[] g = new float[FeatureExtractor.BANDS];
      float worst = 0;
      for (int t = 0; t < features.length; t++) {
        float v = model.infer(features[t], g);
        for (int b = 0; b < g.length; b++) {
          worst = Math.max(worst, Math.abs(g[b] - gains[t][b]));
        }
        worst = Math.max(worst, Math.abs(v - vad[t][0]));
        assertArrayEquals(gains[t], g, tolerance, "gains, frame " + t);
        assertEquals(vad[t][0], v, tolerance, "vad, frame " + t);
      }
      assertTrue(worst <= tolerance, "largest difference " + worst);
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("variants")
  void stateCarriesAcrossFramesAndResetRestoresIt(String stem, Delegate delegate, float unused)
      throws IOException {
    float[][] features = TestModels.golden(stem, "features");
    try (TfliteGainModel model = open(stem, delegate)) {
      float[][] first = run(model, features);
      model.reset();
      float[][] second = run(model, features);
      for (int t = 0; t < features.length; t++) {
        assertArrayEquals(first[t], second[t], 0f, "frame " + t + " after reset");
      }
      // The same features with the state of frame 0: the outputs must differ from frame 10's.
      model.reset();
      float[] g = new float[FeatureExtractor.BANDS];
      model.infer(features[10], g);
      assertFalse(Arrays.equals(Arrays.copyOf(first[10], FeatureExtractor.BANDS), g),
          "frame 10 without its history gave the same gains: the state is not carried");
    }
  }

  /** Gains (and VAD last) of every frame. */
  private static float[][] run(TfliteGainModel model, float[][] features) {
    float[][] out = new float[features.length][FeatureExtractor.BANDS + 1];
    for (int t = 0; t < features.length; t++) {
      out[t][FeatureExtractor.BANDS] = model.infer(features[t], out[t]);
    }
    return out;
  }

  @Test
  void aModelWithoutSignatureIsBoundByTensorNames() throws IOException {
    float[][] features = TestModels.golden(TestModels.FLOAT32, "features");
    float[][] gains = TestModels.golden(TestModels.FLOAT32, "gains");
    float[][] vad = TestModels.golden(TestModels.FLOAT32, "vad");
    try (TfliteGainModel model = open(TestModels.UNSIGNED_FLOAT32, Delegate.CPU)) {
      float[] g = new float[FeatureExtractor.BANDS];
      for (int t = 0; t < features.length; t++) {
        float v = model.infer(features[t], g);
        assertArrayEquals(gains[t], g, 1e-5f, "gains, frame " + t);
        assertEquals(vad[t][0], v, 1e-5f, "vad, frame " + t);
      }
    }
  }

  @Test
  void reportsTheCoreShapesAndVersion() throws IOException {
    try (TfliteGainModel model = open(TestModels.FLOAT32, Delegate.CPU)) {
      assertEquals(FeatureExtractor.FEATURE_VERSION, model.featureVersion());
      assertEquals(FeatureExtractor.FEATURE_COUNT, model.featureCount());
      assertEquals(FeatureExtractor.BANDS, model.bandCount());
      assertTrue(TfliteGainModel.runtime().startsWith("2."), TfliteGainModel.runtime());
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("variants")
  void inferAllocatesNothingInSteadyState(String stem, Delegate delegate, float unused)
      throws IOException {
    float[][] features = TestModels.golden(stem, "features");
    try (TfliteGainModel model = open(stem, delegate)) {
      float[] g = new float[FeatureExtractor.BANDS];
      Runnable run = () -> {
        for (int f = 0; f < 2000; f++) {
          model.infer(features[f % features.length], g);
        }
      };
      for (int warmUp = 0; warmUp < 5; warmUp++) {
        run.run();
      }
      // A run can still catch the JIT replacing code (about 1 kB once, seen on the first
      // model of the suite); an allocation per frame would show in every run.
      long least = Long.MAX_VALUE;
      for (int attempt = 0; attempt < 3 && least > 0; attempt++) {
        least = Math.min(least, AllocationProbe.measure(run));
      }
      assertEquals(0, least, "bytes allocated in 2,000 frames (least of up to 3 runs)");
    }
  }

  @Test
  void refusesShortArraysWithTheSizes() throws IOException {
    try (TfliteGainModel model = open(TestModels.FLOAT32, Delegate.CPU)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> model.infer(new float[41], new float[22]));
      assertTrue(e.getMessage().contains("features.length=41 (need 42)"), e.getMessage());
    }
  }

  @Test
  void closingTwiceIsSafe() throws IOException {
    TfliteGainModel model = open(TestModels.INT8, Delegate.CPU);
    model.close();
    model.close();
  }

  @Test
  void nanFeaturesDoNotThrow() throws IOException {
    for (String stem : new String[] {TestModels.FLOAT32, TestModels.INT8}) {
      try (TfliteGainModel model = open(stem, Delegate.CPU)) {
        float[] f = new float[FeatureExtractor.FEATURE_COUNT];
        Arrays.fill(f, Float.NaN);
        float[] g = new float[FeatureExtractor.BANDS];
        model.infer(f, g);
        model.reset();
      }
    }
  }
}
