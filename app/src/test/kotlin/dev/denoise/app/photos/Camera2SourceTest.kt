package dev.denoise.app.photos

import android.Manifest
import android.app.Application
import android.graphics.SurfaceTexture
import android.hardware.Sensor
import android.hardware.SensorManager
import android.hardware.camera2.CameraCaptureSession
import android.hardware.camera2.CameraCharacteristics
import android.hardware.camera2.CameraManager
import android.hardware.camera2.CaptureRequest
import android.hardware.camera2.CaptureResult
import android.os.Handler
import android.os.Looper
import android.util.Pair
import android.util.Size
import androidx.test.core.app.ApplicationProvider
import dev.denoise.app.platform.Camera2Source
import java.io.File
import java.util.Collections
import java.util.IdentityHashMap
import java.util.concurrent.CopyOnWriteArrayList
import org.junit.Assert.assertArrayEquals
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNull
import org.junit.Before
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config
import org.robolectric.annotation.Implementation
import org.robolectric.annotation.Implements
import org.robolectric.annotation.RealObject
import org.robolectric.shadow.api.Shadow
import org.robolectric.shadows.SensorEventBuilder
import org.robolectric.shadows.ShadowCameraCaptureSessionImpl
import org.robolectric.shadows.ShadowCameraCharacteristics
import org.robolectric.shadows.ShadowCameraManager
import org.robolectric.shadows.ShadowCaptureRequestBuilder
import org.robolectric.shadows.ShadowCaptureResult
import org.robolectric.shadows.ShadowSensor
import org.robolectric.shadows.ShadowSensorManager
import org.robolectric.shadows.StreamConfigurationMapBuilder
import org.robolectric.util.reflector.Direct
import org.robolectric.util.reflector.ForType
import org.robolectric.util.reflector.Reflector.reflector

/**
 * camera2 as far as Robolectric's shadows reach: camera choice from characteristics, noise
 * metadata from a capture result, size choice, the errors opening reports, and the still request
 * capture() hands the session, whose JPEG orientation follows accelerometer readings. (The stock
 * shadows keep request settings in the builder and drop captures; the two recording shadows below
 * hand them to the test. No image ever arrives, so the JPEG itself is not reached.)
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

    /** The map takes the HAL's formats: JPEG stills are its BLOB streams (listed as ImageFormat.JPEG). */
    private val halPixelFormatBlob = 0x21

    @Before
    fun forgetRecordedRequests() {
        RecordingCaptureSession.captured.clear()
        RecordingRequestBuilder.jpegOrientation.clear()
    }

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
        var previews = 0
        override fun onPreviewStarted(previewWidth: Int, previewHeight: Int) {
            previews++
        }
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

    /** An accelerometer reading for the phone turned [degrees] clockwise (as OrientationEventListener counts). */
    private fun tilt(accelerometer: Sensor, degrees: Int) {
        val g = SensorManager.GRAVITY_EARTH
        // Gravity's reaction, in the phone's axes: +y up the screen when upright, +x to the right.
        val values = when (degrees) {
            0 -> floatArrayOf(0f, g, 0f)
            90 -> floatArrayOf(-g, 0f, 0f) // left side up
            180 -> floatArrayOf(0f, -g, 0f)
            270 -> floatArrayOf(g, 0f, 0f) // right side up
            else -> floatArrayOf(0f, 0f, g) // flat on its back: no orientation
        }
        sensors().sendSensorEventToListeners(SensorEventBuilder.newBuilder()
            .setSensor(accelerometer).setValues(values).setTimestamp(System.nanoTime()).build())
    }

    private fun sensors(): ShadowSensorManager = Shadow.extract(app.getSystemService(SensorManager::class.java))

    /** A camera that opens here: a stream configuration map with a JPEG and a preview size. */
    private fun openableCamera(facing: Int, sensorOrientation: Int): CameraCharacteristics {
        val c = characteristics(facing)
        val shadow = Shadow.extract<ShadowCameraCharacteristics>(c)
        shadow.set(CameraCharacteristics.SENSOR_ORIENTATION, sensorOrientation)
        shadow.set(CameraCharacteristics.SCALER_STREAM_CONFIGURATION_MAP, StreamConfigurationMapBuilder.newBuilder()
            .addOutputSize(halPixelFormatBlob, Size(4000, 3000))
            .addOutputSize(Size(1440, 1080))
            .build())
        return c
    }

    /** Runs the main looper until [done]; the camera thread runs on its own meanwhile. */
    private fun idleUntil(what: String, done: () -> Boolean) {
        val deadline = System.nanoTime() + 10_000_000_000L
        shadowOf(Looper.getMainLooper()).idle()
        while (!done()) {
            check(System.nanoTime() < deadline) { "timed out waiting for $what" }
            Thread.sleep(5)
            shadowOf(Looper.getMainLooper()).idle()
        }
    }

    /** The JPEG_ORIENTATION of the latest still request the session was handed. */
    private fun lastStillOrientation(): Int? =
        RecordingCaptureSession.captured.last().let { RecordingRequestBuilder.jpegOrientation[it] }

    /** Opens [source] and waits for its preview; the accelerometer must exist before the source. */
    private fun startPreview(source: Camera2Source): Recording {
        val listener = Recording()
        source.open(SurfaceTexture(0), listener)
        idleUntil("the preview") { listener.previews > 0 || listener.errors.isNotEmpty() }
        assertEquals(listOf<String>(), listener.errors)
        return listener
    }

    @Test
    @Config(shadows = [RecordingCaptureSession::class, RecordingRequestBuilder::class])
    fun stillOrientationFollowsHowTheBackCameraIsHeld() {
        shadowOf(app).grantPermissions(Manifest.permission.CAMERA)
        val accelerometer = ShadowSensor.newInstance(Sensor.TYPE_ACCELEROMETER)
        sensors().addSensor(accelerometer)
        shadowManager().addCamera("0", openableCamera(CameraCharacteristics.LENS_FACING_BACK, 90))
        val source = Camera2Source(app, app.cacheDir)
        assertEquals("no orientation listener before open", 0, sensors().listeners.size)
        startPreview(source)
        assertEquals("the orientation listener runs while the camera is open", 1, sensors().listeners.size)

        // camera2's documented JPEG_ORIENTATION for a back camera: (sensor + device) mod 360.
        source.capture()
        assertEquals("no reading yet: upright, the sensor's orientation", 90, lastStillOrientation())
        tilt(accelerometer, 0)
        source.capture()
        assertEquals((90 + 0) % 360, lastStillOrientation())
        tilt(accelerometer, 90)
        source.capture()
        assertEquals((90 + 90) % 360, lastStillOrientation())
        tilt(accelerometer, -1) // flat on its back
        source.capture()
        assertEquals("flat: the way it was last held", (90 + 90) % 360, lastStillOrientation())
        tilt(accelerometer, 180)
        source.capture()
        assertEquals((90 + 180) % 360, lastStillOrientation())
        tilt(accelerometer, 270)
        source.capture()
        assertEquals((90 + 270) % 360, lastStillOrientation())
        assertEquals(6, RecordingCaptureSession.captured.size)

        source.close()
        assertEquals("closing stops the orientation listener", 0, sensors().listeners.size)
    }

    @Test
    @Config(shadows = [RecordingCaptureSession::class, RecordingRequestBuilder::class])
    fun frontCameraStillTurnsTheOtherWay() {
        shadowOf(app).grantPermissions(Manifest.permission.CAMERA)
        val accelerometer = ShadowSensor.newInstance(Sensor.TYPE_ACCELEROMETER)
        sensors().addSensor(accelerometer)
        shadowManager().addCamera("0", openableCamera(CameraCharacteristics.LENS_FACING_FRONT, 270))
        val source = Camera2Source(app, app.cacheDir)
        startPreview(source)
        // Documented for a front camera: (sensor − device) mod 360.
        tilt(accelerometer, 90)
        source.capture()
        assertEquals((270 - 90 + 360) % 360, lastStillOrientation())
        tilt(accelerometer, 270)
        source.capture()
        assertEquals((270 - 270 + 360) % 360, lastStillOrientation())
        source.close()
    }

    @Test
    @Config(shadows = [RecordingCaptureSession::class, RecordingRequestBuilder::class])
    fun aLostCameraStopsTheOrientationListener() {
        shadowOf(app).grantPermissions(Manifest.permission.CAMERA)
        sensors().addSensor(ShadowSensor.newInstance(Sensor.TYPE_ACCELEROMETER))
        shadowManager().addCamera("0", openableCamera(CameraCharacteristics.LENS_FACING_BACK, 90))
        val source = Camera2Source(app, app.cacheDir)
        val listener = startPreview(source)
        assertEquals(1, sensors().listeners.size)
        shadowManager().triggerDisconnect()
        idleUntil("the disconnect") { listener.errors.isNotEmpty() }
        assertEquals(listOf("the camera was disconnected (another app may have taken it)"), listener.errors)
        assertEquals("stopped before anyone closes the source", 0, sensors().listeners.size)
        source.close()
    }
}

/** Records the requests capture() hands the session (the stock shadow drops them). */
@Implements(className = "android.hardware.camera2.impl.CameraCaptureSessionImpl", isInAndroidSdk = false)
class RecordingCaptureSession : ShadowCameraCaptureSessionImpl() {
    @Implementation
    override fun capture(request: CaptureRequest, callback: CameraCaptureSession.CaptureCallback?, handler: Handler?): Int {
        captured.add(request)
        return super.capture(request, callback, handler)
    }

    companion object {
        val captured = CopyOnWriteArrayList<CaptureRequest>()
    }
}

/**
 * Builds real requests and remembers each one's JPEG_ORIENTATION: the stock shadow keeps
 * settings in the builder, so a built request does not carry them.
 */
@Implements(CaptureRequest.Builder::class)
class RecordingRequestBuilder : ShadowCaptureRequestBuilder() {
    @RealObject
    private lateinit var real: CaptureRequest.Builder

    @Implementation
    protected fun build(): CaptureRequest {
        val request = reflector(BuilderReflector::class.java, real).build()
        jpegOrientation[request] = get(CaptureRequest.JPEG_ORIENTATION)
        return request
    }

    @ForType(CaptureRequest.Builder::class)
    interface BuilderReflector {
        @Direct
        fun build(): CaptureRequest
    }

    companion object {
        val jpegOrientation: MutableMap<CaptureRequest, Int?> = Collections.synchronizedMap(IdentityHashMap())
    }
}
