package dev.denoise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoise.core.image.PlanarImage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageBenchTest {

  @Test
  void reportsPositiveThroughputForEveryAvailableMethod() {
    Map<String, Double> mps = ImageBench.megapixelsPerSecond(128, 96, 25, 7);
    assertTrue(mps.containsKey("nlm"), mps.toString());
    for (var e : mps.entrySet()) {
      assertTrue(e.getValue() > 0 && Double.isFinite(e.getValue()), e.toString());
      assertTrue(ImageMethods.NAMES.contains(e.getKey()));
    }
    assertEquals(List.copyOf(mps.keySet()),
        ImageMethods.NAMES.stream().filter(mps::containsKey).toList(), "table order");
  }

  @Test
  void tilingComparisonTimesBothTilingsOnTheSameImage() {
    // 1100 pixels wide: two 768-pixel cores before; the current choice picks its own side.
    List<ImageBench.TilingTiming> t = ImageBench.neuralTiling(1100, 300, 25, 3, 1);
    assertEquals(2, t.size());
    assertEquals(ImageBench.LEGACY_NEURAL_TILE, t.get(0).tile());
    for (ImageBench.TilingTiming timing : t) {
      assertTrue(timing.seconds() > 0 && timing.megapixelsPerSecond() > 0, timing.toString());
    }
    assertTrue(t.get(1).tile() >= ImageMethods.MIN_NEURAL_TILE, t.toString());
  }

  @Test
  void syntheticImageIsSeeded() {
    PlanarImage a = ImageBench.syntheticNoisy(40, 30, 3, 20, 5);
    PlanarImage b = ImageBench.syntheticNoisy(40, 30, 3, 20, 5);
    PlanarImage c = ImageBench.syntheticNoisy(40, 30, 3, 20, 6);
    assertEquals(0, java.util.Arrays.compare(a.plane(2), b.plane(2)));
    assertTrue(java.util.Arrays.compare(a.plane(2), c.plane(2)) != 0);
  }
}
