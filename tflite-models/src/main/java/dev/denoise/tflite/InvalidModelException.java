package dev.denoise.tflite;

import java.io.IOException;

/**
 * A model file or manifest that cannot be used: unreadable JSON, a missing field, a sha256
 * that differs, tensors whose names, shapes, types or quantization differ from the manifest,
 * or features of another version. The message names the file and the mismatch with the numbers.
 */
public final class InvalidModelException extends IOException {
  private static final long serialVersionUID = 1L;

  public InvalidModelException(String message) {
    super(message);
  }

  public InvalidModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
