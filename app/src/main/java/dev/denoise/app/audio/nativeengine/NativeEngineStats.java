package dev.denoise.app.audio.nativeengine;

import dev.denoise.app.audio.AudioEngineStats;

/**
 * Everything the native engine counts (a superset of {@link AudioEngineStats}); the field order
 * is the order {@code nativeStats} writes them in.
 *
 * @param phase 0 stopped, 1 draining stale input, 2 settling, 3 running
 * @param callbacks device callbacks since start
 * @param framesProcessed 10 ms frames the processor returned
 * @param inputOverruns callbacks whose input did not fit towards the processor
 * @param inputSamplesDropped input samples lost that way
 * @param outputUnderruns callbacks short of processed audio after playback began
 * @param underrunSamples silent samples played that way
 * @param submitOverflows processed frames that found the output ring full
 * @param deviceXruns glitches the device itself reported
 * @param latencySamples samples held by the engine at the last callback (-1 unknown)
 * @param maxLatencySamples the largest such value since playback began (-1 unknown)
 * @param framesPerBurst the device burst
 * @param primeSamples processed samples queued before playback starts
 * @param startTrimmedSamples processed samples dropped when playback began (a slow start)
 * @param latencyTrims latency recoveries: after underruns, once the processing thread caught
 *     up, the excess queued audio was dropped in one skip
 * @param latencyTrimmedSamples processed samples dropped by them
 * @param latencyMillis engine plus device latency, NaN when unknown
 * @param deviceLatencyMillis the device's own estimate, NaN when unknown
 */
public record NativeEngineStats(
    int phase,
    long callbacks,
    long framesProcessed,
    long inputOverruns,
    long inputSamplesDropped,
    long outputUnderruns,
    long underrunSamples,
    long submitOverflows,
    long deviceXruns,
    long latencySamples,
    long maxLatencySamples,
    int framesPerBurst,
    int primeSamples,
    long startTrimmedSamples,
    long latencyTrims,
    long latencyTrimmedSamples,
    double latencyMillis,
    double deviceLatencyMillis) {

  static NativeEngineStats of(long[] c, double[] m) {
    return new NativeEngineStats((int) c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8],
        c[9], c[10], (int) c[11], (int) c[12], c[13], c[14], c[15], m[0], m[1]);
  }

  /** The common counters of {@link dev.denoise.app.audio.DuplexAudioEngine#stats()}. */
  public AudioEngineStats common() {
    return new AudioEngineStats(framesProcessed, inputOverruns, outputUnderruns,
        submitOverflows + latencyTrims, latencyMillis);
  }
}
