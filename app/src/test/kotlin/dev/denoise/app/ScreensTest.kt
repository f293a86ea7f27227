package dev.denoise.app

import androidx.activity.ComponentActivity
import androidx.activity.compose.setContent
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Surface
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.ui.test.assertIsDisplayed
import androidx.compose.ui.test.junit4.createEmptyComposeRule
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.assertTextContains
import dev.denoise.app.files.FileUiState
import dev.denoise.app.models.DelegateChoice
import dev.denoise.app.voice.LiveUiState
import dev.denoise.app.voice.LiveUiState.Phase
import dev.denoise.app.voice.VoiceMode
import org.junit.Assert.assertEquals
import org.junit.After
import org.junit.Rule
import org.robolectric.android.controller.ActivityController
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.RobolectricTestRunner
import org.robolectric.annotation.Config

/**
 * Every screen in each state renders, shows what that state must show, and leaves a PNG in
 * target/screenshots (drawn from the decor view; captureToImage hangs under Robolectric).
 */
@RunWith(RobolectricTestRunner::class)
@Config(qualifiers = "w360dp-h780dp-xhdpi")
class ScreensTest {
    @get:Rule
    val compose = createEmptyComposeRule()

    private var controller: ActivityController<ComponentActivity>? = null

    /** Destroys the test's activity, so no Compose root outlives its test. */
    @After
    fun destroyActivity() {
        org.robolectric.Shadows.shadowOf(android.os.Looper.getMainLooper()).idle()
        controller?.pause()?.stop()?.destroy()
        controller = null
    }

    private fun show(name: String, content: @Composable () -> Unit): ComponentActivity {
        controller = Robolectric.buildActivity(ComponentActivity::class.java).setup()
        val activity = controller!!.get()
        activity.setContent { MaterialTheme { Surface(Modifier.fillMaxSize()) { content() } } }
        compose.waitForIdle()
        return activity
    }

    private fun shot(activity: ComponentActivity, name: String) {
        compose.waitForIdle()
        Screenshots.capture(activity, name)
    }

    private fun live(phase: Phase, mode: VoiceMode = VoiceMode.NEURAL, effective: VoiceMode = mode,
                     warning: String? = null, note: String? = null, error: String? = null,
                     running: Boolean = phase == Phase.RUNNING) = LiveUiState(
        phase, mode, effective, 24.0, DelegateChoice.AUTO, running, running, if (running) "AudioRecord/AudioTrack" else null,
        warning, note, error, if (running) -23f else -90f, if (running) -31f else -90f, if (running) 0.8f else -1f,
        if (running) 21.0 else Double.NaN, if (running) 10.0 else 0.0, if (running) 3 else 0, if (running) 1 else 0, if (running) 2 else 0, null)

    @Test
    fun home() {
        var went = ""
        val a = show("home") {
            HomeScreen(onLive = { went = "live" }, onFiles = { went = "files" }, onPhotos = { went = "photos" })
        }
        compose.onNodeWithText("Voice").assertIsDisplayed()
        compose.onNodeWithText("Live voice").assertIsDisplayed()
        compose.onNodeWithText("Photos").assertIsDisplayed()
        shot(a, "home")
        compose.onNodeWithText("Live voice").performClick()
        assertEquals("live", went)
        compose.onNodeWithText("Denoise a photo").performClick()
        assertEquals("photos", went)
    }

    @Test
    fun liveIdle() {
        var started = 0
        val a = show("live-idle") { LiveVoiceScreen(LiveUiState.initial(), LiveActions(start = { started++ })) }
        compose.onNodeWithText("Start").assertIsDisplayed()
        compose.onNodeWithTag("latency").assertTextContains("Latency: —")
        shot(a, "live-idle")
        compose.onNodeWithText("Start").performClick()
        assertEquals(1, started)
    }

    @Test
    fun liveRunning() {
        var stopped = 0
        val a = show("live-running") {
            LiveVoiceScreen(live(Phase.RUNNING, VoiceMode.CLASSIC), LiveActions(stop = { stopped++ }))
        }
        compose.onNodeWithText("Stop").assertIsDisplayed()
        compose.onNodeWithTag("latency").assertTextContains("Latency ≈ 31 ms (audio 21 + denoiser 10)")
        compose.onNodeWithTag("xruns").assertTextContains("Overruns 3 · underruns 1 · dropped 2")
        compose.onNodeWithTag("vad").assertTextContains("Voice")
        compose.onNodeWithText("-23 dB").assertIsDisplayed()
        shot(a, "live-running")
        compose.onNodeWithText("Stop").performClick()
        assertEquals(1, stopped)
    }

    @Test
    fun liveRunningOnClassicFallback() {
        val a = show("live-fallback") {
            LiveVoiceScreen(live(Phase.RUNNING, VoiceMode.NEURAL, VoiceMode.CLASSIC,
                note = "Neural model failed (Auto): dlopen failed. Using Classic."), LiveActions())
        }
        compose.onNodeWithTag("note").assertTextContains("Using Classic", substring = true)
        compose.onNodeWithText("Running: Classic").assertIsDisplayed()
        shot(a, "live-fallback")
    }

    @Test
    fun livePermissionRationale() {
        var asked = 0
        val a = show("live-rationale") {
            LiveVoiceScreen(live(Phase.PERMISSION_RATIONALE), LiveActions(requestPermission = { asked++ }))
        }
        compose.onNodeWithText("Microphone needed").assertIsDisplayed()
        shot(a, "live-permission-rationale")
        compose.onNodeWithText("Allow microphone").performClick()
        assertEquals(1, asked)
    }

    @Test
    fun livePermissionDenied() {
        var settings = 0
        val a = show("live-denied") {
            LiveVoiceScreen(live(Phase.PERMISSION_DENIED), LiveActions(openSettings = { settings++ }))
        }
        compose.onNodeWithText("Microphone access denied").assertIsDisplayed()
        shot(a, "live-permission-denied")
        compose.onNodeWithText("Open settings").performClick()
        assertEquals(1, settings)
    }

    @Test
    fun liveLoudspeakerWarningAndError() {
        val a = show("live-warning") {
            LiveVoiceScreen(live(Phase.ERROR, warning = "Monitoring needs headphones: on the loudspeaker the microphone would pick up the output and howl.",
                error = "Could not start: the microphone did not initialise"), LiveActions())
        }
        compose.onNodeWithTag("warning").assertTextContains("needs headphones", substring = true)
        compose.onNodeWithTag("error").assertTextContains("Could not start", substring = true)
        shot(a, "live-warning-error")
    }

    private fun file(phase: FileUiState.Phase, progress: Double = 0.0, error: String? = null, saved: String? = null,
                     playing: FileUiState.Version? = null, note: String? = null) =
        FileUiState(phase, if (phase == FileUiState.Phase.EMPTY) null else "interview.m4a",
            if (phase == FileUiState.Phase.EMPTY || phase == FileUiState.Phase.DECODING) null else "44100 Hz, 2 channels, 63.2 s",
            progress, VoiceMode.CLASSIC, 30.0, playing, note, error, saved)

    @Test
    fun filesEmpty() {
        var picked = 0
        val a = show("files-empty") { AudioFilesScreen(FileUiState.empty(), FileActions(pick = { picked++ })) }
        compose.onNodeWithText("Choose a file").performClick()
        assertEquals(1, picked)
        shot(a, "files-empty")
    }

    @Test
    fun filesDecodingAndDenoisingShowProgressAndCancel() {
        var cancelled = 0
        val a = show("files-denoising") {
            AudioFilesScreen(file(FileUiState.Phase.DENOISING, 0.42), FileActions(cancel = { cancelled++ }))
        }
        compose.onNodeWithText("Denoising… 42 %").assertIsDisplayed()
        shot(a, "files-denoising")
        compose.onNodeWithText("Cancel").performClick()
        assertEquals(1, cancelled)
    }

    @Test
    fun filesReady() {
        val a = show("files-ready") { AudioFilesScreen(file(FileUiState.Phase.READY), FileActions()) }
        compose.onNodeWithText("Denoise").assertIsDisplayed()
        compose.onNodeWithText("44100 Hz, 2 channels, 63.2 s").assertIsDisplayed()
        compose.onNodeWithText("▶ B: denoised").assertDoesNotExist()
        shot(a, "files-ready")
    }

    @Test
    fun filesDenoisedPlayingAndSaved() {
        var saved = 0
        val a = show("files-denoised") {
            AudioFilesScreen(file(FileUiState.Phase.DENOISED, 1.0, saved = "Music/Denoiser/interview (denoised).wav",
                playing = FileUiState.Version.DENOISED), FileActions(save = { saved++ }))
        }
        compose.onNodeWithText("■ B: denoised").assertIsDisplayed()
        compose.onNodeWithText("▶ A: original").assertIsDisplayed()
        compose.onNodeWithTag("saved").assertTextContains("interview (denoised).wav", substring = true)
        shot(a, "files-denoised")
        compose.onNodeWithText("Save a copy").performClick()
        assertEquals(1, saved)
    }

    @Test
    fun filesError() {
        val a = show("files-error") {
            AudioFilesScreen(file(FileUiState.Phase.ERROR, error = "Cannot read broken.wav: truncated fmt chunk"), FileActions())
        }
        compose.onNodeWithTag("error").assertTextContains("Cannot read broken.wav", substring = true)
        shot(a, "files-error")
    }
}
