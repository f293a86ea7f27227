package dev.denoise.app.audio.nativeengine;

import java.nio.ByteBuffer;

/**
 * The JNI surface of {@code libdenoise_native} ({@code app/src/main/cpp/jni/jni_bridge.cpp}):
 * thin shims, one engine call each. A handle is the address of one native engine instance; it is
 * owned by exactly one {@link NativeDuplexEngine}, which frees it with {@link #nativeDestroy}.
 * Only callable after {@link NativeLibrary#availability()} reported the library loaded.
 */
final class NativeBridge {
  private NativeBridge() {}

  /** Length of the array {@link #nativeStats} fills with counters. */
  static final int STATS_COUNTERS = 16;
  /** Length of the array {@link #nativeStats} fills with millisecond figures. */
  static final int STATS_MILLIS = 2;

  /** Comma-separated backends compiled into the library: "host", or "host,oboe". */
  static native String nativeBackends();

  /** An engine over the simulated host device; see {@link HostDeviceSimulation}. */
  static native long nativeCreateHost(int sampleRate, int framesPerBurst, double jitterMillis,
      double dropoutProbability, double inputLagProbability, long seed, float[] input,
      int captureFrames, int extraPrimeSamples);

  /** An engine over the device (Oboe); throws UnsupportedOperationException without Oboe. */
  static native long nativeCreateDevice(int sampleRate, int extraPrimeSamples);

  static native String nativeBackendName(long handle);

  static native int nativeFrameSize(long handle);

  /**
   * Binds the two direct frame buffers (native byte order, one frame of floats each) and starts
   * the device. Returns null on success, otherwise why it failed.
   */
  static native String nativeStart(long handle, ByteBuffer input, ByteBuffer output);

  /** Stops the device and wakes a thread blocked in {@link #nativeTakeFrame}. */
  static native void nativeStop(long handle);

  /** Raises the calling thread to audio priority (nice -19); false when not permitted. */
  static native boolean nativeRequestAudioPriority();

  /**
   * Waits up to {@code timeoutMillis} for the next input frame and copies it into the input
   * buffer. Returns 1 for a frame, 0 on timeout, -1 once the engine is stopped.
   */
  static native int nativeTakeFrame(long handle, int timeoutMillis);

  /** Queues the output buffer's frame for playback; false when the output ring was full. */
  static native boolean nativeSubmitFrame(long handle);

  /** Fills {@code counters} and {@code millis}; see {@link NativeEngineStats} for the order. */
  static native void nativeStats(long handle, long[] counters, double[] millis);

  /** What the simulated device played (host engines, after stop), else null. */
  static native float[] nativeHostCapture(long handle);

  /** Indexes of the bursts the simulated device dropped (host engines, after stop), else null. */
  static native long[] nativeHostDropouts(long handle);

  /** Stops the engine if needed and frees the instance; the handle is invalid afterwards. */
  static native void nativeDestroy(long handle);
}
