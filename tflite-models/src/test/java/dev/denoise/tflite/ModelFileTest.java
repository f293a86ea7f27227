package dev.denoise.tflite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading refuses a model that is not what its manifest says, naming the mismatch. */
class ModelFileTest {
  private static final TfliteGainModel.Options CPU =
      new TfliteGainModel.Options(1, Delegate.CPU);

  @TempDir
  Path dir;

  /** Loads the int8 test model with its manifest edited; returns the refusal's message. */
  private String refusal(UnaryOperator<String> edit) throws IOException {
    Path tflite = TestModels.copy(TestModels.INT8, dir, edit);
    InvalidModelException e = assertThrows(InvalidModelException.class,
        () -> TfliteGainModel.open(tflite, CPU).close());
    return e.getMessage();
  }

  private static void assertMentions(String message, String... parts) {
    for (String part : parts) {
      assertTrue(message.contains(part), "\"" + part + "\" not in: " + message);
    }
  }

  @Test
  void loadsTheUneditedModel() throws IOException {
    try (TfliteGainModel model = TfliteGainModel.open(
        TestModels.copy(TestModels.INT8, dir), CPU)) {
      assertEquals(22, model.bandCount());
    }
  }

  @Test
  void refusesAManifestWithAnotherSha256() throws IOException {
    String m = refusal(s -> s.replace("770fb769", "00000000"));
    assertMentions(m, "gain_int8.tflite: sha256 770fb769", "does not match",
        "sha256 00000000", "different exports");
  }

  @Test
  void refusesAModelWhoseBytesChanged() throws IOException {
    Path tflite = TestModels.copy(TestModels.INT8, dir);
    byte[] bytes = Files.readAllBytes(tflite);
    bytes[bytes.length / 2] ^= 1;
    Files.write(tflite, bytes);
    InvalidModelException e = assertThrows(InvalidModelException.class,
        () -> ModelFile.open(tflite));
    assertMentions(e.getMessage(), "does not match", "770fb769");
  }

  @Test
  void refusesAnInputNameTheModelLacks() throws IOException {
    String m = refusal(s -> s.replace("\"gru1_state\"", "\"gru1_hidden\""));
    assertMentions(m, "signature \"serving_default\" has no input named \"gru1_hidden\"",
        "[features, gru1_state, gru2_state]");
  }

  @Test
  void refusesAnOutputNameTheModelLacks() throws IOException {
    String m = refusal(s -> s.replace("\"vad\"", "\"voice\""));
    assertMentions(m, "no output named \"voice\"", "gains", "gru1_state_out", "vad");
  }

  @Test
  void refusesAnotherTensorName() throws IOException {
    String m = refusal(s -> s.replace("StatefulPartitionedCall:3", "StatefulPartitionedCall:9"));
    assertMentions(m, "output \"vad\" is tensor \"StatefulPartitionedCall:3\" in the model",
        "the manifest says \"StatefulPartitionedCall:9\"");
  }

  @Test
  void withoutSignatureRefusesATensorNameTheModelLacks() throws IOException {
    Path tflite = TestModels.copy(TestModels.UNSIGNED_FLOAT32, dir,
        s -> s.replace("\"Identity_3\"", "\"Identity_7\""));
    InvalidModelException e = assertThrows(InvalidModelException.class,
        () -> TfliteGainModel.open(tflite, CPU).close());
    assertMentions(e.getMessage(), "no signature \"serving_default\" and no output tensor named "
        + "\"Identity_7\"", "[Identity, Identity_1, Identity_2, Identity_3]");
  }

  @Test
  void refusesAnotherShape() throws IOException {
    String m = refusal(s -> s.replaceFirst("\"shape\": \\[\\s*1,\\s*42\\s*\\]",
        "\"shape\": [42]"));
    assertMentions(m, "input \"features\" has shape [1, 42] in the model, [42] in the manifest");
  }

  @Test
  void refusesAnotherDtype() throws IOException {
    String m = refusal(s -> s.replaceFirst("\"int8\"", "\"float32\""));
    assertMentions(m, "input \"features\" is int8 in the model, float32 in the manifest");
  }

  @Test
  void refusesOtherQuantization() throws IOException {
    String m = refusal(s -> s.replace("\"zero_point\": 11", "\"zero_point\": 12"));
    assertMentions(m, "\"features\" is quantized with scale", "zero point 11 in the model",
        "zero point 12");
  }

  @Test
  void refusesAnotherFeatureVersion() throws IOException {
    String m = refusal(s -> s.replace("\"feature_version\": 1", "\"feature_version\": 2"));
    assertMentions(m, "feature_version is 2; this build's feature extractor has "
        + "feature_version 1");
  }

  @Test
  void refusesAnotherBandCountOrRate() throws IOException {
    assertMentions(refusal(s -> s.replace("\"band_count\": 22", "\"band_count\": 18")),
        "band_count is 18");
    assertMentions(refusal(s -> s.replace("\"sample_rate\": 48000", "\"sample_rate\": 16000")),
        "sample_rate is 16000", "48000");
  }

  @Test
  void refusesAnInputNothingFeeds() throws IOException {
    String m = refusal(s -> s.replaceFirst("(?s),\\s*\\{\\s*\"input\": \"gru2_state\".*?\\}", ""));
    assertMentions(m, "input \"gru2_state\" is neither \"features\" nor a state input");
  }

  @Test
  void refusesAManifestThatDescribesAnotherFile() throws IOException {
    String m = refusal(s -> s.replace("\"file\": \"gain_int8.tflite\"",
        "\"file\": \"voice.tflite\""));
    assertMentions(m, "describes \"voice.tflite\", not gain_int8.tflite");
  }

  @Test
  void refusesAManifestMissingAnInput() throws IOException {
    String m = refusal(s -> s.replaceFirst(
        "(?s),\\s*\\{\\s*\"name\": \"gru2_state\",.*?\\}\\s*\\}", "")
        .replaceFirst("(?s),\\s*\\{\\s*\"input\": \"gru2_state\".*?\\}", ""));
    assertMentions(m, "the model has 3 inputs", "the manifest declares 2");
  }

  @Test
  void refusesMalformedJsonWithTheOffset() throws IOException {
    String m = refusal(s -> s.replace("\"kind\": \"gain_model\",", "\"kind\": gain_model,"));
    assertMentions(m, "gain_int8.manifest.json: JSON: unexpected 'g' at offset");
  }

  @Test
  void refusesAMissingField() throws IOException {
    assertMentions(refusal(s -> s.replaceFirst("\"sha256\": \"[0-9a-f]+\",", "")),
        "missing field \"sha256\"");
    assertMentions(refusal(s -> s.replace("\"feature_version\": 1,", "")),
        "missing field \"feature_version\"");
  }

  @Test
  void aHeapBufferIsCopiedAndVerified() throws IOException {
    ModelManifest manifest = ModelManifest.parse(
        new String(TestModels.resource(TestModels.FLOAT32 + ".manifest.json"), "UTF-8"),
        "float32 manifest");
    ModelFile file = ModelFile.of(ByteBuffer.wrap(TestModels.resource(
        TestModels.FLOAT32 + ".tflite")), manifest, "float32 resource");
    assertTrue(file.buffer().isDirect());
    try (TfliteGainModel model = TfliteGainModel.open(file, CPU)) {
      assertEquals(42, model.featureCount());
    }
    InvalidModelException e = assertThrows(InvalidModelException.class,
        () -> ModelFile.of(ByteBuffer.wrap(TestModels.resource(TestModels.INT8 + ".tflite")),
            manifest, "int8 resource"));
    assertMentions(e.getMessage(), "int8 resource: sha256 770fb769", "float32 manifest");
  }
}
