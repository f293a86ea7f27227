package dev.denoise.tflite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoise.core.audio.AllocationProbe;
import dev.denoise.core.audio.SpeechLikeSignal;
import dev.denoise.core.audio.classic.Strength;
import dev.denoise.core.audio.mask.SpectralMaskDenoiser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The spectral-mask adapter on the desktop 2.6 runtime against TFLite's Python interpreter
 * (TF 2.21), on the seeded test models of {@code training/make_test_mask_model.py}: a GRU state
 * and a [1, 2, 16] causal-conv history carried across frames.
 */
class TfliteMaskModelTest {
  private static final int BINS = 513;

  @TempDir
  Path dir;

  /**
   * Tolerance per model: float32 1e-5 (same kernels up to summation order); int8 three output
   * steps (1/256 each): the 2.6 and 2.21 int8 kernels may round a step differently, and a step
   * in a state is carried into later frames.
   */
  static Stream<Arguments> variants() {
    return Stream.of(
        Arguments.of(TestModels.MASK_FLOAT32, Delegate.CPU, 1e-5f),
        Arguments.of(TestModels.MASK_FLOAT32, Delegate.XNNPACK, 1e-5f),
        Arguments.of(TestModels.MASK_INT8, Delegate.CPU, 3f / 256),
        Arguments.of(TestModels.MASK_INT8, Delegate.XNNPACK, 3f / 256),
        Arguments.of(TestModels.COMPLEX_MASK_FLOAT32, Delegate.CPU, 1e-5f),
        Arguments.of(TestModels.COMPLEX_MASK_FLOAT32, Delegate.XNNPACK, 1e-5f));
  }

  private TfliteMaskModel open(String stem, Delegate delegate) throws IOException {
    return TfliteMaskModel.open(TestModels.copy(stem, dir),
        new TfliteGainModel.Options(1, delegate));
  }

  private TfliteMaskModel openEdited(String stem, UnaryOperator<String> edit) throws IOException {
    return TfliteMaskModel.open(TestModels.copy(stem, dir, edit), TfliteGainModel.Options.DEFAULT);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("variants")
  void reproducesThePythonInterpreterOverTwentyFrames(String stem, Delegate delegate,
      float tolerance) throws IOException {
    float[][] spectrum = TestModels.golden(stem, "spectrum");
    boolean complex = stem.equals(TestModels.COMPLEX_MASK_FLOAT32);
    float[][] expectedRe = TestModels.golden(stem, complex ? "mask_re" : "mask");
    float[][] expectedIm = complex ? TestModels.golden(stem, "mask_im") : null;
    assertEquals(20, spectrum.length);
    try (TfliteMaskModel model = open(stem, delegate)) {
      assertEquals(BINS, model.bins());
      assertEquals(complex, model.complexMask());
      float[] re = new float[BINS];
      float[] im = new float[BINS];
      float worst = 0;
      for (int t = 0; t < spectrum.length; t++) {
        model.infer(spectrum[t], re, im);
        for (int k = 0; k < BINS; k++) {
          worst = Math.max(worst, Math.abs(re[k] - expectedRe[t][k]));
          if (complex) {
            worst = Math.max(worst, Math.abs(im[k] - expectedIm[t][k]));
          }
        }
        assertArrayEquals(expectedRe[t], re, tolerance, "mask (real part), frame " + t);
        if (complex) {
          assertArrayEquals(expectedIm[t], im, tolerance, "mask_im, frame " + t);
        }
      }
      assertTrue(worst <= tolerance, "largest difference " + worst);
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("variants")
  void stateCarriesAcrossFramesAndResetRestoresIt(String stem, Delegate delegate, float unused)
      throws IOException {
    float[][] spectrum = TestModels.golden(stem, "spectrum");
    try (TfliteMaskModel model = open(stem, delegate)) {
      float[][] first = run(model, spectrum);
      model.reset();
      float[][] second = run(model, spectrum);
      for (int t = 0; t < spectrum.length; t++) {
        assertArrayEquals(first[t], second[t], 0f, "frame " + t + " after reset");
      }
      model.reset();
      float[] re = new float[BINS];
      float[] im = new float[BINS];
      model.infer(spectrum[10], re, im);
      assertFalse(Arrays.equals(Arrays.copyOf(first[10], BINS), re),
          "frame 10 without its history gave the same mask: the state is not carried");
    }
  }

  /** Real and imaginary parts of every frame, side by side. */
  private static float[][] run(TfliteMaskModel model, float[][] spectrum) {
    float[][] out = new float[spectrum.length][2 * BINS];
    float[] im = new float[BINS];
    for (int t = 0; t < spectrum.length; t++) {
      model.infer(spectrum[t], out[t], im);
      System.arraycopy(im, 0, out[t], BINS, BINS);
    }
    return out;
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("variants")
  void inferAllocatesNothingInSteadyState(String stem, Delegate delegate, float unused)
      throws IOException {
    float[][] spectrum = TestModels.golden(stem, "spectrum");
    try (TfliteMaskModel model = open(stem, delegate)) {
      float[] re = new float[BINS];
      float[] im = new float[BINS];
      Runnable work = () -> {
        for (int f = 0; f < 1000; f++) {
          model.infer(spectrum[f % spectrum.length], re, im);
        }
      };
      for (int warmUp = 0; warmUp < 5; warmUp++) {
        work.run();
      }
      assertEquals(0, AllocationProbe.measure(work), "bytes allocated in 1,000 frames");
    }
  }

  /** The manifest's cost and framing fields are read as written by the generator. */
  @Test
  void readsTheSpectralMaskFields() throws IOException {
    try (TfliteMaskModel model = open(TestModels.COMPLEX_MASK_FLOAT32, Delegate.CPU)) {
      ModelManifest.SpectralMask s = model.spec();
      assertEquals(48000, s.sampleRate());
      assertEquals(960, s.window());
      assertEquals(480, s.hop());
      assertEquals(1024, s.fftSize());
      assertEquals(BINS, s.bins());
      assertTrue(s.complex());
      assertEquals(20, s.algorithmicLatencyMs());
      assertTrue(s.params() > 0 && s.macsPerFrame() > 0, s.toString());
    }
  }

  /** Through the core's denoiser: finite, bounded output, and the model's state is reset. */
  @Test
  void runsInsideTheSpectralMaskDenoiser() throws IOException {
    float[] noisy = SpeechLikeSignal.mix(SpeechLikeSignal.speech(48000, 1, 3),
        SpeechLikeSignal.noise(48000, 1, 0.5, false, 4), 5);
    for (String stem : new String[] {TestModels.MASK_FLOAT32, TestModels.COMPLEX_MASK_FLOAT32}) {
      try (SpectralMaskDenoiser d = new SpectralMaskDenoiser(open(stem, Delegate.XNNPACK),
          Strength.DEFAULT)) {
        float[] first = process(d, noisy);
        d.reset();
        assertArrayEquals(first, process(d, noisy), 0f, stem + " after reset");
        double energyIn = 0;
        double energyOut = 0;
        for (int i = 0; i < first.length; i++) {
          assertTrue(Float.isFinite(first[i]), stem + " sample " + i);
          energyIn += noisy[i] * noisy[i];
          energyOut += first[i] * first[i];
        }
        // |mask| <= 1 (magnitude) or <= 2·sqrt(2) (complex): the output is bounded by the input.
        assertTrue(energyOut > 0 && energyOut <= 8.01 * energyIn, stem + " " + energyOut / energyIn);
      }
    }
  }

  private static float[] process(SpectralMaskDenoiser d, float[] x) {
    int hop = d.frameSize();
    float[] out = new float[x.length / hop * hop];
    for (int f = 0; f < out.length / hop; f++) {
      d.process(x, f * hop, out, f * hop);
    }
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "\"kind\": \"spectral_mask\"|\"kind\": \"band_gain\"|\"kind\" is \"band_gain\"",
      "\"mask\": \"magnitude\"|\"mask\": \"phase\"|\"mask\" is \"phase\"",
      "\"window\": 960|\"window\": 1024|window is 1024; this build's spectral-mask framing has window 960",
      "\"bins\": 513|\"bins\": 257|bins is 257",
      "\"input_transform\": \"ln(power + 1e-8)\"|\"input_transform\": \"log10(power)\"|\"input_transform\" is \"log10(power)\"",
      "\"hop\": 480,|\"hop_size\": 480,|missing field \"hop\"",
      "\"params\": |\"params\": 0, \"was_params\": |\"params\" must be a positive integer",
  })
  void refusesAManifestThatDoesNotFit(String from, String to, String expected) {
    InvalidModelException e = assertThrows(InvalidModelException.class,
        () -> openEdited(TestModels.MASK_FLOAT32, m -> {
          assertTrue(m.contains(from), "the test model's manifest has no " + from);
          return m.replace(from, to);
        }).close());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  /** A manifest whose tensors disagree with the model is refused with both values. */
  @Test
  void refusesAnUnfedInput() {
    InvalidModelException e = assertThrows(InvalidModelException.class,
        () -> openEdited(TestModels.MASK_FLOAT32, m -> m.replace(
            "{\n      \"input\": \"gru_state\",\n      \"output\": \"gru_state_out\"\n    },", ""))
            .close());
    assertTrue(e.getMessage().contains("input \"gru_state\" is neither \"spectrum\""),
        e.getMessage());
  }

  /** Each adapter refuses the other kind with a message that names the right one. */
  @Test
  void gainAndMaskModelsAreNotConfused() throws IOException {
    Path mask = TestModels.copy(TestModels.MASK_FLOAT32, dir);
    InvalidModelException asGain = assertThrows(InvalidModelException.class,
        () -> TfliteGainModel.open(mask, TfliteGainModel.Options.DEFAULT).close());
    assertTrue(asGain.getMessage().contains("open it with TfliteMaskModel"), asGain.getMessage());
    Path gain = TestModels.copy(TestModels.FLOAT32, dir);
    InvalidModelException asMask = assertThrows(InvalidModelException.class,
        () -> TfliteMaskModel.open(gain, TfliteGainModel.Options.DEFAULT).close());
    assertTrue(asMask.getMessage().contains("\"kind\" is \"gain_model\""), asMask.getMessage());
  }
}
