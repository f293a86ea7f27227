package dev.denoise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoise.cli.CliTest.Run;
import dev.denoise.tflite.VoiceModels;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code denoise models}: per-model cost figures from the manifests. */
class ModelsCommandTest {
  @TempDir
  Path dir;

  private Path testModel(String stem) throws IOException {
    for (String suffix : new String[] {".tflite", ".manifest.json"}) {
      try (InputStream in = ModelsCommandTest.class.getResourceAsStream(
          "/dev/denoise/tflite/testmodel/" + stem + suffix)) {
        Files.copy(in, dir.resolve(stem + suffix));
      }
    }
    return dir.resolve(stem + ".tflite");
  }

  private static Matcher row(String json, String name) {
    Matcher m = Pattern.compile("\\{\"name\": \"" + Pattern.quote(name) + "\", \"kind\": \"([^\"]+)\", "
        + "\"params\": (\\d+|null), \"macs_per_frame\": (\\d+|null), \"macs_per_second\": (\\d+|null), "
        + "\"algorithmic_latency_ms\": ([0-9.]+), \"bytes\": (\\d+), \"sha256\": \"([0-9a-f]{64})\"\\}")
        .matcher(json);
    assertTrue(m.find(), name + " not in " + json);
    return m;
  }

  /**
   * Every bundled model is listed with its size and its figures; the shipped RNNoise-style pair
   * always is. MAC/s is MACs per frame at 100 frames per second.
   */
  @Test
  void listsEveryBundledModelWithItsCost() throws IOException {
    Run r = CliTest.run("models", "--json");
    assertEquals(0, r.code(), r.err());
    assertTrue(VoiceModels.bundled().contains("rnnoise"));
    for (String name : VoiceModels.bundled()) {
      Matcher m = row(r.out(), name);
      assertEquals(name.startsWith("rnnoise"), m.group(1).equals("band_gain"), m.group());
      long bytes;
      try (InputStream in = ModelsCommandTest.class.getClassLoader()
          .getResourceAsStream(VoiceModels.resourceFolder(name) + "model.tflite")) {
        bytes = in.readAllBytes().length;
      }
      assertEquals(bytes, Long.parseLong(m.group(6)), name + " bytes");
      long macs = Long.parseLong(m.group(3));
      assertEquals(100 * macs, Long.parseLong(m.group(4)), name + " MAC/s");
      assertTrue(Long.parseLong(m.group(2)) > 0 && macs > 0, m.group());
      // The shipped models' framing: a 20 ms window (960 samples at 48 kHz).
      assertEquals(20.0, Double.parseDouble(m.group(5)), 1e-9, m.group());
    }
    for (String name : VoiceModels.NAMES) {
      assertEquals(!VoiceModels.bundled().contains(name),
          r.out().matches("(?s).*\"not_bundled\": \\[[^]]*\"" + name + "\".*"), name);
    }
  }

  /**
   * Model files are listed too, with the figures their generator wrote
   * ({@code make_test_mask_model.py}: 14,225 parameters magnitude, 18,842 complex).
   */
  @Test
  void listsGivenModelFiles() throws IOException {
    Path mask = testModel("mask_float32");
    Path complex = testModel("cmask_float32");
    Run r = CliTest.run("models", "--json", mask.toString(), complex.toString());
    assertEquals(0, r.code(), r.err());
    Matcher m = row(r.out(), mask.toString());
    assertEquals("spectral_mask/magnitude", m.group(1));
    assertEquals("14225", m.group(2));
    assertEquals("1422500", m.group(4));
    assertEquals(Files.size(mask), Long.parseLong(m.group(6)));
    Matcher c = row(r.out(), complex.toString());
    assertEquals("spectral_mask/complex", c.group(1));
    assertEquals("18842", c.group(2));
    Run table = CliTest.run("models", mask.toString());
    assertEquals(0, table.code(), table.err());
    assertTrue(table.out().contains("MAC/s") && table.out().contains("spectral_mask/magnitude"),
        table.out());
  }
}
