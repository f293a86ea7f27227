package dev.denoise.tflite;

import org.tensorflow.lite.Interpreter;

/**
 * Where the interpreter runs a model. Only what works on the desktop runtime (TFLite 2.6.2
 * JNI, x86-64) is listed; the Android app adds GPU (photo CNN) and NNAPI (int8) with the
 * 2.16.1 AAR's delegate classes, which the desktop jar does not carry.
 */
public enum Delegate {
  /** TFLite's built-in CPU kernels, XNNPACK explicitly off (2.16.1 turns it on by default). */
  CPU,
  /**
   * The XNNPACK CPU delegate, applied through {@code Interpreter.Options.setUseXNNPACK(true)}
   * (off by default in the 2.6 Java API). The interpreter owns it and frees it on close.
   * It speeds up float32 graphs; on the 2.6 runtime int8 operators stay on the built-in
   * kernels.
   */
  XNNPACK;

  /** Configures {@code options} for this delegate. */
  void apply(Interpreter.Options options) {
    options.setUseXNNPACK(this == XNNPACK);
  }
}
