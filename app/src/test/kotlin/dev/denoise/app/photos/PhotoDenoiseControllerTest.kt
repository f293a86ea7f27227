package dev.denoise.app.photos

import android.app.Application
import android.graphics.Bitmap
import android.graphics.BitmapFactory
import android.net.Uri
import android.provider.MediaStore
import androidx.exifinterface.media.ExifInterface
import androidx.compose.ui.graphics.asAndroidBitmap
import androidx.test.core.app.ApplicationProvider
import dev.denoise.app.displayBitmap
import dev.denoise.app.models.DelegateChoice
import dev.denoise.app.models.TflitePhotoModelLoader
import dev.denoise.app.platform.AndroidPhotoPlatform
import dev.denoise.app.platform.MediaStorePhotos
import dev.denoise.app.platform.UriPhotoSource
import dev.denoise.core.image.ImageMetrics
import dev.denoise.core.image.ImageModel
import dev.denoise.core.image.PixelConversions
import dev.denoise.core.image.PlanarImage
import java.io.File
import java.io.FileNotFoundException
import java.nio.ByteBuffer
import java.nio.file.Files
import java.util.zip.CRC32
import org.junit.Assert.assertArrayEquals
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Before
import org.junit.Rule
import org.junit.Test
import org.junit.rules.TemporaryFolder
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.RobolectricTestRunner

/**
 * The photo flow through its state holder with the real Android platform (Robolectric native
 * graphics: real Bitmaps, BitmapRegionDecoder, JPEG/PNG codecs) and a MediaStore provider fake.
 * Work runs inline (direct executors), so each call returns with its final state.
 */
@RunWith(RobolectricTestRunner::class)
class PhotoDenoiseControllerTest {
    @get:Rule
    val tmp = TemporaryFolder()

    private lateinit var app: Application
    private lateinit var media: FakeMediaProvider
    private val seen = ArrayList<PhotoUiState>()

    companion object {
        const val W = 240
        const val H = 176
        const val SIGMA = 20.0

        /** The shipped photo model loader over the test classpath: its JNI cannot load on this JVM. */
        val CLASSPATH_MODELS = TflitePhotoModelLoader({ path ->
            PhotoDenoiseControllerTest::class.java.classLoader!!.getResourceAsStream(path)
                ?: throw FileNotFoundException(path)
        }, 1)
    }

    @Before
    fun setUp() {
        app = ApplicationProvider.getApplicationContext()
        media = Robolectric.setupContentProvider(FakeMediaProvider::class.java, MediaStore.AUTHORITY)
        media.dir = tmp.newFolder("media")
    }

    private fun controller(captures: CaptureStore? = null, models: PhotoModelLoader = CLASSPATH_MODELS): PhotoDenoiseController {
        val c = PhotoDenoiseController(AndroidPhotoPlatform(app), models, captures, Runnable::run, Runnable::run)
        c.setListener { seen.add(it) }
        return c
    }

    private fun source(file: File, metadata: CameraNoiseMetadata? = null) =
        UriPhotoSource(app.contentResolver, Uri.fromFile(file), file.name, metadata)

    private fun fullOutput(c: PhotoDenoiseController): PlanarImage = c.output()!!.read(0, 0, W, H)

    @Test
    fun denoisingANoisyPhotoRaisesPsnrAndFallsBackToClassicWhenTheModelCannotRun() {
        val clean = SyntheticPhotos.clean(W, H)
        val noisy = SyntheticPhotos.noisy(clean, SIGMA, 7)
        val file = SyntheticPhotos.write(noisy, tmp.newFile("noisy.png"), Bitmap.CompressFormat.PNG)
        val c = controller()
        c.open(source(file))
        val ready = c.state()
        assertEquals(ready.error(), PhotoUiState.Phase.READY, ready.phase())
        assertEquals("$W × $H, 0.0 MP, image/png", ready.summary())
        assertEquals("estimated from the photo", ready.noise().source())
        assertTrue("estimated σ ${ready.noise().sigma255()} for true $SIGMA",
            ready.noise().sigma255() in 0.75 * SIGMA..1.25 * SIGMA)
        assertEquals(W, ready.original().width())

        c.denoise()
        val done = c.state()
        assertEquals(done.error(), PhotoUiState.Phase.DENOISED, done.phase())
        assertTrue(done.note(), done.note().startsWith("Neural model failed (Auto)"))
        assertTrue(done.note(), done.note().endsWith("Used Classic (non-local means)."))
        val before = ImageMetrics.psnr(clean, noisy, 1.0)
        val after = ImageMetrics.psnr(clean, fullOutput(c), 1.0)
        println(String.format("classic: PSNR %.2f -> %.2f dB (auto strength %.2f)", before, after, done.strength()))
        assertTrue("PSNR $before -> $after", after > before + 5)
        assertNotNull(done.denoised())
        assertTrue("progress ends at 1", seen.filter { it.phase() == PhotoUiState.Phase.DENOISING }
            .map { it.progress() }.zipWithNext().all { (a, b) -> b >= a })
    }

    /** A stand-in network: a 3×3 box filter (what matters here is the tiled neural path around it). */
    class BoxModel : ImageModel {
        var calls = 0
        override fun sizeMultiple() = 2
        override fun receptiveRadius() = 1
        override fun maxSide() = 1024
        override fun maxSigma255() = 75.0
        override fun name() = "box"
        override fun close() {}
        override fun denoise(rgb: Array<FloatArray>, width: Int, height: Int, sigma255: Double, out: Array<FloatArray>) {
            calls++
            assertEquals("tile width must be even", 0, width % 2)
            assertEquals("tile height must be even", 0, height % 2)
            for (c in 0 until 3) for (y in 0 until height) for (x in 0 until width) {
                var s = 0f
                for (dy in -1..1) for (dx in -1..1) {
                    s += rgb[c][(y + dy).coerceIn(0, height - 1) * width + (x + dx).coerceIn(0, width - 1)]
                }
                out[c][y * width + x] = s / 9
            }
        }
    }

    @Test
    fun neuralPathRunsTheModelInTilesWithTheCalibratedStrength() {
        val clean = SyntheticPhotos.clean(W, H)
        val noisy = SyntheticPhotos.noisy(clean, SIGMA, 8)
        val file = SyntheticPhotos.write(noisy, tmp.newFile("noisy.png"), Bitmap.CompressFormat.PNG)
        val model = BoxModel()
        val c = controller { PhotoModelLoader.Opened(model, "Test, float32") }
        c.open(source(file))
        c.setMethod(PhotoUiState.Method.NEURAL)
        c.denoise()
        val done = c.state()
        assertEquals(done.error(), PhotoUiState.Phase.DENOISED, done.phase())
        assertEquals("Neural model on Test, float32.", done.note())
        assertTrue("the model ran ${model.calls} times", model.calls > 1)
        val before = ImageMetrics.psnr(clean, noisy, 1.0)
        val after = ImageMetrics.psnr(clean, fullOutput(c), 1.0)
        println(String.format("box model: PSNR %.2f -> %.2f dB (auto strength %.2f)", before, after, done.strength()))
        assertTrue("PSNR $before -> $after", after > before + 3)
    }

    @Test
    fun cameraNoiseProfileSetsTheNoiseLevelInsteadOfTheEstimate() {
        val clean = SyntheticPhotos.clean(W, H)
        val file = SyntheticPhotos.write(SyntheticPhotos.noisy(clean, SIGMA, 9), tmp.newFile("cam.png"),
            Bitmap.CompressFormat.PNG)
        val meta = CameraNoiseMetadata(doubleArrayOf(3e-3, 3e-3, 3e-3, 3e-3), doubleArrayOf(1e-5, 1e-5, 1e-5, 1e-5),
            3200, 33_000_000L, 100, 1)
        val c = controller()
        c.open(source(file, meta))
        assertEquals("camera noise profile", c.state().noise().source())
        assertEquals(NoiseProfile.fromCamera(meta)!!.sigma255(), c.state().noise().sigma255(), 1e-12)
    }

    @Test
    fun cancelDuringDenoisingKeepsNothingAndCancelDuringSavingLeavesNoItem() {
        val clean = SyntheticPhotos.clean(W, H)
        val file = SyntheticPhotos.write(SyntheticPhotos.noisy(clean, SIGMA, 10), tmp.newFile("x.png"),
            Bitmap.CompressFormat.PNG)
        val c = controller()
        c.open(source(file))
        c.setStrength(1.0)
        c.setListener {
            if (it.phase() == PhotoUiState.Phase.DENOISING && it.progress() > 0.2) c.cancel()
        }
        c.denoise()
        assertEquals(PhotoUiState.Phase.READY, c.state().phase())
        assertEquals("Cancelled; nothing was kept.", c.state().note())
        assertNull(c.output())
        assertNull(c.state().denoised())
        assertTrue(media.inserted.isEmpty())

        c.setListener(null)
        c.denoise()
        assertEquals(PhotoUiState.Phase.DENOISED, c.state().phase())
        c.setListener {
            if (it.phase() == PhotoUiState.Phase.SAVING && it.progress() > 0.5) c.cancel()
        }
        c.save()
        assertEquals(PhotoUiState.Phase.DENOISED, c.state().phase())
        assertEquals("Saving cancelled; nothing was written.", c.state().note())
        assertEquals("the item was created before the cancel", 1, media.inserted.size)
        assertTrue("the pending item was deleted", media.rows.isEmpty())
        assertTrue("its bytes were deleted", media.dir.listFiles()!!.isEmpty())
        assertTrue("no temporary file left", File(app.cacheDir, "exports").listFiles()!!.isEmpty())
        assertNull(c.state().savedAs())
    }

    @Test
    fun openingAnotherPhotoMidRunStopsTheOldJobAndShowsNothingOfIt() {
        // The switch comes during the Auto calibration, which works on a crop already in memory:
        // only the job check can stop it there (closing the photo does not).
        val wide = SyntheticPhotos.clean(1600, 160)
        val first = SyntheticPhotos.write(SyntheticPhotos.noisy(wide, SIGMA, 13), tmp.newFile("first.png"),
            Bitmap.CompressFormat.PNG)
        val second = SyntheticPhotos.write(SyntheticPhotos.noisy(clean(), 5.0, 14), tmp.newFile("second.png"),
            Bitmap.CompressFormat.PNG)
        val model = BoxModel()
        val c = controller { PhotoModelLoader.Opened(model, "Test, float32") }
        c.open(source(first))
        c.setMethod(PhotoUiState.Method.NEURAL)
        assertTrue(c.state().autoStrength())
        var callsAtSwitch = -1
        val phases = ArrayList<PhotoUiState>()
        c.setListener {
            phases.add(it)
            if (callsAtSwitch < 0 && it.phase() == PhotoUiState.Phase.DENOISING
                && it.stage() == "Calibrating strength" && it.progress() > 0) {
                callsAtSwitch = model.calls
                c.open(source(second)) // the user picks another photo while the first is worked on
            }
        }
        c.denoise()
        val s = c.state()
        assertTrue("switched after $callsAtSwitch model runs", callsAtSwitch >= 1)
        assertEquals("the old job ran the model no further", callsAtSwitch, model.calls)
        assertEquals(PhotoUiState.Phase.READY, s.phase())
        assertEquals("second.png", s.fileName())
        assertNull("nothing of the first photo's run is shown", s.denoised())
        assertNull(c.output())
        assertNull(s.note())
        val afterSwitch = phases.dropWhile { it.fileName() != "second.png" }
        assertTrue("no progress of the old job after the switch: $afterSwitch",
            afterSwitch.none { it.phase() == PhotoUiState.Phase.DENOISING })
    }

    private fun clean() = SyntheticPhotos.clean(W, H)

    @Test
    fun saveWritesANewItemKeepsExifLeavesTheOriginalByteIdenticalAndShares() {
        val clean = SyntheticPhotos.clean(W, H)
        val file = SyntheticPhotos.write(SyntheticPhotos.noisy(clean, SIGMA, 11), tmp.newFile("IMG_0001.jpg"),
            Bitmap.CompressFormat.JPEG, 92)
        ExifInterface(file.absolutePath).apply {
            setAttribute(ExifInterface.TAG_ORIENTATION, ExifInterface.ORIENTATION_ROTATE_90.toString())
            setAttribute(ExifInterface.TAG_MAKE, "SynthCam")
            setAttribute(ExifInterface.TAG_MODEL, "Generated 1")
            setAttribute(ExifInterface.TAG_DATETIME_ORIGINAL, "2026:11:22 01:02:03")
            setAttribute(ExifInterface.TAG_PHOTOGRAPHIC_SENSITIVITY, "800")
            setAttribute(ExifInterface.TAG_F_NUMBER, "1.8")
            saveAttributes()
        }
        val originalBytes = Files.readAllBytes(file.toPath())
        val c = controller()
        c.open(source(file))
        assertEquals(ExifInterface.ORIENTATION_ROTATE_90, c.state().orientation())
        c.setStrength(1.0)
        c.denoise()
        assertEquals(c.state().error(), PhotoUiState.Phase.DENOISED, c.state().phase())
        c.save()
        val s = c.state()
        assertNull(s.error())
        assertEquals("${MediaStorePhotos.FOLDER}/IMG_0001 (denoised).jpg", s.savedAs())

        assertEquals(1, media.inserted.size)
        val inserted = media.inserted[0]
        assertEquals("IMG_0001 (denoised).jpg", inserted.getAsString(MediaStore.MediaColumns.DISPLAY_NAME))
        assertEquals("image/jpeg", inserted.getAsString(MediaStore.MediaColumns.MIME_TYPE))
        assertEquals("Pictures/Denoised", inserted.getAsString(MediaStore.MediaColumns.RELATIVE_PATH))
        assertEquals("inserted pending", 1, inserted.getAsInteger(MediaStore.MediaColumns.IS_PENDING))
        val id = media.rows.keys.single()
        assertEquals("published", 0, media.rows[id]!!.getAsInteger(MediaStore.MediaColumns.IS_PENDING))
        val saved = media.files[id]!!
        assertEquals("published only when fully written", saved.length(), media.publishedSizes[id])
        assertTrue(s.savedUri(), s.savedUri().endsWith("/$id"))

        val decoded = BitmapFactory.decodeFile(saved.absolutePath)
        assertEquals(W, decoded.width)
        assertEquals(H, decoded.height)
        val exif = ExifInterface(saved.absolutePath)
        assertEquals(ExifInterface.ORIENTATION_ROTATE_90, exif.getAttributeInt(ExifInterface.TAG_ORIENTATION, 0))
        assertEquals("SynthCam", exif.getAttribute(ExifInterface.TAG_MAKE))
        assertEquals("Generated 1", exif.getAttribute(ExifInterface.TAG_MODEL))
        assertEquals("2026:11:22 01:02:03", exif.getAttribute(ExifInterface.TAG_DATETIME_ORIGINAL))
        assertEquals("800", exif.getAttribute(ExifInterface.TAG_PHOTOGRAPHIC_SENSITIVITY))
        assertEquals(1.8, exif.getAttributeDouble(ExifInterface.TAG_F_NUMBER, 0.0), 1e-9)
        assertEquals(AndroidPhotoPlatform.SOFTWARE, exif.getAttribute(ExifInterface.TAG_SOFTWARE))
        assertEquals(W, exif.getAttributeInt(ExifInterface.TAG_PIXEL_X_DIMENSION, 0))

        assertArrayEquals("the original is untouched", originalBytes, Files.readAllBytes(file.toPath()))
        assertTrue("no temporary file left", File(app.cacheDir, "exports").listFiles()!!.isEmpty())

        c.share()
        val chooser = org.robolectric.Shadows.shadowOf(app).nextStartedActivity
        assertEquals(android.content.Intent.ACTION_CHOOSER, chooser.action)
        @Suppress("DEPRECATION")
        val send = chooser.getParcelableExtra<android.content.Intent>(android.content.Intent.EXTRA_INTENT)!!
        assertEquals(android.content.Intent.ACTION_SEND, send.action)
        assertEquals("image/jpeg", send.type)
        @Suppress("DEPRECATION")
        assertEquals(s.savedUri(), send.getParcelableExtra<Uri>(android.content.Intent.EXTRA_STREAM).toString())
        assertTrue("the receiver may read it", send.flags and android.content.Intent.FLAG_GRANT_READ_URI_PERMISSION != 0)

        c.save()
        assertEquals("a second save is a second item, nothing replaced", 2, media.rows.size)
    }

    @Test
    fun zoomShowsBothVersionsAtFullResolutionAroundTheTappedPoint() {
        val clean = SyntheticPhotos.clean(W, H)
        val file = SyntheticPhotos.write(SyntheticPhotos.noisy(clean, SIGMA, 12), tmp.newFile("z.png"),
            Bitmap.CompressFormat.PNG)
        val c = controller()
        c.open(source(file))
        c.setStrength(1.0)
        c.denoise()
        c.zoomAt(0.25, 0.5)
        val zoom = c.state().zoom()
        assertNotNull(zoom)
        assertEquals(W, zoom.original().width()) // the photo is smaller than the 512 crop: all of it
        assertEquals(0, zoom.x())
        val out = fullOutput(c)
        assertEquals(out.get(1, 10, 20), zoom.denoised().get(1, 10, 20), 0f)
        c.zoomOut()
        assertNull(c.state().zoom())
    }

    @Test
    fun undecodableAndTooLargeInputsSayWhy() {
        val text = tmp.newFile("notes.txt").apply { writeText("not a photo at all") }
        val c = controller()
        c.open(source(text))
        assertEquals(PhotoUiState.Phase.ERROR, c.state().phase())
        assertTrue(c.state().error(), c.state().error().startsWith("Cannot open notes.txt: not a photo"))

        c.open(source(pngHeaderOnly(tmp.newFile("huge.png"), 8000, 7000)))
        assertEquals(PhotoUiState.Phase.ERROR, c.state().phase())
        assertEquals("Cannot open huge.png: 8000 × 7000 is 56.0 MP, more than the 50 MP this app handles",
            c.state().error())
    }

    /** A PNG claiming {@code w}×{@code h} with only one row of pixel data: enough for the bounds. */
    private fun pngHeaderOnly(file: File, w: Int, h: Int): File {
        fun chunk(type: String, data: ByteArray): ByteArray {
            val crc = CRC32().apply { update(type.toByteArray()); update(data) }.value
            return ByteBuffer.allocate(12 + data.size).putInt(data.size).put(type.toByteArray()).put(data)
                .putInt(crc.toInt()).array()
        }
        val ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h).put(8).put(2).put(0).put(0).put(0).array()
        val sig = byteArrayOf(0x89.toByte(), 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A)
        // One compressed row of zeros as pixel data: decoders read the header up to the first IDAT.
        val row = java.io.ByteArrayOutputStream().also { bytes ->
            java.util.zip.DeflaterOutputStream(bytes).use { it.write(ByteArray(1 + 3 * w)) }
        }.toByteArray()
        file.writeBytes(sig + chunk("IHDR", ihdr) + chunk("IDAT", row) + chunk("IEND", ByteArray(0)))
        return file
    }

    /**
     * Camera captures live in the cache only while shown: a capture is deleted when another photo
     * replaces it, when it fails to open and when the screen closes; captures older than the
     * session are deleted on start. The user's photos (a picked file, the saved copy) never are.
     */
    @Test
    fun cameraCapturesAreDeletedWhenReplacedOrClosedAndStaleOnesOnStart() {
        val dir = tmp.newFolder("captures")
        val now = System.currentTimeMillis()
        val stale = File(dir, "capture-old.jpg").apply { writeBytes(byteArrayOf(1, 2, 3)); setLastModified(now - 3_600_000) }
        val thisSession = File(dir, "capture-new.jpg").apply { writeBytes(byteArrayOf(4, 5, 6)) }
        val store = CaptureStore(dir, now - 60_000)
        val noisy = SyntheticPhotos.noisy(SyntheticPhotos.clean(W, H), SIGMA, 14)
        fun capture(name: String) = SyntheticPhotos.write(noisy, File(dir, name), Bitmap.CompressFormat.JPEG, 92)

        val c = controller(captures = store)
        assertTrue("a stale capture is deleted on start", !stale.exists())
        assertTrue("this session's files stay", thisSession.exists())

        val first = capture("capture-1.jpg")
        c.open(store.source(first, "IMG_1.jpg", null))
        assertEquals(c.state().error(), PhotoUiState.Phase.READY, c.state().phase())
        assertTrue(first.exists())

        val second = capture("capture-2.jpg")
        c.open(store.source(second, "IMG_2.jpg", null))
        assertEquals(PhotoUiState.Phase.READY, c.state().phase())
        assertTrue("the replaced capture is deleted", !first.exists())
        assertTrue(second.exists())

        c.setStrength(1.0)
        c.denoise()
        c.save()
        assertNull(c.state().error())
        val saved = media.files[media.rows.keys.single()]!!

        val picked = SyntheticPhotos.write(noisy, tmp.newFile("picked.jpg"), Bitmap.CompressFormat.JPEG, 92)
        c.open(source(picked))
        assertTrue("a capture replaced by a picked photo is deleted", !second.exists())

        val third = capture("capture-3.jpg")
        c.open(store.source(third, "IMG_3.jpg", null))
        assertTrue("the picked photo is never deleted", picked.exists())
        c.close()
        assertEquals(PhotoUiState.Phase.EMPTY, c.state().phase())
        assertNull(c.output())
        assertTrue("closing the screen deletes the capture", !third.exists())

        val broken = File(dir, "capture-4.jpg").apply { writeText("not a jpeg") }
        c.open(store.source(broken, "IMG_4.jpg", null))
        assertEquals(PhotoUiState.Phase.ERROR, c.state().phase())
        assertTrue("a capture that cannot be opened is deleted", !broken.exists())

        assertTrue("the saved copy is kept", saved.exists())
        assertTrue(picked.exists())
        assertTrue(thisSession.exists())
        // A store never deletes outside its folder, even when handed a user's file.
        store.source(picked, "picked.jpg", null).discard()
        assertTrue(picked.exists())
    }

    /**
     * The screen's bitmaps (displayBitmap, the function the photo screen draws with) agree with
     * the zoom's point mapping for all eight EXIF orientations, mirrored ones included; the
     * mapping itself is checked against the EXIF definitions in OrientationTest.
     */
    @Test
    fun displayBitmapMatchesTheZoomMappingForEveryOrientation() {
        // A stored 4×2 image with a distinct colour per pixel.
        val w = 4
        val h = 2
        val img = PlanarImage(w, h, 3)
        for (y in 0 until h) for (x in 0 until w) img.set(0, x, y, (y * w + x) / 10f)
        val argb = PixelConversions.toArgb(img)
        for (exif in 1..8) {
            val shown = displayBitmap(img, exif).asAndroidBitmap()
            assertEquals("width, orientation $exif", if (exif >= 5) h else w, shown.width)
            assertEquals("height, orientation $exif", if (exif >= 5) w else h, shown.height)
            for (yd in 0 until shown.height) for (xd in 0 until shown.width) {
                val st = Orientation.displayToStored((xd + 0.5) / shown.width, (yd + 0.5) / shown.height, exif)
                val xs = (st[0] * w).toInt()
                val ys = (st[1] * h).toInt()
                assertEquals("orientation $exif at $xd,$yd", argb[ys * w + xs], shown.getPixel(xd, yd))
            }
        }
        // FLIP_HORIZONTAL by hand: the top-left pixel shown is the stored top-right one.
        assertEquals(argb[w - 1], displayBitmap(img, ExifInterface.ORIENTATION_FLIP_HORIZONTAL).asAndroidBitmap().getPixel(0, 0))
    }

    /**
     * A mirrored photo (FLIP_HORIZONTAL) reaches the screen with its orientation and is shown
     * mirrored; the saved copy keeps the stored pixels and the tag, so viewers mirror it too.
     */
    @Test
    fun aMirroredPhotoIsShownMirroredAndItsCopyKeepsTheTag() {
        val clean = SyntheticPhotos.clean(W, H)
        val file = SyntheticPhotos.write(SyntheticPhotos.noisy(clean, SIGMA, 13), tmp.newFile("selfie.jpg"),
            Bitmap.CompressFormat.JPEG, 92)
        ExifInterface(file.absolutePath).apply {
            setAttribute(ExifInterface.TAG_ORIENTATION, ExifInterface.ORIENTATION_FLIP_HORIZONTAL.toString())
            saveAttributes()
        }
        val c = controller()
        c.open(source(file))
        val s = c.state()
        assertEquals(s.error(), ExifInterface.ORIENTATION_FLIP_HORIZONTAL, s.orientation())
        val preview = s.original()
        val stored = PixelConversions.toArgb(preview)
        val shown = displayBitmap(preview, s.orientation()).asAndroidBitmap()
        assertEquals(preview.width(), shown.width)
        for (x in 0 until preview.width()) {
            assertEquals("column $x", stored[preview.width() - 1 - x], shown.getPixel(x, 0))
        }
        c.setStrength(1.0)
        c.denoise()
        c.save()
        assertNull(c.state().error())
        val saved = media.files[media.rows.keys.single()]!!
        assertEquals(ExifInterface.ORIENTATION_FLIP_HORIZONTAL,
            ExifInterface(saved.absolutePath).getAttributeInt(ExifInterface.TAG_ORIENTATION, 0))
    }
}
