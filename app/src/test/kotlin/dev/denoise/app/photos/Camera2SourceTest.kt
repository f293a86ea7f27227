package dev.denoise.app.photos

import android.app.Application
import android.graphics.SurfaceTexture
import android.hardware.camera2.CameraCharacteristics
import android.hardware.camera2.CameraManager
import android.hardware.camera2.CaptureResult
import android.os.Looper
import android.util.Pair
import android.util.Size
import androidx.test.core.app.ApplicationProvider
import dev.denoise.app.platform.Camera2Source
import java.io.File
import org.junit.Assert.assertArrayEquals
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNull
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.Shadows.shadowOf
import org.robolectric.shadow.api.Shadow
import org.robolectric.shadows.ShadowCameraCharacteristics
import org.robolectric.shadows.ShadowCameraManager
import org.robolectric.shadows.ShadowCaptureResult

/**
 * camera2 as far as Robolectric's shadows reach: camera choice from characteristics, noise
 * metadata from a capture result, size choice, and the errors opening reports. (A stream
 * configuration map cannot be built under Robolectric, so preview and capture themselves are
 * not reached here.)
 */
@RunWith(RobolectricTestRunner::class)
class Camera2SourceTest {
    private val app = ApplicationProvider.getApplicationContext<Application>()
    private val manager = app.getSystemService(CameraManager::class.java)

    private fun characteristics(facing: Int): CameraCharacteristics {
        val c = ShadowCameraCharacteristics.newCameraCharacteristics()
        Shadow.extract<ShadowCameraCharacteristics>(c).set(CameraCharacteristics.LENS_FACING, facing)
        return c
    }

    private fun shadowManager(): ShadowCameraManager = Shadow.extract(manager)

    @Test
    fun choosesTheBackCameraElseTheFirst() {
        assertNull(Camera2Source.chooseCamera(manager))
        shadowManager().addCamera("0", characteristics(CameraCharacteristics.LENS_FACING_FRONT))
        assertEquals("0", Camera2Source.chooseCamera(manager))
        shadowManager().addCamera("1", characteristics(CameraCharacteristics.LENS_FACING_BACK))
        assertEquals("1", Camera2Source.chooseCamera(manager))
    }

    @Test
    fun captureResultGivesTheNoiseProfileIsoExposureAndNoiseReductionMode() {
        val result = ShadowCaptureResult.newCaptureResult()
        val shadow = Shadow.extract<ShadowCaptureResult>(result)
        shadow.set(CaptureResult.SENSOR_NOISE_PROFILE, arrayOf(Pair(1e-4, 2e-6), Pair(2e-4, 3e-6), Pair(3e-4, 4e-6)))
        shadow.set(CaptureResult.SENSOR_SENSITIVITY, 1600)
        shadow.set(CaptureResult.SENSOR_EXPOSURE_TIME, 33_333_333L)
        shadow.set(CaptureResult.CONTROL_POST_RAW_SENSITIVITY_BOOST, 150)
        shadow.set(CaptureResult.NOISE_REDUCTION_MODE, CaptureResult.NOISE_REDUCTION_MODE_OFF)
        val m = Camera2Source.metadata(result)
        assertArrayEquals(doubleArrayOf(1e-4, 2e-4, 3e-4), m.noiseScale(), 0.0)
        assertArrayEquals(doubleArrayOf(2e-6, 3e-6, 4e-6), m.noiseOffset(), 0.0)
        assertEquals(1600, m.iso())
        assertEquals(33_333_333L, m.exposureNs())
        assertEquals(150, m.postRawBoostPercent())
        assertEquals(CameraNoiseMetadata.NOISE_REDUCTION_OFF, m.noiseReductionMode())
        val level = NoiseProfile.fromCamera(m)!!
        assertEquals("camera noise profile", level.source())
        assertEquals(NoiseProfile.fromProfile(m.noiseScale(), m.noiseOffset(), NoiseProfile.NOISE_RETAINED_WITHOUT_ISP_NR),
            level.sigma255(), 1e-12)
    }

    @Test
    fun resultWithoutAProfileFallsBackToIso() {
        val result = ShadowCaptureResult.newCaptureResult()
        Shadow.extract<ShadowCaptureResult>(result).set(CaptureResult.SENSOR_SENSITIVITY, 400)
        val m = Camera2Source.metadata(result)
        assertEquals(false, m.hasProfile())
        assertEquals(-1L, m.exposureNs())
        assertEquals(100, m.postRawBoostPercent())
        assertEquals("camera ISO 400", NoiseProfile.fromCamera(m)!!.source())
        assertEquals(2.0, NoiseProfile.fromCamera(m)!!.sigma255(), 1e-12)
    }

    @Test
    fun stillIsTheSizeWithTheMostPixels() {
        val sizes = arrayOf(Size(640, 480), Size(4000, 3000), Size(4032, 2268), Size(1920, 1080), Size(1440, 1080))
        assertEquals(Size(4000, 3000), Camera2Source.largest(sizes)) // 12.0 MP beats 9.1 MP
        assertEquals("ties go to the wider", Size(4000, 3000),
            Camera2Source.largest(arrayOf(Size(3000, 4000), Size(4000, 3000))))
        assertNull(Camera2Source.largest(arrayOf()))
    }

    @Test
    fun previewSizeKeepsTheStillsAspect() {
        val preview = arrayOf(Size(640, 480), Size(1920, 1080), Size(1440, 1080), Size(3840, 2160))
        assertEquals(Size(1440, 1080), Camera2Source.previewSize(preview, Size(4000, 3000)))
        assertEquals(Size(1920, 1080), Camera2Source.previewSize(preview, Size(4032, 2268)))
        assertEquals("no size with the aspect: the largest under the limit",
            Size(1920, 1080), Camera2Source.previewSize(preview, Size(1000, 1000)))
    }

    private class Recording : CameraSource.Listener {
        val errors = ArrayList<String>()
        override fun onPreviewStarted(previewWidth: Int, previewHeight: Int) {}
        override fun onCaptured(jpeg: File, metadata: CameraNoiseMetadata?) {}
        override fun onError(message: String) {
            errors.add(message)
        }
    }

    @Test
    fun openingReportsWhyTheCameraCannotRun() {
        val dir = app.cacheDir
        val listener = Recording()
        val first = Camera2Source(app, dir)
        first.open("not a texture", listener)
        shadowOf(Looper.getMainLooper()).idle()
        first.close()
        assertEquals(listOf("no preview surface"), listener.errors)

        val none = Recording()
        val texture = SurfaceTexture(0)
        Camera2Source(app, dir).open(texture, none)
        shadowOf(Looper.getMainLooper()).idle()
        assertEquals(listOf("this phone has no camera"), none.errors)

        shadowManager().addCamera("0", characteristics(CameraCharacteristics.LENS_FACING_BACK))
        val noSizes = Recording()
        val source = Camera2Source(app, dir)
        source.open(texture, noSizes)
        source.capture()
        shadowOf(Looper.getMainLooper()).idle()
        assertEquals(listOf("the camera lists no output sizes", "the camera is not ready yet"), noSizes.errors)
        source.close()
        source.close()
    }
}
