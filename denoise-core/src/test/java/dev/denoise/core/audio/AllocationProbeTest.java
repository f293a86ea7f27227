package dev.denoise.core.audio;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The probe behind the no-allocation tests must see a real allocation in every run. */
class AllocationProbeTest {
  private static volatile Object sink;

  @Test
  void seesAnAllocationThatHappensEveryRun() {
    long bytes = AllocationProbe.measure(() -> sink = new byte[4096]);
    assertTrue(bytes >= 4096, "probe reported " + bytes + " bytes for a 4096-byte array");
  }
}
