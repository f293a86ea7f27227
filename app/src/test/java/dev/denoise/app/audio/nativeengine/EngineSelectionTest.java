package dev.denoise.app.audio.nativeengine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoise.app.audio.AudioEngineStats;
import dev.denoise.app.audio.DuplexAudioEngine;
import org.junit.jupiter.api.Test;

/**
 * Without the Oboe backend (every build on this project's machines: the JVM loads the host
 * library, or none at all) the platform engine is chosen, and the description says why.
 */
class EngineSelectionTest {

  /** A do-nothing platform engine: only its identity and name matter here. */
  private static final class FakePlatformEngine implements DuplexAudioEngine {
    @Override
    public String name() {
      return "AudioRecord/AudioTrack";
    }

    @Override
    public int sampleRate() {
      return 48_000;
    }

    @Override
    public void start(FrameProcessor processor) {}

    @Override
    public void stop() {}

    @Override
    public boolean isRunning() {
      return false;
    }

    @Override
    public AudioEngineStats stats() {
      return AudioEngineStats.NONE;
    }

    @Override
    public void close() {}
  }

  @Test
  void fallsBackToThePlatformEngineAndSaysWhy() {
    NativeLibrary.Availability library = NativeLibrary.availability();
    if (library.hasDeviceBackend()) {
      return; // a library with Oboe cannot run on the JVM's machine anyway
    }
    FakePlatformEngine platform = new FakePlatformEngine();
    EngineSelection selection = EngineSelection.preferNative(48_000, -1, () -> platform);
    assertSame(platform, selection.engine());
    assertFalse(selection.nativeEngine());
    assertTrue(selection.description().startsWith(
        "AudioRecord/AudioTrack (native engine unavailable: "), selection.description());
    String expected = library.loaded() ? "without the Oboe backend" : library.reason();
    assertTrue(selection.description().contains(expected), selection.description());
    assertEquals(')', selection.description().charAt(selection.description().length() - 1));
  }
}
