package dev.denoise.core.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.denoise.core.audio.classic.ClassicDenoiser;
import dev.denoise.core.audio.classic.ClassicMethod;
import dev.denoise.core.audio.classic.Strength;
import java.util.SplittableRandom;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

class BlockAdapterTest {
  private static final int RATE = 16000;

  private static float[] input() {
    return SpeechLikeSignal.mix(
        SpeechLikeSignal.speech(RATE, 2.0, 1), SpeechLikeSignal.noise(RATE, 2.0, 0.5, true, 2), 5);
  }

  private static float[] run(float[] x, IntUnaryOperator blockSizes, boolean inPlace) {
    BlockAdapter adapter = new BlockAdapter(
        ClassicDenoiser.newStage(ClassicMethod.MMSE_LSA, RATE, Strength.DEFAULT, null));
    float[] out = inPlace ? x.clone() : new float[x.length];
    float[] src = inPlace ? out : x;
    int pos = 0;
    for (int call = 0; pos < x.length; call++) {
      int n = Math.min(blockSizes.applyAsInt(call), x.length - pos);
      adapter.process(src, pos, out, pos, n);
      pos += n;
    }
    return out;
  }

  @Test
  void outputIsBitIdenticalForEveryBlockSplitting() {
    float[] x = input();
    float[] reference = run(x, call -> 160, false);
    int[] primes = {1, 2, 3, 5, 7, 11, 13, 101, 157, 163, 479, 1009};
    assertArrayEquals(reference, run(x, call -> 1, false), "one sample at a time");
    assertArrayEquals(reference, run(x, call -> primes[call % primes.length], false), "primes");
    SplittableRandom rnd = new SplittableRandom(42);
    assertArrayEquals(reference, run(x, call -> rnd.nextInt(0, 700), false), "random incl. 0");
    assertArrayEquals(reference, run(x, call -> 4096, false), "large blocks");
    assertArrayEquals(reference, run(x, call -> 37, true), "in place");
  }

  @Test
  void identityStageIsAPureDelayOfTheReportedLatency() {
    StftStage stage = new StftStage(
        Stft.of(Windows.Shape.VORBIS, 64, 16), StftTest.Identity.INSTANCE);
    BlockAdapter adapter = new BlockAdapter(stage);
    assertEquals(48 + 15, adapter.latencySamples());
    float[] x = new float[1000];
    SplittableRandom rnd = new SplittableRandom(3);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rnd.nextDouble(-1, 1);
    }
    float[] y = new float[x.length];
    for (int pos = 0, n = 1; pos < x.length; pos += n, n = n % 29 + 1) {
      n = Math.min(n, x.length - pos);
      adapter.process(x, pos, y, pos, n);
    }
    int d = adapter.latencySamples();
    for (int i = 0; i < d; i++) {
      assertEquals(0f, y[i], 1e-6f, "before the latency at " + i);
    }
    for (int i = d; i < x.length; i++) {
      assertEquals(x[i - d], y[i], 2e-5f, "sample " + i);
    }
  }

  @Test
  void resetRestartsFromSilence() {
    float[] x = input();
    float[] first = run(x, call -> 97, false);
    BlockAdapter adapter = new BlockAdapter(
        ClassicDenoiser.newStage(ClassicMethod.MMSE_LSA, RATE, Strength.DEFAULT, null));
    float[] scratch = new float[x.length];
    adapter.process(x, 0, scratch, 0, 5000);
    adapter.reset();
    float[] second = new float[x.length];
    adapter.process(x, 0, second, 0, x.length);
    assertArrayEquals(first, second);
  }
}
