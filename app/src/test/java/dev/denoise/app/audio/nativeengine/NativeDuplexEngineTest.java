package dev.denoise.app.audio.nativeengine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.denoise.app.audio.AudioEngineStats;
import dev.denoise.app.audio.DuplexAudioEngine.FrameProcessor;
import dev.denoise.core.audio.SpeechLikeSignal;
import dev.denoise.core.audio.StreamingStage;
import dev.denoise.core.audio.classic.ClassicDenoiser;
import dev.denoise.core.audio.classic.ClassicMethod;
import dev.denoise.core.audio.classic.Strength;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JNI bridge and the native engine, loaded on the desktop JVM and driven through the
 * simulated host device in real time, with the Java denoiser on the processing thread.
 *
 * <p>Maven builds the host library with CMake before the tests (see app/pom.xml) and passes its
 * path in {@value NativeLibrary#PATH_PROPERTY}. When it is missing these tests fail, saying so;
 * they are skipped only with {@code -Dnative.skip=true}.
 */
class NativeDuplexEngineTest {
  private static final int RATE = 48_000;
  private static final int FRAME = RATE / 100;
  private static final int BURST = 192;
  /**
   * Extra output buffering: this project's shared 2-core machines were measured keeping a
   * runnable thread off the CPU for up to 60 ms; a phone needs far less.
   */
  private static final int EXTRA_MILLIS = 100;
  /** Runs of a test whose simulated device starved early, before the test fails. */
  private static final int ATTEMPTS = 4;

  @BeforeAll
  static void loadLibrary() {
    Assumptions.assumeFalse(Boolean.getBoolean("native.skip"),
        "native.skip=true: the host JNI library was not built, native engine tests skipped");
    NativeLibrary.Availability library = NativeLibrary.availability();
    if (!library.loaded()) {
      fail("the host JNI library did not load: " + library.reason() + ". Maven builds it with"
          + " CMake (app/src/main/cpp/build-host.sh needs cmake and g++; app/src/main/cpp/ci.sh"
          + " installs them), or pass -Dnative.skip=true to skip these tests explicitly.");
    }
  }

  @Test
  void identityProcessorPassesAudioBitExactWithBoundedLatency() throws Exception {
    float[] input = SpeechLikeSignal.mix(SpeechLikeSignal.speech(RATE, 6, 21),
        SpeechLikeSignal.noise(RATE, 6, 0.5, false, 22), 10);
    HostDeviceSimulation device =
        new HostDeviceSimulation(RATE, BURST, 1.0, 0, 0, 5, input, 5 * RATE);
    Run run = runOnHost(device, EXTRA_MILLIS,
        () -> (in, out) -> System.arraycopy(in, 0, out, 0, in.length));

    int first = firstNonZero(run.capture);
    assertTrue(first >= 0 && first < RATE, "playback began at " + first);
    int delay = findDelay(run.capture, input, first, 0, 4 * RATE);
    assertTrue(delay >= 0, "the played audio is not the input");
    int end = checkedEnd(run, first);
    Comparison c = compare(run.capture, first, end, input, first - delay);
    report("identity", run, delay, 0);
    assertEquals(0, c.mismatches, "samples that differ from the delayed input");
    assertGlitchesExplained(run, c);
    // The engine starts playing with the prime level queued; at most a frame being assembled
    // and one burst move the device-measured delay around it.
    assertTrue(delay >= run.stats.primeSamples() - BURST && delay < run.stats.primeSamples() + FRAME,
        "added latency " + delay + " samples, prime " + run.stats.primeSamples());
    // The engine's own estimate counts the burst it has just read, underrun silence and latency
    // trims; a frame in flight on the processing thread moves it by up to a frame.
    assertEquals(delay + BURST + run.stats.underrunSamples() - run.stats.latencyTrimmedSamples(),
        run.stats.latencySamples(), FRAME + BURST,
        "engine latency estimate vs the delay measured at the device");
  }

  @Test
  void classicDenoiserRunsEndToEndWithoutGlitches() throws Exception {
    float[] input = SpeechLikeSignal.mix(SpeechLikeSignal.speech(RATE, 8, 31),
        SpeechLikeSignal.noise(RATE, 8, 0.5, true, 32), 0);
    HostDeviceSimulation device =
        new HostDeviceSimulation(RATE, BURST, 1.0, 0, 0.05, 7, input, 5 * RATE);
    StreamingStage[] live = new StreamingStage[1];
    // Warm the JIT on another instance first, as an app should before going live: interpreted,
    // the first frames take several times the 10 ms budget and would underrun the device.
    StreamingStage warmUp =
        ClassicDenoiser.newStage(ClassicMethod.MMSE_LSA, RATE, Strength.DEFAULT, null);
    processOffline(warmUp, input, 0, input.length);
    processOffline(warmUp, input, 0, input.length);
    Run run = runOnHost(device, EXTRA_MILLIS, () -> {
      StreamingStage stage =
          ClassicDenoiser.newStage(ClassicMethod.MMSE_LSA, RATE, Strength.DEFAULT, null);
      assertEquals(FRAME, stage.frameSize());
      live[0] = stage;
      return (in, out) -> stage.process(in, 0, out, 0);
    });

    int first = firstNonZero(run.capture);
    assertTrue(first >= 0 && first < RATE, "playback began at " + first);
    int end = checkedEnd(run, first);
    // The engine hands the processor every input sample from some start index s on, in order;
    // an offline run of a fresh denoiser from s must then reproduce the device's output exactly.
    // s is a whole number of bursts (the engine discards draining and settling bursts).
    StreamingStage offline =
        ClassicDenoiser.newStage(ClassicMethod.MMSE_LSA, RATE, Strength.DEFAULT, null);
    int bestStart = -1;
    int delay = -1;
    float[] reference = null;
    for (int s = 0; s <= 20 * BURST && delay < 0; s += BURST) {
      reference = processOffline(offline, input, s, end + 2 * RATE);
      delay = findDelay(run.capture, reference, first, 0, 2 * RATE);
      bestStart = s;
    }
    assertTrue(delay >= 0, "the device's output is not the denoiser's output for any start");
    Comparison c = compare(run.capture, first, end, reference, first - delay);
    // Output sample n is reference[n - delay], which the denoiser made from input
    // bestStart + n - delay - its latency: the engine adds delay - bestStart samples.
    int engineDelay = delay - bestStart;
    report("classic denoiser", run, engineDelay, live[0].latencySamples());
    assertEquals(0, c.mismatches, "samples that differ from the offline denoiser");
    assertGlitchesExplained(run, c);
    assertTrue(engineDelay >= run.stats.primeSamples() - BURST
            && engineDelay < run.stats.primeSamples() + FRAME + BURST,
        "added latency " + engineDelay + " samples, prime " + run.stats.primeSamples());
    assertTrue(rms(run.capture, first + RATE, end) < rms(input, first + RATE - engineDelay,
        end - engineDelay), "the denoiser should remove energy from noisy speech at 0 dB");
  }

  /**
   * The default margin (one device burst): the lowest latency the engine offers. On a loaded
   * machine it may glitch; what must hold is that every glitch is counted and that audio is
   * delayed by underruns, never reordered or repeated.
   */
  @Test
  void defaultMarginCountsEveryGlitch() throws Exception {
    float[] ramp = new float[8 * RATE];
    for (int i = 0; i < ramp.length; i++) {
      ramp[i] = i + 1; // exact in float: a played value names its input index
    }
    HostDeviceSimulation device = new HostDeviceSimulation(RATE, BURST, 1.0, 0, 0, 9, ramp, 5 * RATE);
    Run run = runOnHost(device, -1,
        () -> (in, out) -> System.arraycopy(in, 0, out, 0, in.length));

    int first = firstNonZero(run.capture);
    assertTrue(first >= 0 && first < RATE, "playback began at " + first);
    int end = checkedEnd(run, first);
    int delay = first - (int) (run.capture[first] - 1);
    Comparison c = compare(run.capture, first, end, ramp, first - delay);
    report("identity, default margin", run, delay, 0);
    assertEquals(0, c.mismatches, "played samples lost, reordered or repeated");
    assertGlitchesExplained(run, c);
    assertEquals(FRAME + BURST, run.stats.primeSamples(), "default prime: a frame and a burst");
    assertTrue(delay >= run.stats.primeSamples() - BURST && delay < run.stats.primeSamples() + FRAME,
        "added latency at the start " + delay + " samples, prime " + run.stats.primeSamples());
  }

  /**
   * A processor that stalls for 150 ms once: the device plays counted silence, then, once the
   * thread has caught up, the engine skips the excess and the latency returns to where it was.
   */
  @Test
  void aStalledProcessorUnderrunsAndLatencyRecovers() throws Exception {
    float[] ramp = new float[8 * RATE];
    for (int i = 0; i < ramp.length; i++) {
      ramp[i] = i + 1;
    }
    HostDeviceSimulation device = new HostDeviceSimulation(RATE, BURST, 0, 0, 0, 11, ramp, 5 * RATE);
    Run run = runOnHost(device, 20, () -> {
      int[] frames = {0};
      return (in, out) -> {
        if (++frames[0] == 100) {
          try {
            Thread.sleep(150);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        System.arraycopy(in, 0, out, 0, in.length);
      };
    });
    int first = firstNonZero(run.capture);
    assertTrue(first >= 0 && first < RATE, "playback began at " + first);
    int end = checkedEnd(run, first);
    int delay = first - (int) (run.capture[first] - 1);
    Comparison c = compare(run.capture, first, end, ramp, first - delay);
    report("identity, one 150 ms stall", run, delay, 0);
    assertEquals(0, c.mismatches, "played samples lost, reordered or repeated");
    assertGlitchesExplained(run, c);
    assertTrue(run.stats.outputUnderruns() > 0, "a 150 ms stall must underrun a 20 ms margin");
    assertTrue(run.stats.latencyTrims() > 0, "latency was not recovered after the stall");
    assertEquals(run.stats.submitOverflows() + run.stats.latencyTrims(), run.stats.common().outputDrops(),
        "the common counters' output drops");
    assertTrue(run.stats.latencySamples() <= run.stats.primeSamples() + 2 * FRAME + BURST,
        "latency after recovery " + run.stats.latencySamples() + " samples, prime "
            + run.stats.primeSamples());
  }

  @Test
  void lifecycleIsGuarded() throws Exception {
    HostDeviceSimulation device = HostDeviceSimulation.clean(RATE, 240, new float[] {0.25f}, 0);
    NativeDuplexEngine engine = NativeDuplexEngine.openHost(device, 10);
    assertEquals("Native (host simulation)", engine.name());
    assertEquals("host simulation", engine.backendName());
    assertEquals(FRAME, engine.frameSize());
    assertEquals(AudioEngineStats.NONE.framesProcessed(), engine.stats().framesProcessed());
    FrameProcessor identity = (in, out) -> System.arraycopy(in, 0, out, 0, in.length);
    engine.start(identity);
    assertTrue(engine.isRunning());
    assertThrows(IllegalStateException.class, () -> engine.start(identity));
    assertThrows(IllegalStateException.class, engine::hostCapture);
    waitForFrames(engine, 20);
    engine.stop();
    engine.stop();
    assertFalse(engine.isRunning());
    long processed = engine.stats().framesProcessed();
    assertTrue(processed >= 20, "frames processed: " + processed);
    // A second run starts from fresh counters.
    engine.start(identity);
    waitForFrames(engine, 5);
    engine.close();
    engine.close();
    assertFalse(engine.isRunning());
    assertEquals(AudioEngineStats.NONE, engine.stats());
    assertThrows(IllegalStateException.class, () -> engine.start(identity));
  }

  @Test
  void aThrowingProcessorIsReportedAndTheDeviceKeepsRunning() throws Exception {
    HostDeviceSimulation device = HostDeviceSimulation.clean(RATE, 240, new float[] {0.25f}, 0);
    try (NativeDuplexEngine engine = NativeDuplexEngine.openHost(device, 0)) {
      engine.start((in, out) -> {
        throw new IllegalStateException("boom");
      });
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (engine.processorFailure() == null && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      long callbacks = engine.detailedStats().callbacks();
      Thread.sleep(100);
      assertTrue(engine.detailedStats().callbacks() > callbacks, "device callbacks continue");
      engine.stop();
      assertNotNull(engine.processorFailure());
      assertEquals("boom", engine.processorFailure().getMessage());
    }
  }

  @Test
  void theDeviceEngineIsUnavailableWithAReasonWhenOboeIsNotBuiltIn() {
    NativeLibrary.Availability library = NativeLibrary.availability();
    NativeEngineResult result = NativeDuplexEngine.openDevice(RATE, -1);
    if (library.hasDeviceBackend()) {
      assertTrue(result.isAvailable());
      result.engine().close();
      return;
    }
    assertFalse(result.isAvailable());
    assertTrue(result.unavailableReason().startsWith("native engine unavailable: "),
        result.unavailableReason());
    assertTrue(result.unavailableReason().contains("Oboe"), result.unavailableReason());
    IllegalStateException e = assertThrows(IllegalStateException.class, result::engine);
    assertEquals(result.unavailableReason(), e.getMessage());
  }

  @Test
  void aMissingLibraryFileGivesAReason() {
    String reason = NativeLibrary.loadFile("/nonexistent/libdenoise_native.so");
    assertNotNull(reason);
    assertTrue(reason.startsWith("native engine unavailable: could not load /nonexistent/"),
        reason);
    assertNull(NativeLibrary.loadFile(System.getProperty(NativeLibrary.PATH_PROPERTY)),
        "loading the same library again is harmless");
  }

  // ---------------------------------------------------------------------------------------------

  private record Run(float[] capture, long[] dropouts, NativeEngineStats stats, boolean priority,
      double longestGapMillis) {}

  /** Times the processing thread: the longest wait between two frames shows its stalls. */
  private static final class TimedProcessor implements FrameProcessor {
    private final FrameProcessor inner;
    private long last;
    private volatile long longestGapNanos;

    TimedProcessor(FrameProcessor inner) {
      this.inner = inner;
    }

    @Override
    public void process(float[] input, float[] output) {
      long now = System.nanoTime();
      if (last != 0 && now - last > longestGapNanos) {
        longestGapNanos = now - last;
      }
      last = now;
      inner.process(input, output);
    }
  }

  /**
   * Played samples against a source: equal ones, silent insertions (underruns), source samples
   * skipped (latency recovery), and the rest.
   */
  private record Comparison(long matched, long silent, long skipped, long mismatches) {}

  /** How far ahead a latency-recovery skip may land, in source samples. */
  private static final int MAX_SKIP = 2 * RATE;

  /**
   * Walks played[first, end) against source from sourceStart on: a sample equal to the next
   * source sample advances both; a silent one that is not is an inserted underrun sample (the
   * engine delays audio); one that continues the source further ahead (16 samples equal) is a
   * skip (latency recovery drops queued audio); anything else is a mismatch.
   */
  private static Comparison compare(float[] played, int first, int end, float[] source,
      int sourceStart) {
    long matched = 0;
    long silent = 0;
    long skipped = 0;
    long mismatches = 0;
    int r = sourceStart;
    for (int n = first; n < end; n++) {
      if (r < source.length && played[n] == source[r]) {
        matched++;
        r++;
      } else if (played[n] == 0f) {
        silent++;
      } else {
        int ahead = findAhead(played, n, Math.min(end, n + 16), source, r + 1);
        if (ahead > 0) {
          skipped += ahead - r;
          r = ahead + 1;
          matched++;
        } else {
          mismatches++;
          r++;
        }
      }
    }
    return new Comparison(matched, silent, skipped, mismatches);
  }

  /** The source position in [from, from + MAX_SKIP) where played[n, to) continues; -1 if none. */
  private static int findAhead(float[] played, int n, int to, float[] source, int from) {
    int length = to - n;
    for (int j = from; j < Math.min(source.length - length, from + MAX_SKIP); j++) {
      if (Arrays.equals(played, n, to, source, j, j + length)) {
        return j;
      }
    }
    return -1;
  }

  /**
   * Glitch-free, or every glitch counted and explained: underruns only when the processing
   * thread was kept off the CPU for about the whole margin (this machine is shared), and the
   * silence played equals the counted underrun samples.
   */
  private static void assertGlitchesExplained(Run run, Comparison c) {
    NativeEngineStats s = run.stats;
    assertEquals(0, s.inputOverruns(), "input overruns");
    assertEquals(0, s.submitOverflows(), "submit overflows");
    if (run.dropouts.length == 0) {
      assertEquals(s.underrunSamples(), c.silent, "silence played vs underrun samples counted");
      assertEquals(s.latencyTrimmedSamples(), c.skipped, "audio skipped vs latency trims counted");
    }
    if (s.outputUnderruns() > 0) {
      double marginMillis = 1000.0 * (s.primeSamples() - FRAME - BURST) / RATE;
      assertTrue(run.longestGapMillis >= marginMillis,
          s.outputUnderruns() + " underruns although the processing thread never waited more"
              + " than " + run.longestGapMillis + " ms (margin " + marginMillis + " ms)");
    }
  }

  /**
   * Runs the engine with a fresh processor until its simulated device's own clock thread kept
   * time for the first 0.5 s of playback, at most {@value #ATTEMPTS} times. A device dropout is
   * the simulator starved of the CPU (this machine is shared), not the engine's doing; the
   * checks that follow still see every dropout of the run they are given.
   */
  private static Run runOnHost(HostDeviceSimulation device, int extraMillis,
      Supplier<FrameProcessor> processors) throws Exception {
    Run run = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      run = runOnce(device, extraMillis, processors.get());
      int first = firstNonZero(run.capture);
      if (first < 0 || run.dropouts.length == 0 || run.dropouts[0] * BURST >= first + RATE / 2) {
        return run;
      }
      System.out.printf(Locale.ROOT,
          "attempt %d: the simulated device starved at burst %d, playback began at sample %d;"
              + " running again%n", attempt, run.dropouts[0], first);
    }
    return run;
  }

  /**
   * Runs the engine until the device has played 3 s, then stops it. The capture must be longer
   * than that: it then holds everything played, so the counters (read after stopping) and the
   * capture describe the same run.
   */
  private static Run runOnce(HostDeviceSimulation device, int extraMillis,
      FrameProcessor processor) throws Exception {
    int burst = device.framesPerBurst();
    long bursts = (3L * device.sampleRate() + burst - 1) / burst;
    assertTrue(device.captureFrames() >= (bursts + 100) * burst, "capture too short for the run");
    TimedProcessor timed = new TimedProcessor(processor);
    try (NativeDuplexEngine engine = NativeDuplexEngine.openHost(device, extraMillis)) {
      engine.start(timed);
      long deadline = System.nanoTime() + 60_000_000_000L;
      // Device callbacks plus device dropouts: how far the device's clock has gone.
      while (engine.detailedStats().callbacks() + engine.detailedStats().deviceXruns() < bursts) {
        assertTrue(System.nanoTime() < deadline, "the simulated device stalled");
        Thread.sleep(20);
      }
      engine.stop();
      NativeEngineStats stats = engine.detailedStats();
      assertNull(engine.processorFailure(), "the processor threw");
      float[] capture = engine.hostCapture();
      int played = (int) Math.min(capture.length, (stats.callbacks() + stats.deviceXruns()) * burst);
      assertTrue(played < capture.length, "the device played past the capture");
      return new Run(Arrays.copyOf(capture, played), engine.hostDropouts(), stats,
          engine.hasAudioPriority(), timed.longestGapNanos / 1e6);
    }
  }

  /**
   * The end of the stretch to check: the capture, or the first device dropout (the simulated
   * device's own thread starved past a deadline, outside the engine's control).
   */
  private static int checkedEnd(Run run, int first) {
    int end = run.capture.length;
    if (run.dropouts.length > 0) {
      end = (int) Math.min(end, run.dropouts[0] * BURST);
      System.out.printf(Locale.ROOT, "device dropouts: %d; checking the first %d samples%n",
          run.dropouts.length, end);
    }
    assertTrue(end >= first + RATE / 2,
        "the simulated device glitched within 0.5 s of playback: machine too loaded");
    return end;
  }

  private static void report(String what, Run run, int engineDelay, int processorDelay) {
    NativeEngineStats s = run.stats;
    System.out.printf(Locale.ROOT,
        "native engine, %s: %d frames, glitches: %d underruns (%d samples), %d overruns,"
            + " %d device xruns, %d latency trims (%d samples); added latency %d samples = %.2f ms"
            + " (prime %d = %.2f ms, engine estimate %.2f ms, start trim %d), processor latency"
            + " %.2f ms, audio priority %s,"
            + " longest processing-thread gap %.1f ms%n",
        what, s.framesProcessed(), s.outputUnderruns(), s.underrunSamples(), s.inputOverruns(),
        s.deviceXruns(), s.latencyTrims(), s.latencyTrimmedSamples(), engineDelay,
        1000.0 * engineDelay / RATE, s.primeSamples(),
        1000.0 * s.primeSamples() / RATE, s.latencyMillis(), s.startTrimmedSamples(),
        1000.0 * processorDelay / RATE, run.priority, run.longestGapMillis);
  }

  private static void waitForFrames(NativeDuplexEngine engine, long frames) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (engine.stats().framesProcessed() < frames) {
      assertTrue(System.nanoTime() < deadline, "no frames processed");
      Thread.sleep(5);
    }
  }

  private static int firstNonZero(float[] x) {
    for (int i = 0; i < x.length; i++) {
      if (x[i] != 0f) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The delay d such that {@code played[first + t] == source[first - d + t]} for 256 samples,
   * searched over source positions [from, to); -1 when none matches.
   */
  private static int findDelay(float[] played, float[] source, int first, int from, int to) {
    for (int j = from; j < Math.min(to, source.length - 256) && j <= first; j++) {
      if (Arrays.equals(played, first, first + 256, source, j, j + 256)) {
        return first - j;
      }
    }
    return -1;
  }

  /** The denoiser's output for input[start...], reset first, over whole frames up to length. */
  private static float[] processOffline(StreamingStage stage, float[] input, int start, int length) {
    stage.reset();
    float[] out = new float[length];
    float[] in = new float[FRAME];
    float[] frame = new float[FRAME];
    for (int pos = 0; pos + FRAME <= length && start + pos + FRAME <= input.length; pos += FRAME) {
      System.arraycopy(input, start + pos, in, 0, FRAME);
      stage.process(in, 0, frame, 0);
      System.arraycopy(frame, 0, out, pos, FRAME);
    }
    return out;
  }

  private static double rms(float[] x, int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += (double) x[i] * x[i];
    }
    return Math.sqrt(sum / Math.max(1, to - from));
  }
}
