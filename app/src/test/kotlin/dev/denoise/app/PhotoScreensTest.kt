package dev.denoise.app

import androidx.activity.ComponentActivity
import androidx.activity.compose.setContent
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.geometry.Offset
import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.test.SemanticsMatcher
import androidx.compose.ui.test.assert
import androidx.compose.ui.test.assertIsDisplayed
import androidx.compose.ui.test.assertIsNotEnabled
import androidx.compose.ui.test.assertTextContains
import androidx.compose.ui.test.click
import androidx.compose.ui.test.junit4.createEmptyComposeRule
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performScrollTo
import androidx.compose.ui.test.performTouchInput
import androidx.compose.ui.test.swipeRight
import dev.denoise.app.models.DelegateChoice
import dev.denoise.app.photos.CameraUiState
import dev.denoise.app.photos.NoiseProfile
import dev.denoise.app.photos.PhotoUiState
import dev.denoise.app.photos.PhotoUiState.Phase
import dev.denoise.app.photos.SyntheticPhotos
import dev.denoise.core.image.PlanarImage
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Rule
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.RobolectricTestRunner
import org.robolectric.android.controller.ActivityController
import org.robolectric.annotation.Config

/** The photo and camera screens in each state: what each must show, clicks, and a PNG per state. */
@RunWith(RobolectricTestRunner::class)
@Config(qualifiers = "w360dp-h780dp-xhdpi")
class PhotoScreensTest {
    @get:Rule
    val compose = createEmptyComposeRule()

    private var controller: ActivityController<ComponentActivity>? = null

    @After
    fun destroyActivity() {
        org.robolectric.Shadows.shadowOf(android.os.Looper.getMainLooper()).idle()
        controller?.pause()?.stop()?.destroy()
        controller = null
    }

    private fun show(content: @Composable () -> Unit): ComponentActivity {
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

    private val clean: PlanarImage = SyntheticPhotos.clean(240, 176)
    private val noisy: PlanarImage = SyntheticPhotos.noisy(clean, 20.0, 3)

    private fun photo(phase: Phase, progress: Double = 0.0, stage: String? = null, denoised: PlanarImage? = null,
                      zoom: PhotoUiState.Zoom? = null, note: String? = null, error: String? = null,
                      saved: String? = null, auto: Boolean = true, strength: Double = 1.0) = PhotoUiState(
        phase, "IMG_0042.jpg", "4032 × 3024, 12.2 MP, image/jpeg", 0, noisy, denoised, zoom, progress, stage,
        PhotoUiState.Method.NEURAL, DelegateChoice.AUTO, auto, strength,
        NoiseProfile.Level(18.34, "estimated from the photo"), note, error,
        saved, if (saved != null) "content://media/external_primary/images/media/7" else null)

    @Test
    fun empty() {
        var picked = 0
        var camera = 0
        val a = show { PhotoScreen(PhotoUiState.empty(), PhotoActions(pick = { picked++ }, camera = { camera++ })) }
        compose.onNodeWithText("Pick a photo", substring = true).assertIsDisplayed()
        shot(a, "photo-empty")
        compose.onNodeWithText("Choose a photo").performClick()
        compose.onNodeWithText("Take a photo").performClick()
        assertEquals(1, picked)
        assertEquals(1, camera)
    }

    @Test
    fun loadingShowsProgressAndCancel() {
        var cancelled = 0
        val a = show {
            PhotoScreen(PhotoUiState.empty().let { photo(Phase.LOADING, 0.0, "Reading") }.let {
                PhotoUiState(it.phase(), it.fileName(), null, 0, null, null, null, 0.0, "Reading", it.method(),
                    it.delegate(), true, 1.0, null, null, null, null, null)
            }, PhotoActions(cancel = { cancelled++ }))
        }
        compose.onNodeWithTag("progress").assertTextContains("Reading… 0 %")
        compose.onNodeWithText("Choose a photo").assertIsNotEnabled()
        shot(a, "photo-loading")
        compose.onNodeWithText("Cancel").performClick()
        assertEquals(1, cancelled)
    }

    @Test
    fun readyShowsThePhotoItsNoiseLevelAndSettings() {
        var denoised = 0
        var auto: Boolean? = null
        val a = show { PhotoScreen(photo(Phase.READY), PhotoActions(denoise = { denoised++ }, autoStrength = { auto = it })) }
        compose.onNodeWithTag("noise").assertTextContains("Noise: σ ≈ 18.3 (estimated from the photo)")
        compose.onNodeWithTag("summary").assertTextContains("4032 × 3024, 12.2 MP, image/jpeg")
        compose.onNodeWithTag("compare").assert(
            SemanticsMatcher.expectValue(SemanticsProperties.ContentDescription, listOf("Original photo")))
        compose.onNodeWithTag("strength").assertTextContains("Strength: Auto")
        shot(a, "photo-ready")
        compose.onNodeWithText("Denoise").performScrollTo().performClick()
        assertEquals(1, denoised)
    }

    @Test
    fun manualStrengthShowsItsValue() {
        val a = show { PhotoScreen(photo(Phase.READY, auto = false, strength = 0.75), PhotoActions()) }
        compose.onNodeWithTag("strength").performScrollTo().assertTextContains("Strength: 0.75")
        shot(a, "photo-ready-manual-strength")
    }

    @Test
    fun denoisingShowsProgressAndCancel() {
        var cancelled = 0
        val a = show { PhotoScreen(photo(Phase.DENOISING, 0.42, "Denoising"), PhotoActions(cancel = { cancelled++ })) }
        compose.onNodeWithTag("progress").assertTextContains("Denoising… 42 %")
        compose.onNodeWithText("Denoise").assertDoesNotExist()
        shot(a, "photo-denoising")
        compose.onNodeWithText("Cancel").performClick()
        assertEquals(1, cancelled)
    }

    @Test
    fun denoisedComparesWithADraggableDividerZoomsSavesAndShares() {
        val taps = ArrayList<Pair<Double, Double>>()
        var shared = 0
        val a = show {
            PhotoScreen(photo(Phase.DENOISED, 1.0, denoised = clean, note = "Neural model on GPU, float32.",
                saved = "Pictures/Denoised/IMG_0042 (denoised).jpg"),
                PhotoActions(zoomAt = { u, v -> taps.add(u to v) }, share = { shared++ }))
        }
        val divider = { p: String -> SemanticsMatcher.expectValue(SemanticsProperties.StateDescription, p) }
        compose.onNodeWithTag("compare").assert(divider("divider at 50 %"))
        compose.onNodeWithTag("note").assertTextContains("Neural model on GPU, float32.")
        shot(a, "photo-denoised-compare")
        compose.onNodeWithTag("compare").performTouchInput { swipeRight(startX = centerX, endX = centerX + width / 4f) }
        compose.waitForIdle()
        // A quarter-width swipe moves the divider right by that much, less the touch slop.
        val moved = compose.onNodeWithTag("compare").fetchSemanticsNode().config[SemanticsProperties.StateDescription]
        val percent = Regex("divider at (\\d+) %").find(moved)!!.groupValues[1].toInt()
        assertTrue(moved, percent in 65..75)
        shot(a, "photo-denoised-divider-dragged")
        compose.onNodeWithTag("compare").performTouchInput { click(Offset(width * 0.2f, height * 0.6f)) }
        compose.waitForIdle()
        assertEquals(1, taps.size)
        assertEquals(0.2, taps[0].first, 0.02)
        assertEquals(0.6, taps[0].second, 0.02)
        compose.onNodeWithText("100 %").performClick()
        assertEquals(0.5 to 0.5, taps[1])
        compose.onNodeWithTag("saved").performScrollTo().assertTextContains("IMG_0042 (denoised).jpg", substring = true)
        compose.onNodeWithText("Share").performScrollTo().performClick()
        assertEquals(1, shared)
        shot(a, "photo-saved")
    }

    @Test
    fun zoomShowsTheCropsAtFullSizeAndFitGoesBack() {
        var fit = 0
        val crop = { img: PlanarImage ->
            dev.denoise.core.image.TileSource.of(img).read(60, 40, 120, 90)
        }
        val a = show {
            PhotoScreen(photo(Phase.DENOISED, 1.0, denoised = clean, zoom = PhotoUiState.Zoom(crop(noisy), crop(clean), 60, 40)),
                PhotoActions(zoomOut = { fit++ }))
        }
        compose.onNodeWithText("100 % — drag the divider to compare").assertIsDisplayed()
        shot(a, "photo-zoom-100")
        val node = compose.onNodeWithTag("compare").fetchSemanticsNode()
        assertEquals("one photo pixel per screen pixel", 120, node.size.width)
        assertEquals(90, node.size.height)
        compose.onNodeWithText("Fit").performClick()
        assertEquals(1, fit)
    }

    @Test
    fun errorSaysWhy() {
        val a = show {
            PhotoScreen(PhotoUiState.empty().let {
                PhotoUiState(Phase.ERROR, "huge.png", null, 0, null, null, null, 0.0, null, it.method(), it.delegate(),
                    true, 1.0, null, null, "Cannot open huge.png: 8000 × 7000 is 56.0 MP, more than the 50 MP this app handles",
                    null, null)
            }, PhotoActions())
        }
        compose.onNodeWithTag("error").assertTextContains("56.0 MP", substring = true)
        shot(a, "photo-error")
    }

    @Test
    fun cameraStartingThenReadyTakesAPhoto() {
        var captured = 0
        val a = show {
            CameraScreen(CameraUiState.of(CameraUiState.Phase.READY), CameraActions(capture = { captured++ })) {
                Text("preview", color = androidx.compose.ui.graphics.Color.White)
            }
        }
        compose.onNodeWithTag("preview").assertIsDisplayed()
        shot(a, "camera-ready")
        compose.onNodeWithText("Take photo").performClick()
        assertEquals(1, captured)
    }

    @Test
    fun cameraStartingCannotCaptureYet() {
        val a = show { CameraScreen(CameraUiState.of(CameraUiState.Phase.STARTING), CameraActions()) {} }
        compose.onNodeWithText("Starting the camera…").assertIsNotEnabled()
        shot(a, "camera-starting")
    }

    @Test
    fun cameraPermissionRationaleAndDenied() {
        var asked = 0
        val a = show {
            CameraScreen(CameraUiState.afterPermission(false, true), CameraActions(requestPermission = { asked++ })) {}
        }
        compose.onNodeWithText("Camera needed").assertIsDisplayed()
        shot(a, "camera-permission-rationale")
        compose.onNodeWithText("Allow camera").performClick()
        assertEquals(1, asked)
    }

    @Test
    fun cameraPermissionDenied() {
        var settings = 0
        val a = show {
            CameraScreen(CameraUiState.afterPermission(false, false), CameraActions(openSettings = { settings++ })) {}
        }
        compose.onNodeWithText("Camera access denied").assertIsDisplayed()
        compose.onNodeWithText("Take photo").assertDoesNotExist()
        shot(a, "camera-permission-denied")
        compose.onNodeWithText("Open settings").performClick()
        assertEquals(1, settings)
    }

    @Test
    fun cameraError() {
        val a = show { CameraScreen(CameraUiState.error("this phone has no camera"), CameraActions()) {} }
        compose.onNodeWithTag("error").assertTextContains("Camera unavailable: this phone has no camera")
        shot(a, "camera-error")
        assertTrue(CameraUiState.afterPermission(true, false).phase() == CameraUiState.Phase.STARTING)
    }
}
