package dev.denoise.app

import android.app.Activity
import android.graphics.Bitmap
import android.graphics.Canvas
import java.io.File
import java.io.FileOutputStream
import org.junit.Assert.assertTrue

/**
 * Screenshots under Robolectric's native graphics: the activity's decor view drawn into a
 * software Bitmap (Compose's `captureToImage()` hangs under Robolectric), written as PNG to
 * the folder named by the `screenshots` system property (`app/target/screenshots`).
 */
object Screenshots {
    fun capture(activity: Activity, name: String): Bitmap {
        val root = activity.window.decorView
        assertTrue("decor view not laid out: ${root.width}x${root.height}", root.width > 0 && root.height > 0)
        val bitmap = Bitmap.createBitmap(root.width, root.height, Bitmap.Config.ARGB_8888)
        root.draw(Canvas(bitmap))
        val dir = File(System.getProperty("screenshots", "target/screenshots"))
        dir.mkdirs()
        FileOutputStream(File(dir, "$name.png")).use { out ->
            assertTrue("PNG encoding failed for $name", bitmap.compress(Bitmap.CompressFormat.PNG, 100, out))
        }
        assertTrue("screenshot $name is blank", distinctColours(bitmap) > 8)
        return bitmap
    }

    /** Distinct colours over a coarse grid: a blank or single-colour frame has one or two. */
    fun distinctColours(bitmap: Bitmap): Int {
        val seen = HashSet<Int>()
        var y = 0
        while (y < bitmap.height) {
            var x = 0
            while (x < bitmap.width) {
                seen.add(bitmap.getPixel(x, y))
                x += 3
            }
            y += 3
        }
        return seen.size
    }
}
