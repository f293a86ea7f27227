package dev.denoise.core.audio.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.denoise.core.audio.AlignedProcessor;
import dev.denoise.core.audio.StreamingStage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link SilencePrimedStage}: what the inner stage hears, how many frames, and alignment. */
class SilencePrimedStageTest {

  /**
   * Logs "reset" and, per frame, "0" for silence or "x"; a one-frame delay. With
   * {@code noisyOutput} its output for silence is 0.5, so a priming that fed its own (in-place)
   * output back in would show up as non-silence.
   */
  static final class LoggingDelay implements StreamingStage {
    final int frame;
    final float[] held;
    final List<String> log = new ArrayList<>();
    boolean noisyOutput;

    LoggingDelay(int frame) {
      this.frame = frame;
      this.held = new float[frame];
    }

    @Override
    public int frameSize() {
      return frame;
    }

    @Override
    public int latencySamples() {
      return frame;
    }

    @Override
    public void process(float[] in, int inOffset, float[] out, int outOffset) {
      boolean silent = true;
      float[] next = Arrays.copyOfRange(in, inOffset, inOffset + frame);
      for (float v : next) {
        silent &= v == 0f;
      }
      log.add(silent ? "0" : "x");
      System.arraycopy(held, 0, out, outOffset, frame);
      System.arraycopy(next, 0, held, 0, frame);
      if (silent && noisyOutput) {
        Arrays.fill(out, outOffset, outOffset + frame, 0.5f);  // output is not silence
      }
    }

    @Override
    public void reset() {
      log.add("reset");
      Arrays.fill(held, 0f);
    }
  }

  @Test
  void constructionAndEveryResetRunWholeFramesOfSilenceAfterAReset() {
    LoggingDelay inner = new LoggingDelay(480);
    inner.noisyOutput = true;
    SilencePrimedStage stage = new SilencePrimedStage(inner, 48_000, NeuralVoiceStage.LIVE_PRIME_SECONDS);
    List<String> primed = List.of("reset", "0", "0", "0", "0", "0");
    assertEquals(5, stage.primeFrames());
    assertEquals(primed, inner.log);
    float[] x = new float[480];
    Arrays.fill(x, 0.25f);
    stage.process(x, 0, new float[480], 0);
    inner.log.clear();
    stage.reset();
    assertEquals(primed, inner.log);
    assertEquals(480, stage.frameSize());
    assertEquals(480, stage.latencySamples());
  }

  /** Priming leaves the delay line as a reset does, so aligned output is the input itself. */
  @Test
  void outputStaysAlignedAfterPriming() {
    float[] x = new float[480 * 7 + 123];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) Math.sin(i * 0.01) * 0.5f + 0.1f;
    }
    float[] y = AlignedProcessor.processAll(new SilencePrimedStage(new LoggingDelay(480), 48_000, 0.05), x);
    assertArrayEquals(x, y);
  }

  @Test
  void framesRoundUpToWholeFramesAtEveryRate() {
    assertEquals(5, SilencePrimedStage.frames(480, 48_000, 0.05));
    assertEquals(5, SilencePrimedStage.frames(441, 44_100, 0.05));
    assertEquals(5, SilencePrimedStage.frames(80, 8_000, 0.05));
    assertEquals(1, SilencePrimedStage.frames(480, 48_000, 0.001));
    assertEquals(2, SilencePrimedStage.frames(480, 48_000, 0.0101));
    assertEquals(0, SilencePrimedStage.frames(480, 48_000, 0));
  }

  @ParameterizedTest
  @ValueSource(doubles = {-0.01, Double.NaN, Double.POSITIVE_INFINITY})
  void refusesSecondsThatAreNotATime(double seconds) {
    LoggingDelay inner = new LoggingDelay(480);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SilencePrimedStage(inner, 48_000, seconds));
    assertEquals("cannot prime with " + seconds + " s of silence at 48000 Hz in frames of 480",
        e.getMessage());
    assertEquals(List.of(), inner.log);
  }
}
