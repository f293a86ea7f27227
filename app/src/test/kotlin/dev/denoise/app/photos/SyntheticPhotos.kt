package dev.denoise.app.photos

import android.graphics.Bitmap
import dev.denoise.core.image.PixelConversions
import dev.denoise.core.image.PlanarImage
import java.io.File
import java.io.FileOutputStream
import java.util.Random
import kotlin.math.PI
import kotlin.math.hypot
import kotlin.math.sin

/**
 * Generated test photos (no real photographs in the repository): smooth colour gradients, hard
 * edged shapes and a fine texture, then 8-bit quantised; noise is Gaussian, seeded.
 */
object SyntheticPhotos {
    /** A clean RGB photo in [0.1, 0.9], quantised to 8 bits. */
    fun clean(w: Int, h: Int): PlanarImage {
        val img = PlanarImage(w, h, 3)
        for (y in 0 until h) {
            for (x in 0 until w) {
                var r = 0.2 + 0.5 * x / w
                var g = 0.25 + 0.45 * y / h
                var b = 0.5 + 0.2 * sin(2 * PI * (x + y) / (w + h))
                if (hypot(x - 0.3 * w, y - 0.4 * h) < 0.18 * h) { r = 0.85; g = 0.3; b = 0.2 }
                if (x > 0.55 * w && x < 0.85 * w && y > 0.15 * h && y < 0.45 * h) { r = 0.15; g = 0.2; b = 0.7 }
                if (y > 0.65 * h && x > 0.5 * w) {
                    val t = 0.12 * sin(2 * PI * x / 7.0) * sin(2 * PI * y / 9.0)
                    r += t; g += t; b += t
                }
                img.set(0, x, y, r.coerceIn(0.1, 0.9).toFloat())
                img.set(1, x, y, g.coerceIn(0.1, 0.9).toFloat())
                img.set(2, x, y, b.coerceIn(0.1, 0.9).toFloat())
            }
        }
        return PixelConversions.fromArgb(PixelConversions.toArgb(img), w, h)
    }

    /** {@code clean} plus Gaussian noise of {@code sigma255}, clipped and quantised to 8 bits. */
    fun noisy(clean: PlanarImage, sigma255: Double, seed: Long): PlanarImage {
        val rnd = Random(seed)
        val out = PlanarImage(clean.width(), clean.height(), 3)
        for (c in 0 until 3) {
            val s = clean.plane(c)
            val d = out.plane(c)
            for (i in s.indices) d[i] = (s[i] + rnd.nextGaussian() * sigma255 / 255.0).toFloat().coerceIn(0f, 1f)
        }
        return PixelConversions.fromArgb(PixelConversions.toArgb(out), out.width(), out.height())
    }

    fun bitmap(image: PlanarImage): Bitmap =
        Bitmap.createBitmap(PixelConversions.toArgb(image), image.width(), image.height(), Bitmap.Config.ARGB_8888)

    fun write(image: PlanarImage, file: File, format: Bitmap.CompressFormat, quality: Int = 100): File {
        FileOutputStream(file).use { check(bitmap(image).compress(format, quality, it)) { "encoding $file failed" } }
        return file
    }
}
