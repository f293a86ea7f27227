/**
 * TensorFlow Lite behind the core's model interfaces.
 *
 * <pre>
 * X.tflite + X.manifest.json ─► ModelFile (map, sha256) ─► Interpreter (Delegate, threads)
 *                                      │ bind(): manifest tensors by signature name, checked
 *                                      ▼
 *                   TfliteGainModel implements GainModel: per frame features → [int8] → run
 *                   → gains, vad, states_out → states_in (preallocated direct buffers)
 * </pre>
 *
 * <p>The JNI library is loaded by {@link dev.denoise.tflite.TfliteNative} without network
 * access. Everything here compiles against the API common to TFLite 2.6 (desktop) and 2.16.1
 * (Android), which a test enforces.
 */
package dev.denoise.tflite;
