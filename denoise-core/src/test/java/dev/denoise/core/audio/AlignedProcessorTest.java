package dev.denoise.core.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AlignedProcessorTest {

  /** A pure delay of {@code delay} samples in frames of {@code frame} that logs its input. */
  static final class RecordingDelay implements StreamingStage {
    final int frame;
    final float[] line;
    float[] seen = new float[0];

    RecordingDelay(int frame, int delay) {
      this.frame = frame;
      this.line = new float[delay + frame];
    }

    @Override
    public int frameSize() {
      return frame;
    }

    @Override
    public int latencySamples() {
      return line.length - frame;
    }

    @Override
    public void process(float[] in, int inOffset, float[] out, int outOffset) {
      int delay = latencySamples();
      System.arraycopy(in, inOffset, line, delay, frame);
      System.arraycopy(line, 0, out, outOffset, frame);
      System.arraycopy(line, frame, line, 0, delay);
      int n = seen.length;
      seen = Arrays.copyOf(seen, n + frame);
      System.arraycopy(in, inOffset, seen, n, frame);
    }

    @Override
    public void reset() {
      Arrays.fill(line, 0f);
    }
  }

  private static float[] random(int n, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] x = new float[n];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rnd.nextDouble(-1, 1);
    }
    return x;
  }

  /**
   * The stage sees the lead backwards, then the signal, then the flush; the output is the
   * signal itself, sample for sample and as long, for leads shorter and longer than the delay
   * and than the signal.
   */
  @Test
  void warmUpFeedsTheLeadBackwardsAndKeepsTheOutputAligned() {
    float[] x = random(1000, 1);
    for (int lead : new int[] {0, 1, 5, 37, 300, 1000}) {
      RecordingDelay stage = new RecordingDelay(16, 40);
      float[] y = AlignedProcessor.processAll(stage, x, lead);
      assertArrayEquals(x, y, "lead " + lead);
      for (int i = 0; i < lead; i++) {
        assertEquals(x[lead - 1 - i], stage.seen[i], "lead " + lead + ", warm-up sample " + i);
      }
      for (int i = 0; i < x.length; i++) {
        assertEquals(x[i], stage.seen[lead + i], "lead " + lead + ", signal sample " + i);
      }
    }
  }

  /** A lead longer than the signal uses the whole signal; a negative one means none. */
  @Test
  void processAllClampsTheLeadToTheSignal() {
    float[] x = random(100, 2);
    RecordingDelay longLead = new RecordingDelay(16, 8);
    assertArrayEquals(x, AlignedProcessor.processAll(longLead, x, 10_000));
    assertEquals(x[99], longLead.seen[0]);
    RecordingDelay none = new RecordingDelay(16, 8);
    assertArrayEquals(x, AlignedProcessor.processAll(none, x, -5));
    assertEquals(x[0], none.seen[0]);
  }

  @Test
  void warmUpComesOnceAndBeforeProcessing() {
    float[] x = random(64, 3);
    AlignedProcessor p = new AlignedProcessor(new RecordingDelay(16, 8));
    p.warmUp(x, 0, 32);
    IllegalStateException twice = assertThrows(IllegalStateException.class,
        () -> p.warmUp(x, 0, 32));
    assertTrue(twice.getMessage().contains("before the first process"), twice.getMessage());
    AlignedProcessor q = new AlignedProcessor(new RecordingDelay(16, 8));
    q.process(x, 0, 16, new float[16], 0);
    assertThrows(IllegalStateException.class, () -> q.warmUp(x, 0, 16));
    AlignedProcessor r = new AlignedProcessor(new RecordingDelay(16, 8));
    IllegalArgumentException bounds = assertThrows(IllegalArgumentException.class,
        () -> r.warmUp(x, 40, 32));
    assertTrue(bounds.getMessage().contains("lead.length=64 offset=40 length=32"),
        bounds.getMessage());
  }
}
