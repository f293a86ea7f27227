package dev.denoise.core.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class StftTest {

  static Stream<Arguments> grid() {
    Stream.Builder<Arguments> b = Stream.builder();
    for (Windows.Shape shape : Windows.Shape.values()) {
      for (int window : new int[] {16, 160, 320, 441 * 2, 512, 960}) {
        for (int overlap : new int[] {2, 4}) {
          if (window % overlap != 0) {
            continue;
          }
          for (int pad : new int[] {0, 64}) {
            b.add(Arguments.of(shape, window, window / overlap, window + pad));
          }
        }
      }
    }
    return b.build();
  }

  @ParameterizedTest(name = "{0} window={1} hop={2} fft={3}")
  @MethodSource("grid")
  void identityProcessingReconstructsDelayedInput(
      Windows.Shape shape, int window, int hop, int fftSize) {
    Stft stft = new Stft(Windows.create(shape, window), hop, fftSize);
    StftStage stage = new StftStage(stft, Identity.INSTANCE);
    SplittableRandom rnd = new SplittableRandom(window * 31L + hop);
    int frames = 40;
    float[] in = new float[frames * hop];
    for (int i = 0; i < in.length; i++) {
      in[i] = (float) (rnd.nextDouble() * 2 - 1);
    }
    float[] out = new float[in.length];
    for (int f = 0; f < frames; f++) {
      stage.process(in, f * hop, out, f * hop);
    }
    int latency = stage.latencySamples();
    assertEquals(window - hop, latency);
    double maxErr = 0;
    for (int i = latency; i < in.length; i++) {
      maxErr = Math.max(maxErr, Math.abs(out[i] - in[i - latency]));
    }
    assertTrue(maxErr < 2e-5, "max reconstruction error " + maxErr);
  }

  @Test
  void forwardMatchesDirectDft() {
    int n = 24;
    float[] window = Windows.create(Windows.Shape.SQRT_HANN, n);
    Stft stft = new Stft(window, n / 2, n);
    float[] x = new float[n];
    SplittableRandom rnd = new SplittableRandom(5);
    for (int i = 0; i < n; i++) {
      x[i] = (float) rnd.nextDouble();
    }
    float[] re = new float[stft.bins()];
    float[] im = new float[stft.bins()];
    stft.forward(x, 0, re, im);
    for (int k = 0; k < stft.bins(); k++) {
      double dr = 0;
      double di = 0;
      for (int i = 0; i < n; i++) {
        dr += x[i] * window[i] * Math.cos(2 * Math.PI * k * i / n);
        di -= x[i] * window[i] * Math.sin(2 * Math.PI * k * i / n);
      }
      assertEquals(dr, re[k], 1e-5, "re bin " + k);
      assertEquals(di, im[k], 1e-5, "im bin " + k);
    }
  }

  @Test
  void windowsArePowerComplementary() {
    for (Windows.Shape shape : Windows.Shape.values()) {
      float[] w = Windows.create(shape, 480);
      for (int i = 0; i < 240; i++) {
        assertEquals(1.0, w[i] * w[i] + w[i + 240] * w[i + 240], 1e-6, shape + " at " + i);
      }
    }
  }

  @Test
  void rejectsHopThatCannotReconstruct() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Stft(Windows.create(Windows.Shape.SQRT_HANN, 96), 36, 96));
    assertTrue(e.getMessage().contains("hopSize=36"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new Stft(Windows.create(Windows.Shape.VORBIS, 96), 32, 96));
  }

  @Test
  void forwardAndInverseAllocateNothing() {
    Stft stft = Stft.of(Windows.Shape.SQRT_HANN, 960, 480);
    float[] x = new float[960];
    float[] acc = new float[960];
    float[] re = new float[stft.bins()];
    float[] im = new float[stft.bins()];
    Runnable run = () -> {
      for (int i = 0; i < 2000; i++) {
        stft.forward(x, 0, re, im);
        stft.inverseAdd(re, im, acc, 0);
      }
    };
    run.run();
    assertEquals(0, AllocationProbe.measure(run), "bytes allocated by 2000 transforms");
  }

  /** Leaves the spectrum alone. */
  enum Identity implements SpectralProcessor {
    INSTANCE;

    @Override
    public void process(float[] re, float[] im, int bins) {}

    @Override
    public void reset() {}
  }
}
