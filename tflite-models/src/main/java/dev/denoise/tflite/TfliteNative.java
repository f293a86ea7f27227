package dev.denoise.tflite;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Loads TensorFlow Lite's JNI library once per process, offline.
 *
 * <p>On the desktop the {@code org.tensorflow.lite} classes come from DJL's
 * {@code ai.djl.tflite:tflite-engine} jar, whose {@code TensorFlowLite.init()} does not load any
 * library (DJL's engine would, downloading it when absent: it is not on the classpath here). The
 * library itself, {@code native/lib/libtensorflowlite_jni.so} (TFLite 2.6.2, linux-x86_64),
 * sits in {@code ai.djl.tflite:tflite-native-cpu:2.6.2:linux-x86_64}, a Maven jar on the runtime
 * classpath: it is copied to a fresh temporary folder (deleted at exit) and passed to
 * {@link System#load}. Nothing is downloaded.
 *
 * <p>Order of lookup:
 * <ol>
 *   <li>system property {@value #LIBRARY_PROPERTY}: path of a {@code libtensorflowlite_jni}
 *       to load instead (another platform, another build);
 *   <li>the classpath resource {@value #RESOURCE};
 *   <li>{@code System.loadLibrary("tensorflowlite_jni")}: Android, where the AAR's
 *       {@code jni/<abi>/} library is in the APK, or {@code java.library.path}.
 * </ol>
 */
public final class TfliteNative {
  /** System property naming a JNI library file to load instead of the bundled one. */
  public static final String LIBRARY_PROPERTY = "denoise.tflite.library";
  /** Where the native jar keeps the library. */
  public static final String RESOURCE = "native/lib/libtensorflowlite_jni.so";

  private static boolean loaded;
  private static String loadedFrom;

  private TfliteNative() {}

  /**
   * Loads the library unless already loaded; safe from any thread.
   *
   * @throws IllegalStateException when no library can be found or loaded, naming what was tried
   */
  public static synchronized void load() {
    if (loaded) {
      return;
    }
    String override = System.getProperty(LIBRARY_PROPERTY);
    try {
      if (override != null) {
        System.load(new java.io.File(override).getAbsolutePath());
        loadedFrom = override;
      } else if (TfliteNative.class.getClassLoader().getResource(RESOURCE) != null) {
        Path lib = extract();
        System.load(lib.toString());
        loadedFrom = lib.toString();
      } else {
        System.loadLibrary("tensorflowlite_jni");
        loadedFrom = "java.library.path";
      }
    } catch (IOException | UnsatisfiedLinkError e) {
      throw new IllegalStateException("cannot load TensorFlow Lite's JNI library ("
          + (override != null ? LIBRARY_PROPERTY + "=" + override
              : "classpath resource " + RESOURCE + " from ai.djl.tflite:tflite-native-cpu, "
                  + "then tensorflowlite_jni on java.library.path")
          + "): " + e.getMessage(), e);
    }
    loaded = true;
  }

  /** Where the library was loaded from (a path or "java.library.path"); null before load. */
  public static synchronized String loadedFrom() {
    return loadedFrom;
  }

  private static Path extract() throws IOException {
    Path dir = Files.createTempDirectory("denoise-tflite-");
    Path lib = dir.resolve("libtensorflowlite_jni.so");
    try (InputStream in = TfliteNative.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException("resource " + RESOURCE + " vanished");
      }
      Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
    }
    lib.toFile().deleteOnExit();
    dir.toFile().deleteOnExit();
    return lib;
  }
}
