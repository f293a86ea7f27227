package dev.denoise.tflite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoise.core.audio.classic.Strength;
import dev.denoise.core.audio.mask.SpectralMaskDenoiser;
import dev.denoise.core.audio.rnn.NeuralDenoiser;
import dev.denoise.core.audio.rnn.NeuralVoiceStage;
import dev.denoise.tflite.VoiceModels.Precision;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Short model names, bundled or not, and the denoiser chosen by the manifest's kind. */
class VoiceModelsTest {
  @TempDir
  Path dir;

  @ParameterizedTest
  @CsvSource({
      "rnnoise, models/voice/voice_rnnoise_small_float32/",
      "rnnoise-int8, models/voice/voice_rnnoise_small_int8/",
      "int8, models/voice/voice_rnnoise_small_int8/",
      "unet, models/voice/voice_unet_small_float32/",
      "unet-int8, models/voice/voice_unet_small_int8/",
      "crn, models/voice/voice_crn_small_float32/",
      "crn-int8, models/voice/voice_crn_small_int8/",
      "crn-complex, models/voice/voice_crn_complex_small_float32/",
      "crn-complex-int8, models/voice/voice_crn_complex_small_int8/"})
  void namesResolveToTheContractsFolders(String name, String folder) throws IOException {
    assertTrue(VoiceModels.isName(name));
    assertEquals(folder, VoiceModels.resourceFolder(name));
  }

  @Test
  void anUnknownNameListsTheKnownOnes() {
    assertFalse(VoiceModels.isName("lstm"));
    InvalidModelException e =
        assertThrows(InvalidModelException.class, () -> VoiceModels.load("lstm"));
    assertTrue(e.getMessage().contains("\"lstm\"") && e.getMessage().contains("unet-int8"),
        e.getMessage());
  }

  /** The shipped RNNoise-style model answers to its short names, as before. */
  @Test
  void rnnoiseNamesAreTheShippedModel() throws IOException {
    assertTrue(VoiceModels.bundled().containsAll(java.util.List.of("rnnoise", "rnnoise-int8")),
        VoiceModels.bundled().toString());
    assertEquals(VoiceModels.load(Precision.FLOAT32).manifest().sha256(),
        VoiceModels.load("rnnoise").manifest().sha256());
    assertEquals(VoiceModels.load(Precision.INT8).manifest().sha256(),
        VoiceModels.load("int8").manifest().sha256());
    try (NeuralVoiceStage d = VoiceModels.newDenoiser(VoiceModels.load("rnnoise"),
        TfliteGainModel.Options.DEFAULT, Strength.DEFAULT)) {
      assertInstanceOf(NeuralDenoiser.class, d);
    }
  }

  /**
   * The U-Net and CRN models: until their files are dropped in, the names give a clear "not
   * bundled" error; once they are, each loads as a spectral-mask denoiser.
   */
  @ParameterizedTest
  @ValueSource(strings = {"unet", "unet-int8", "crn", "crn-int8", "crn-complex", "crn-complex-int8"})
  void maskModelNamesLoadOrSayTheyAreNotBundled(String name) throws IOException {
    if (!VoiceModels.isBundled(name)) {
      assertFalse(VoiceModels.bundled().contains(name));
      InvalidModelException e =
          assertThrows(InvalidModelException.class, () -> VoiceModels.load(name));
      assertTrue(e.getMessage().contains("\"" + name + "\" is not bundled")
          && e.getMessage().contains("rnnoise"), e.getMessage());
      return;
    }
    ModelFile file = VoiceModels.load(name);
    assertTrue(file.manifest().isSpectralMask(), file.manifest().source());
    try (NeuralVoiceStage d =
        VoiceModels.newDenoiser(file, TfliteGainModel.Options.DEFAULT, Strength.DEFAULT)) {
      assertInstanceOf(SpectralMaskDenoiser.class, d);
      float[] out = new float[d.frameSize()];
      d.process(new float[d.frameSize()], 0, out, 0);
    }
  }

  @Test
  void newDenoiserFollowsTheManifestsKind() throws IOException {
    ModelFile mask = ModelFile.open(TestModels.copy(TestModels.MASK_FLOAT32, dir));
    try (NeuralVoiceStage d =
        VoiceModels.newDenoiser(mask, TfliteGainModel.Options.DEFAULT, Strength.DEFAULT)) {
      assertInstanceOf(SpectralMaskDenoiser.class, d);
    }
    ModelFile gain = ModelFile.open(TestModels.copy(TestModels.FLOAT32, dir));
    try (NeuralVoiceStage d =
        VoiceModels.newDenoiser(gain, TfliteGainModel.Options.DEFAULT, Strength.DEFAULT)) {
      assertInstanceOf(NeuralDenoiser.class, d);
    }
  }
}
