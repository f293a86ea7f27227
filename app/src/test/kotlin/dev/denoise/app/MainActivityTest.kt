package dev.denoise.app

import android.Manifest
import android.app.Application
import android.content.pm.PackageManager
import androidx.compose.ui.test.assertIsDisplayed
import androidx.compose.ui.test.junit4.createEmptyComposeRule
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.performClick
import androidx.test.core.app.ApplicationProvider
import dev.denoise.app.voice.LiveUiState
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNotNull
import org.junit.Rule
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.RobolectricTestRunner
import org.robolectric.Shadows.shadowOf
import org.robolectric.android.controller.ActivityController
import org.robolectric.annotation.Config

/** The real activity and app graph: navigation and the microphone permission refused. */
@RunWith(RobolectricTestRunner::class)
@Config(qualifiers = "w360dp-h780dp-xhdpi")
class MainActivityTest {
    @get:Rule
    val compose = createEmptyComposeRule()

    private var controller: ActivityController<MainActivity>? = null

    @After
    fun destroy() {
        shadowOf(android.os.Looper.getMainLooper()).idle()
        controller?.pause()?.stop()?.destroy()
    }

    @Test
    fun refusedMicrophoneEndsInTheDeniedStateWithoutStartingAnything() {
        val app = ApplicationProvider.getApplicationContext<Application>()
        shadowOf(app).denyPermissions(Manifest.permission.RECORD_AUDIO)
        controller = Robolectric.buildActivity(MainActivity::class.java).setup()
        val activity = controller!!.get()
        compose.onNodeWithText("Live voice").performClick()
        compose.onNodeWithText("Start").performClick()
        compose.waitForIdle()

        val request = shadowOf(activity).lastRequestedPermission
        assertNotNull("the system permission dialog was not requested", request)
        assertEquals(listOf(Manifest.permission.RECORD_AUDIO, Manifest.permission.POST_NOTIFICATIONS),
            request.requestedPermissions.toList())
        activity.onRequestPermissionsResult(request.requestCode, request.requestedPermissions,
            intArrayOf(PackageManager.PERMISSION_DENIED, PackageManager.PERMISSION_GRANTED))
        compose.waitForIdle()

        assertEquals(LiveUiState.Phase.PERMISSION_DENIED, DenoiseApp.of(app).live().state().phase())
        compose.onNodeWithText("Microphone access denied").assertIsDisplayed()
        assertEquals(null, shadowOf(app).nextStartedService)
        Screenshots.capture(activity, "app-live-permission-denied")
    }

    @Test
    fun refusedNotificationsDoNotBlockLiveVoice() {
        val app = ApplicationProvider.getApplicationContext<Application>()
        shadowOf(app).denyPermissions(Manifest.permission.RECORD_AUDIO, Manifest.permission.POST_NOTIFICATIONS)
        controller = Robolectric.buildActivity(MainActivity::class.java).setup()
        val activity = controller!!.get()
        val live = DenoiseApp.of(app).live()
        compose.onNodeWithText("Live voice").performClick()
        compose.onNodeWithText("Start").performClick()
        compose.waitForIdle()

        val request = shadowOf(activity).lastRequestedPermission
        assertNotNull("the system permission dialog was not requested", request)
        shadowOf(app).grantPermissions(Manifest.permission.RECORD_AUDIO)
        activity.onRequestPermissionsResult(request.requestCode, request.requestedPermissions,
            intArrayOf(PackageManager.PERMISSION_GRANTED, PackageManager.PERMISSION_DENIED))
        compose.waitForIdle()

        val phase = live.state().phase()
        live.stop()
        assertEquals("microphone granted, notifications refused", LiveUiState.Phase.RUNNING, phase)
    }

    @Test
    fun homeLeadsToBothVoiceScreensAndBack() {
        controller = Robolectric.buildActivity(MainActivity::class.java).setup()
        val activity = controller!!.get()
        compose.onNodeWithText("Audio files").performClick()
        compose.onNodeWithText("Choose a file").assertIsDisplayed()
        Screenshots.capture(activity, "app-files")
        compose.onNodeWithText("Back").performClick()
        compose.onNodeWithText("Live voice").performClick()
        compose.onNodeWithText("Start").assertIsDisplayed()
        compose.onNodeWithText("Back").performClick()
        compose.onNodeWithText("Audio files").assertIsDisplayed()
        Screenshots.capture(activity, "app-home")
    }

    @Test
    fun photosFromHomeAndARefusedCameraEndsDeniedWithTheGalleryStillThere() {
        val app = ApplicationProvider.getApplicationContext<Application>()
        shadowOf(app).denyPermissions(Manifest.permission.CAMERA)
        controller = Robolectric.buildActivity(MainActivity::class.java).setup()
        val activity = controller!!.get()
        compose.onNodeWithText("Denoise a photo").performClick()
        compose.onNodeWithText("Choose a photo").assertIsDisplayed()
        Screenshots.capture(activity, "app-photos")
        compose.onNodeWithText("Take a photo").performClick()
        compose.waitForIdle()

        val request = shadowOf(activity).lastRequestedPermission
        assertNotNull("the camera permission was not requested", request)
        assertEquals(listOf(Manifest.permission.CAMERA), request.requestedPermissions.toList())
        activity.onRequestPermissionsResult(request.requestCode, request.requestedPermissions,
            intArrayOf(PackageManager.PERMISSION_DENIED))
        compose.waitForIdle()
        compose.onNodeWithText("Camera access denied").assertIsDisplayed()
        Screenshots.capture(activity, "app-camera-denied")
        compose.onNodeWithText("Back").performClick()
        compose.onNodeWithText("Choose a photo").assertIsDisplayed()
    }
}
