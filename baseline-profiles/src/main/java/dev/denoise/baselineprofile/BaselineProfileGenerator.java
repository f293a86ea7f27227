package dev.denoise.baselineprofile;

import androidx.benchmark.macro.MacrobenchmarkScope;
import androidx.benchmark.macro.junit4.BaselineProfileRule;
import androidx.test.ext.junit.runners.AndroidJUnit4;
import androidx.test.uiautomator.By;
import androidx.test.uiautomator.UiDevice;
import androidx.test.uiautomator.UiObject2;
import androidx.test.uiautomator.Until;
import java.io.IOException;
import kotlin.Unit;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;

/**
 * Collects the app's baseline profile on a device (API 28+, rooted or userdebug, or API 33+):
 * cold start, then the journeys whose code must not run interpreted on first use: the live
 * voice loop in Classic and Neural for a few seconds, and the audio files screen.
 *
 * <p>Runs as an instrumentation test of a separate test APK targeting {@code dev.denoise.app};
 * this repository compiles it (so it tracks the screens' labels and the library API) but cannot
 * build or run that APK without a device. The rules it prints go, reviewed, into
 * {@code baseline-profiles/baseline-prof.txt}, which the app's build compiles into the APK.
 */
@RunWith(AndroidJUnit4.class)
public class BaselineProfileGenerator {
  private static final String PACKAGE = "dev.denoise.app";
  private static final long TIMEOUT_MS = 5_000;

  @Rule public final BaselineProfileRule rule = new BaselineProfileRule();

  @Test
  public void startupLiveVoiceAndFiles() {
    rule.collect(PACKAGE, scope -> {
      journeys(scope);
      return Unit.INSTANCE;
    });
  }

  private static void journeys(MacrobenchmarkScope scope) {
    UiDevice device = scope.getDevice();
    grant(device, "android.permission.RECORD_AUDIO");
    scope.pressHome(300);
    scope.startActivityAndWait(intent -> Unit.INSTANCE);

    tap(device, "Live voice");
    for (String mode : new String[] {"Classic", "Neural"}) {
      tap(device, mode);
      tap(device, "Start");
      device.waitForIdle();
      sleep(4_000); // a few hundred 10 ms frames through the denoiser
      tap(device, "Stop");
    }
    device.pressBack();
    tap(device, "Audio files");
    device.waitForIdle();
    device.pressBack();
  }

  private static void tap(UiDevice device, String text) {
    UiObject2 node = device.wait(Until.findObject(By.text(text)), TIMEOUT_MS);
    if (node == null) {
      throw new AssertionError("no '" + text + "' on screen within " + TIMEOUT_MS + " ms");
    }
    node.click();
  }

  private static void grant(UiDevice device, String permission) {
    try {
      device.executeShellCommand("pm grant " + PACKAGE + " " + permission);
    } catch (IOException e) {
      throw new AssertionError("could not grant " + permission + ": " + e.getMessage(), e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
