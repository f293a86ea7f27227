package dev.denoise.app.audio.nativeengine;

/**
 * Loads {@code libdenoise_native} once and remembers whether that worked and why not.
 *
 * <p>On Android the library would come from the APK ({@code System.loadLibrary}); this project's
 * machines have no NDK, so today's APKs do not contain it and the app falls back to the platform
 * engine. On a desktop JVM (the tests) the system property {@value #PATH_PROPERTY} names the
 * host-built library file, loaded with {@code System.load}.
 */
public final class NativeLibrary {
  /** The library's name as {@code System.loadLibrary} takes it. */
  public static final String NAME = "denoise_native";
  /** System property holding an absolute path to the library file (desktop JVMs, tests). */
  public static final String PATH_PROPERTY = "denoise.native.library";

  /** Whether the library is loaded, which backends it has, and otherwise why not. */
  public record Availability(boolean loaded, String backends, String reason) {
    /** Whether the device (Oboe) backend is compiled in. */
    public boolean hasDeviceBackend() {
      return loaded && backends.contains("oboe");
    }
  }

  private static Availability availability;

  private NativeLibrary() {}

  /** Loads the library on the first call; later calls return the same answer. */
  public static synchronized Availability availability() {
    if (availability == null) {
      String path = System.getProperty(PATH_PROPERTY);
      String failure = path == null || path.isEmpty() ? loadByName() : loadFile(path);
      if (failure != null) {
        availability = new Availability(false, "", failure);
      } else {
        availability = new Availability(true, NativeBridge.nativeBackends(), "loaded");
      }
    }
    return availability;
  }

  /** Loads {@code path}; returns null on success, otherwise the reason, naming the file. */
  static String loadFile(String path) {
    try {
      System.load(path);
      return null;
    } catch (UnsatisfiedLinkError | SecurityException e) {
      return "native engine unavailable: could not load " + path + " (" + e.getMessage() + ")";
    }
  }

  private static String loadByName() {
    try {
      System.loadLibrary(NAME);
      return null;
    } catch (UnsatisfiedLinkError | SecurityException e) {
      return "native engine unavailable: lib" + NAME + ".so is not part of this build ("
          + e.getMessage() + ")";
    }
  }
}
