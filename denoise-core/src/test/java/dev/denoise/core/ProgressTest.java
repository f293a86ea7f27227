package dev.denoise.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressTest {
  @Test
  void partMapsItsRangeOntoItsShareAndClamps() {
    List<Double> seen = new ArrayList<>();
    Progress part = ((Progress) seen::add).part(1, 4);
    part.update(0);
    part.update(0.5);
    part.update(1);
    part.update(-3);
    part.update(7);
    assertEquals(List.of(0.25, 0.375, 0.5, 0.25, 0.5), seen);
  }
}
