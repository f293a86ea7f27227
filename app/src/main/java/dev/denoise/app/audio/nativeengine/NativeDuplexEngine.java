package dev.denoise.app.audio.nativeengine;

import dev.denoise.app.audio.AudioEngineException;
import dev.denoise.app.audio.AudioEngineStats;
import dev.denoise.app.audio.DuplexAudioEngine;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * The native full-duplex engine ({@code app/src/main/cpp}): a device callback moves audio
 * through lock-free rings; this class owns one native instance and the Java processing thread
 * that takes 10 ms frames from it, runs the {@link FrameProcessor}, and hands them back.
 *
 * <p>Get one with {@link #openDevice} (Oboe on Android; unavailable wherever the library or its
 * Oboe backend is missing, with the reason) or {@link #openHost} (the simulated device, for
 * tests on a desktop JVM).
 *
 * <p>Threads: {@link #start}, {@link #stop}, {@link #stats} and {@link #close} may be called from
 * any thread; they are serialised by a lock that neither the processing thread nor the device
 * callback ever takes. The processing thread allocates nothing per frame: the frames travel
 * through two direct buffers bound once at start.
 */
public final class NativeDuplexEngine implements DuplexAudioEngine {
  /** How long the processing thread waits for a frame before checking again, in ms. */
  private static final int TAKE_TIMEOUT_MILLIS = 100;

  private final Object lifecycle = new Object();
  private final String name;
  private final int sampleRate;
  private final int frameSize;
  private final boolean host;
  private final ByteBuffer inputBytes;
  private final ByteBuffer outputBytes;
  private final long[] counters = new long[NativeBridge.STATS_COUNTERS];
  private final double[] millis = new double[NativeBridge.STATS_MILLIS];

  private long handle; // guarded by lifecycle; 0 once closed
  private Thread processing; // guarded by lifecycle
  private volatile boolean running;
  private volatile boolean audioPriority;
  private volatile Throwable processorFailure;

  private NativeDuplexEngine(long handle, String name, int sampleRate, boolean host) {
    this.handle = handle;
    this.name = name;
    this.sampleRate = sampleRate;
    this.host = host;
    this.frameSize = NativeBridge.nativeFrameSize(handle);
    this.inputBytes = ByteBuffer.allocateDirect(frameSize * Float.BYTES).order(ByteOrder.nativeOrder());
    this.outputBytes = ByteBuffer.allocateDirect(frameSize * Float.BYTES).order(ByteOrder.nativeOrder());
  }

  /**
   * The engine over the phone's audio device (Oboe), or why it cannot be had: the library is not
   * in this build, or it was built without the Oboe backend.
   *
   * @param extraBufferMillis processed audio queued beyond one frame before playback starts
   *     (more absorbs processing stalls, at that much extra latency); negative: one device burst
   */
  public static NativeEngineResult openDevice(int sampleRate, int extraBufferMillis) {
    NativeLibrary.Availability library = NativeLibrary.availability();
    if (!library.loaded()) {
      return NativeEngineResult.unavailable(library.reason());
    }
    if (!library.hasDeviceBackend()) {
      return NativeEngineResult.unavailable("native engine unavailable: lib" + NativeLibrary.NAME
          + " was built without the Oboe backend (backends: " + library.backends() + ")");
    }
    long handle = NativeBridge.nativeCreateDevice(sampleRate, extraSamples(sampleRate, extraBufferMillis));
    return NativeEngineResult.available(new NativeDuplexEngine(handle, "Native (Oboe)", sampleRate, false));
  }

  /**
   * The engine over the simulated host device.
   *
   * @throws IllegalStateException when the library is not loaded, with the reason
   */
  public static NativeDuplexEngine openHost(HostDeviceSimulation device, int extraBufferMillis) {
    NativeLibrary.Availability library = NativeLibrary.availability();
    if (!library.loaded()) {
      throw new IllegalStateException(library.reason());
    }
    long handle = NativeBridge.nativeCreateHost(device.sampleRate(), device.framesPerBurst(),
        device.jitterMillis(), device.dropoutProbability(), device.inputLagProbability(),
        device.seed(), device.input(), device.captureFrames(),
        extraSamples(device.sampleRate(), extraBufferMillis));
    return new NativeDuplexEngine(handle, "Native (host simulation)", device.sampleRate(), true);
  }

  private static int extraSamples(int sampleRate, int extraBufferMillis) {
    return extraBufferMillis < 0 ? -1 : (int) ((long) sampleRate * extraBufferMillis / 1000);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int sampleRate() {
    return sampleRate;
  }

  @Override
  public int frameSize() {
    return frameSize;
  }

  @Override
  public void start(FrameProcessor processor) throws AudioEngineException {
    if (processor == null) {
      throw new NullPointerException("processor");
    }
    synchronized (lifecycle) {
      checkOpen();
      if (running) {
        throw new IllegalStateException(name + " is already running");
      }
      String error = NativeBridge.nativeStart(handle, inputBytes, outputBytes);
      if (error != null) {
        throw new AudioEngineException(name + ": " + error);
      }
      processorFailure = null;
      running = true;
      long h = handle;
      processing = new Thread(() -> processFrames(h, processor), "denoise-native-processing");
      processing.setDaemon(true);
      processing.start();
    }
  }

  /** The processing thread: take a frame, process it, return it, until the engine stops. */
  private void processFrames(long h, FrameProcessor processor) {
    audioPriority = NativeBridge.nativeRequestAudioPriority();
    float[] in = new float[frameSize];
    float[] out = new float[frameSize];
    FloatBuffer inFloats = inputBytes.asFloatBuffer();
    FloatBuffer outFloats = outputBytes.asFloatBuffer();
    try {
      for (;;) {
        int taken = NativeBridge.nativeTakeFrame(h, TAKE_TIMEOUT_MILLIS);
        if (taken < 0) {
          return;
        }
        if (taken == 0) {
          continue;
        }
        inFloats.rewind();
        inFloats.get(in);
        processor.process(in, out);
        outFloats.rewind();
        outFloats.put(out);
        NativeBridge.nativeSubmitFrame(h);
      }
    } catch (RuntimeException | Error e) {
      // The device keeps running and plays silence (counted as underruns); the failure is kept
      // for processorFailure().
      processorFailure = e;
    }
  }

  @Override
  public void stop() {
    synchronized (lifecycle) {
      if (!running) {
        return;
      }
      NativeBridge.nativeStop(handle);
      boolean interrupted = false;
      while (processing.isAlive()) {
        try {
          processing.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      processing = null;
      running = false;
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public AudioEngineStats stats() {
    NativeEngineStats detailed = detailedStats();
    return detailed == null ? AudioEngineStats.NONE : detailed.common();
  }

  /** All native counters since the last start, or null once closed. */
  public NativeEngineStats detailedStats() {
    synchronized (lifecycle) {
      if (handle == 0) {
        return null;
      }
      NativeBridge.nativeStats(handle, counters, millis);
      return NativeEngineStats.of(counters, millis);
    }
  }

  /** What the processor threw on the last run, or null. */
  public Throwable processorFailure() {
    return processorFailure;
  }

  /** Whether the processing thread got audio priority on the last run. */
  public boolean hasAudioPriority() {
    return audioPriority;
  }

  /** The backend's own name, e.g. "Oboe" or "host simulation". */
  public String backendName() {
    synchronized (lifecycle) {
      checkOpen();
      return NativeBridge.nativeBackendName(handle);
    }
  }

  /** What the simulated device played during the last run. Host engines only, while stopped. */
  public float[] hostCapture() {
    synchronized (lifecycle) {
      checkHostStopped();
      return NativeBridge.nativeHostCapture(handle);
    }
  }

  /** The bursts the simulated device dropped during the last run. Host engines only, stopped. */
  public long[] hostDropouts() {
    synchronized (lifecycle) {
      checkHostStopped();
      return NativeBridge.nativeHostDropouts(handle);
    }
  }

  @Override
  public void close() {
    synchronized (lifecycle) {
      stop();
      if (handle != 0) {
        NativeBridge.nativeDestroy(handle);
        handle = 0;
      }
    }
  }

  private void checkOpen() {
    if (handle == 0) {
      throw new IllegalStateException(name + " is closed");
    }
  }

  private void checkHostStopped() {
    checkOpen();
    if (!host || running) {
      throw new IllegalStateException(name + ": the capture exists for a stopped host engine only");
    }
  }
}
