package dev.denoise.app.photos

import android.content.ContentProvider
import android.content.ContentUris
import android.content.ContentValues
import android.database.Cursor
import android.net.Uri
import android.os.ParcelFileDescriptor
import android.provider.MediaStore
import java.io.File

/**
 * MediaStore's provider ("media" authority) for Robolectric: rows in memory, each item's bytes in
 * a file. Records every insert and, when an item is published (IS_PENDING 0), its size then.
 */
class FakeMediaProvider : ContentProvider() {
    lateinit var dir: File
    val rows = LinkedHashMap<Long, ContentValues>()
    val files = HashMap<Long, File>()
    val inserted = ArrayList<ContentValues>()
    val publishedSizes = HashMap<Long, Long>()
    private var nextId = 1L

    override fun onCreate() = true

    override fun insert(uri: Uri, values: ContentValues?): Uri {
        val id = nextId++
        val row = ContentValues(values)
        rows[id] = row
        inserted.add(ContentValues(values))
        files[id] = File(dir, "item-$id")
        return ContentUris.withAppendedId(uri, id)
    }

    override fun update(uri: Uri, values: ContentValues?, selection: String?, args: Array<out String>?): Int {
        val id = ContentUris.parseId(uri)
        val row = rows[id] ?: return 0
        row.putAll(values)
        if (values?.getAsInteger(MediaStore.MediaColumns.IS_PENDING) == 0) {
            publishedSizes[id] = files[id]?.length() ?: -1
        }
        return 1
    }

    override fun delete(uri: Uri, selection: String?, args: Array<out String>?): Int {
        val id = ContentUris.parseId(uri)
        files.remove(id)?.delete()
        return if (rows.remove(id) != null) 1 else 0
    }

    override fun openFile(uri: Uri, mode: String): ParcelFileDescriptor {
        val f = files[ContentUris.parseId(uri)] ?: throw java.io.FileNotFoundException(uri.toString())
        return ParcelFileDescriptor.open(f, ParcelFileDescriptor.parseMode(mode))
    }

    override fun query(uri: Uri, projection: Array<out String>?, selection: String?, args: Array<out String>?,
                       sortOrder: String?): Cursor? = null

    override fun getType(uri: Uri): String = "image/jpeg"
}
