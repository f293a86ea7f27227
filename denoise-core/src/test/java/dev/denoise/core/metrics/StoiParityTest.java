package dev.denoise.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Java STOI against pystoi 0.4.1 on the {@link StoiParityPairs}. The reference table
 * {@code metrics/pystoi_reference.csv} is produced by {@code tools/stoi-parity.sh}; its header
 * records the largest difference seen when it was made.
 */
class StoiParityTest {

  /** The agreement the metric promises; observed differences are far smaller. */
  private static final double TOLERANCE = 0.01;

  @Test
  void javaStoiMatchesPystoiOnEveryPair() throws IOException {
    Map<String, String[]> reference = readReference();
    assertTrue(reference.size() >= 24, "reference rows: " + reference.size());
    int checked = 0;
    double worst = 0;
    for (StoiParityPairs.Pair p : StoiParityPairs.all()) {
      String[] row = reference.get(p.name());
      assertNotNull(row, p.name() + " has no reference row; run tools/stoi-parity.sh");
      assertEquals(Long.parseLong(row[1]), p.seed(), p.name() + " seed");
      assertEquals(Integer.parseInt(row[2]), p.sampleRateHz(), p.name() + " rate");
      assertEquals(row[4], StoiParityPairs.sha256(p),
          p.name() + ": samples differ from those pystoi saw; run tools/stoi-parity.sh");
      double expected = Double.parseDouble(row[5]);
      double actual = Stoi.compute(p.clean(), p.degraded(), p.sampleRateHz());
      assertEquals(expected, actual, TOLERANCE, p.name());
      worst = Math.max(worst, Math.abs(expected - actual));
      checked++;
    }
    assertEquals(reference.size(), checked, "every reference row has a pair");
    // The implementations agree to rounding; a drift this large means a behaviour change.
    assertTrue(worst < 1e-6, "max |java - pystoi| = " + worst);
  }

  /** name → {name, seed, sample_rate_hz, samples, sha256, pystoi}. */
  private static Map<String, String[]> readReference() throws IOException {
    Map<String, String[]> rows = new LinkedHashMap<>();
    try (InputStream in = StoiParityTest.class.getResourceAsStream("/metrics/pystoi_reference.csv")) {
      assertNotNull(in, "metrics/pystoi_reference.csv missing from test resources");
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      boolean header = true;
      while ((line = reader.readLine()) != null) {
        if (line.startsWith("#") || line.isBlank()) {
          continue;
        }
        if (header) {
          assertEquals("name,seed,sample_rate_hz,samples,sha256,pystoi", line);
          header = false;
          continue;
        }
        String[] cells = line.split(",");
        assertEquals(6, cells.length, line);
        rows.put(cells[0], cells);
      }
    }
    return rows;
  }
}
