package dev.denoise.core.metrics;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes every {@link StoiParityPairs} pair to a folder for {@code tools/stoi_parity.py}:
 * {@code NAME.clean.f32} and {@code NAME.degraded.f32} (little-endian float32, mono) and
 * {@code manifest.csv} with {@code name,seed,sample_rate_hz,samples,sha256,java_stoi}.
 *
 * <p>Usage: {@code StoiParityDump OUTPUT_DIR}. Run by {@code tools/stoi-parity.sh}.
 */
public final class StoiParityDump {
  private StoiParityDump() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: StoiParityDump OUTPUT_DIR");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    Files.createDirectories(dir);
    try (PrintWriter manifest = new PrintWriter(
        Files.newBufferedWriter(dir.resolve("manifest.csv"), StandardCharsets.UTF_8))) {
      manifest.println("name,seed,sample_rate_hz,samples,sha256,java_stoi");
      for (StoiParityPairs.Pair p : StoiParityPairs.all()) {
        Files.write(dir.resolve(p.name() + ".clean.f32"), StoiParityPairs.bytes(p.clean()));
        Files.write(dir.resolve(p.name() + ".degraded.f32"), StoiParityPairs.bytes(p.degraded()));
        double stoi = Stoi.compute(p.clean(), p.degraded(), p.sampleRateHz());
        manifest.println(String.format(Locale.ROOT, "%s,%d,%d,%d,%s,%.17g", p.name(), p.seed(),
            p.sampleRateHz(), p.clean().length, StoiParityPairs.sha256(p), stoi));
      }
    }
  }
}
