package dev.denoise.core.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResampledStageTest {

  @Test
  void aroundWrapsOnlyWhenTheRatesDiffer() {
    StftStage identity = new StftStage(
        Stft.of(Windows.Shape.SQRT_HANN, 960, 480), StftTest.Identity.INSTANCE);
    assertSame(identity, ResampledStage.around(identity, 48000, 48000));
    StreamingStage resampled = ResampledStage.around(identity, 48000, 16000);
    assertInstanceOf(ResampledStage.class, resampled);
    assertEquals(160, resampled.frameSize(), "16 kHz frame around one 480-sample 48 kHz frame");
  }

  /**
   * With a pure-delay inner stage (STFT identity at 48 kHz), the chain returns a band-limited
   * input delayed by exactly the reported latency, at every supported outer rate.
   */
  @ParameterizedTest
  @ValueSource(ints = {8000, 16000, 22050, 32000, 44100, 48000})
  void identityInnerStageIsAPureDelay(int rate) {
    StftStage identity = new StftStage(
        Stft.of(Windows.Shape.SQRT_HANN, 960, 480), StftTest.Identity.INSTANCE);
    ResampledStage stage = new ResampledStage(identity, 48000, rate);
    assertEquals(0, (long) stage.frameSize() * 48000 % (480L * rate),
        "outer frame holds whole inner frames");
    float[] x = new float[rate * 2];
    for (int i = 0; i < x.length; i++) {
      double t = (double) i / rate;
      x[i] = (float) (0.4 * Math.sin(2 * Math.PI * 440 * t) + 0.3 * Math.sin(2 * Math.PI * 1700 * t));
    }
    float[] y = AlignedProcessor.processAll(stage, x);
    double err = 0;
    double sig = 0;
    for (int i = rate / 4; i < x.length - rate / 4; i++) {
      err += (y[i] - x[i]) * (y[i] - x[i]);
      sig += x[i] * x[i];
    }
    double snrDb = 10 * Math.log10(sig / err);
    assertTrue(snrDb > 60, rate + " Hz: aligned identity SNR " + snrDb + " dB, latency "
        + stage.latencySamples());
  }

  @ParameterizedTest
  @ValueSource(ints = {16000, 22050, 44100})
  void processAllocatesNothing(int rate) {
    StftStage identity = new StftStage(
        Stft.of(Windows.Shape.SQRT_HANN, 960, 480), StftTest.Identity.INSTANCE);
    ResampledStage stage = new ResampledStage(identity, 48000, rate);
    float[] in = new float[stage.frameSize()];
    float[] out = new float[stage.frameSize()];
    Runnable run = () -> {
      for (int i = 0; i < 2000; i++) {
        stage.process(in, 0, out, 0);
      }
    };
    run.run();
    run.run();
    assertEquals(0, AllocationProbe.measure(run), "bytes allocated by 2000 frames");
  }
}
