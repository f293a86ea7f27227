package dev.denoise.app

import androidx.activity.ComponentActivity
import androidx.activity.compose.setContent
import androidx.compose.material3.MaterialTheme
import androidx.compose.ui.test.assertIsDisplayed
import androidx.compose.ui.test.junit4.createEmptyComposeRule
import androidx.compose.ui.test.onNodeWithText
import org.junit.Rule
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.RobolectricTestRunner

@RunWith(RobolectricTestRunner::class)
class SmokeScreenTest {
    @get:Rule
    val compose = createEmptyComposeRule()

    @Test
    fun idleVoiceScreenRenders() {
        val activity = Robolectric.buildActivity(ComponentActivity::class.java).setup().get()
        activity.setContent { MaterialTheme { VoiceScreen(VoiceUiState.idle("Denoiser")) } }
        compose.onNodeWithText("Ready").assertIsDisplayed()
        Screenshots.capture(activity, "smoke")
    }
}
